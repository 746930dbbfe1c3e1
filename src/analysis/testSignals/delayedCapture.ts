import { fractionalDelay } from './fractionalDelay.ts';
import { addNoiseAtSnr } from './seededRandom.ts';

/** How a reference is captured: frames added after it (so the delayed copy is not cut), and its polarity. */
export interface CaptureOptions {
  /** Frames of silence after the reference before it is delayed (default 600). */
  extraFrames?: number;
  /** Inverted path: the delayed copy is negated before the noise is added. */
  inverted?: boolean;
}

/**
 * A capture of `reference` through a path `delaySamples` long (fractional: band-limited, fractionalDelay.ts), padded
 * by `extraFrames`, inverted if asked, with seeded white noise at `snrDb` below the delayed copy's own level — what
 * estimateDelay's tests and sweeps measure.
 */
export function delayedCapture(reference: Float32Array, delaySamples: number, snrDb: number, seed: number, options: CaptureOptions = {}): Float32Array {
  const padded = new Float32Array(reference.length + (options.extraFrames ?? 600));
  padded.set(reference);
  const y = fractionalDelay(padded, delaySamples);
  if (options.inverted) for (let i = 0; i < y.length; i++) y[i] = -y[i];
  addNoiseAtSnr(y, snrDb, seed);
  return y;
}
