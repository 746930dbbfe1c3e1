import { mulberry32Draw } from '../signal/seededNoise.ts';
import { addGaussianNoise } from './seededRandom.ts';

/**
 * A haptic-like programme for proving content-based detectors over minutes: three carriers (60–250 Hz,
 * drawn from the seed) whose envelopes wander slowly (|one-pole low-passed noise|, ~2 Hz), over a noise
 * bed (uniform white noise, near-Gaussian after the one-pole low-pass at ~1.6 kHz) about 12 dB lower — the kind of signal the haptic engine renders, with some
 * broadband content as programme material has. Peak below 1; ~25 operations per sample.
 */
export function programmeLike(frames: number, sampleRate: number, seed: number): Float32Array {
  const out = new Float32Array(frames);
  const bedSeed = (seed * 2654435761) >>> 0; // mulberry32: uniform noise for the bed (Gaussian after the low-pass)
  const env = addGaussianNoise(new Float32Array(3 * Math.ceil(frames / 64) + 3), 1, seed + 1);
  const w = [60 + (seed % 40), 120 + ((seed * 7) % 60), 190 + ((seed * 13) % 60)].map((f) => (2 * Math.PI * f) / sampleRate);
  const [c0, c1, c2] = w.map(Math.cos);
  const [s0, s1, s2] = w.map(Math.sin);
  let x0 = 1, y0 = 0, x1 = 1, y1 = 0, x2 = 1, y2 = 0; // oscillators (cos, sin)
  let e0 = 0, e1 = 0, e2 = 0; // envelope states
  let l0 = 0, l1 = 0, l2 = 0; // levels
  const envAlpha = 1 - Math.exp((-2 * Math.PI * 2 * 64) / sampleRate);
  const bedAlpha = 1 - Math.exp((-2 * Math.PI * 1600) / sampleRate);
  let bed = 0;
  let k = 0;
  for (let n = 0; n < frames; n++) {
    if ((n & 63) === 0) {
      e0 += envAlpha * (env[k++] * 6 - e0);
      e1 += envAlpha * (env[k++] * 6 - e1);
      e2 += envAlpha * (env[k++] * 6 - e2);
      l0 = Math.min(1, Math.abs(e0)) * 0.25;
      l1 = Math.min(1, Math.abs(e1)) * 0.25;
      l2 = Math.min(1, Math.abs(e2)) * 0.25;
      // keep the oscillators on the unit circle
      let m = 1 / Math.sqrt(x0 * x0 + y0 * y0);
      x0 *= m;
      y0 *= m;
      m = 1 / Math.sqrt(x1 * x1 + y1 * y1);
      x1 *= m;
      y1 *= m;
      m = 1 / Math.sqrt(x2 * x2 + y2 * y2);
      x2 *= m;
      y2 *= m;
    }
    bed += bedAlpha * (3.4641016 * (mulberry32Draw(bedSeed, n + 1) - 0.5) - bed);
    out[n] = 0.12 * bed + l0 * y0 + l1 * y1 + l2 * y2;
    let t = x0 * c0 - y0 * s0;
    y0 = y0 * c0 + x0 * s0;
    x0 = t;
    t = x1 * c1 - y1 * s1;
    y1 = y1 * c1 + x1 * s1;
    x1 = t;
    t = x2 * c2 - y2 * s2;
    y2 = y2 * c2 + x2 * s2;
    x2 = t;
  }
  return out;
}
