import { addGaussianNoise } from './seededRandom.ts';

/**
 * A haptic-like programme for proving content-based detectors over minutes: three carriers (60–250 Hz,
 * drawn from the seed) whose envelopes wander slowly (|one-pole low-passed noise|, ~2 Hz), over a noise
 * bed low-passed at ~1.6 kHz about 12 dB lower — the kind of signal the haptic engine renders, with some
 * broadband content as programme material has. Peak below 1; ~25 operations per sample.
 */
export function programmeLike(frames: number, sampleRate: number, seed: number): Float32Array {
  const out = addGaussianNoise(new Float32Array(frames), 1, seed);
  const env = addGaussianNoise(new Float32Array(3 * Math.ceil(frames / 64) + 3), 1, seed + 1);
  const carriers = [60 + (seed % 40), 120 + ((seed * 7) % 60), 190 + ((seed * 13) % 60)].map((f) => (2 * Math.PI * f) / sampleRate);
  const rot = carriers.map((w) => [Math.cos(w), Math.sin(w)]);
  const osc = carriers.map(() => [1, 0]);
  const envState = [0, 0, 0];
  const envAlpha = 1 - Math.exp((-2 * Math.PI * 2 * 64) / sampleRate);
  const bedAlpha = 1 - Math.exp((-2 * Math.PI * 1600) / sampleRate);
  let bed = 0;
  let e = 0;
  const level = [0, 0, 0];
  for (let n = 0; n < frames; n++) {
    if ((n & 63) === 0) {
      for (let k = 0; k < 3; k++) {
        envState[k] += envAlpha * (env[e++] * 6 - envState[k]);
        level[k] = Math.min(1, Math.abs(envState[k])) * 0.25;
        const [c, s] = osc[k];
        const m = 1 / Math.hypot(c, s); // keep the oscillators on the unit circle
        osc[k][0] = c * m;
        osc[k][1] = s * m;
      }
    }
    bed += bedAlpha * (out[n] - bed);
    let v = 0.12 * bed;
    for (let k = 0; k < 3; k++) {
      const o = osc[k];
      v += level[k] * o[1];
      const t = o[0] * rot[k][0] - o[1] * rot[k][1];
      o[1] = o[1] * rot[k][0] + o[0] * rot[k][1];
      o[0] = t;
    }
    out[n] = v;
  }
  return out;
}
