import type { Samples } from './samples.ts';

/**
 * Index of the first NaN or ±Infinity sample, or −1 when every sample is finite. x − x is 0 for a finite
 * x and NaN otherwise: one subtraction per sample, no callback (a `findIndex` predicate costs ~10×
 * as much over a 10-minute file).
 */
export function firstNonFinite(samples: Samples): number {
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/** A NaN or ±Infinity sample where figures need finite ones: which channel (0-based), frame and value. */
export class NonFiniteSampleError extends RangeError {
  constructor(readonly channel: number, readonly frame: number, readonly value: number) {
    super(`channel ${channel + 1} holds a non-finite sample (${value}) at frame ${frame}`);
    this.name = 'NonFiniteSampleError';
  }
}

/** Throws NonFiniteSampleError for the first non-finite sample of the first channel holding one. */
export function assertFinite(channels: readonly Samples[]): void {
  channels.forEach((c, channel) => {
    const frame = firstNonFinite(c);
    if (frame >= 0) throw new NonFiniteSampleError(channel, frame, c[frame]);
  });
}
