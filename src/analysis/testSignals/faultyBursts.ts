import { type Fault, injectFaults } from './faultInjection.ts';
import { fractionalDelay } from './fractionalDelay.ts';
import { addNoiseAtSnr } from './seededRandom.ts';
import { addSineBursts, type SineBurst } from './sine.ts';

export interface FaultyBurstsOptions {
  sampleRate: number;
  /** Capture delay (fractional: 16-tap interpolation; whole: a plain shift). */
  latencySamples: number;
  /** Seed of the noise. */
  seed: number;
  /** Signal-to-noise ratio of the capture, dB (default 60). */
  snrDb?: number;
  /** Vary each fault's place in its burst and its length (zeroed 64…3063, repeated 128…1127, dropped/inserted 1…3) instead of the fixed set. */
  varied?: boolean;
}

/**
 * What the haptic HIL captures: 35 ms sine bursts every 61.7 ms rising through 65 Hz … 1 kHz, with a fault
 * every 8th burst (zeroed 64, repeated 128, dropped 1, inserted 1 in turn, 680 frames in), the capture
 * delayed and at 60 dB SNR (or `snrDb`) — the case that used to thrash the residual detector.
 */
export function faultyBursts(seconds: number, o: FaultyBurstsOptions): { expected: Float32Array; capture: Float32Array; faults: Fault[] } {
  const fs = o.sampleRate;
  const frames = Math.round(seconds * fs);
  const bursts: SineBurst[] = [];
  const faults: Fault[] = [];
  const kinds: Fault['kind'][] = ['zeroed', 'repeated', 'dropped', 'inserted'];
  for (let k = 0, t = 2400; t + 4800 < frames; k++, t += Math.round(0.0617 * fs)) {
    bursts.push({ startFrame: t, frequencyHz: 65 * 2 ** ((k % 49) / 12), amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 });
    if (k % 8 === 4) {
      const kind = kinds[(k >> 3) % 4];
      const v = o.varied ? k : 0;
      faults.push({ kind, atFrame: t + 680 + ((v * 37) % 900), lengthFrames: kind === 'zeroed' ? 64 + ((v * 97) % 3000) : kind === 'repeated' ? 128 + ((v * 13) % 1000) : 1 + (v % 3) });
    }
  }
  const expected = addSineBursts(new Float32Array(frames), fs, bursts);
  const padded = new Float32Array(frames + 2000);
  const whole = Number.isInteger(o.latencySamples);
  padded.set(expected, whole ? o.latencySamples : 0);
  const delayed = whole ? padded : fractionalDelay(padded, o.latencySamples, 16);
  const { signal } = injectFaults(delayed, faults.map((f) => ({ ...f, atFrame: f.atFrame + Math.ceil(o.latencySamples) })));
  addNoiseAtSnr(signal, o.snrDb ?? 60, o.seed);
  return { expected, capture: signal, faults };
}
