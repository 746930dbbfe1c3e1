import { Prng } from '../dsp/prng.ts';

/**
 * The fixed stereo test input of effect goldens (version TEST_SIGNAL_VERSION in goldenSettings.ts):
 * - frame 0: a unit impulse on both channels, then silence until `irSeconds` (the impulse response);
 * - from `irSeconds`: 0.3 s exponential sine sweep 40 Hz → 16 kHz at −12 dBFS (Farina 2000:
 *   x = A·sin(2π·f1·L·(e^(t/L) − 1)), L = T / ln(f2/f1)), identical on both channels;
 * - then 0.2 s of white noise at −18 dBFS RMS (seeded xoshiro128**, decorrelated L/R) with 5 ms ramps;
 * - then a 0.15 s chord of 220, 277.18 and 329.63 Hz at −18 dBFS each, left only (stereo image test);
 * - silence to the end.
 * Everything is computed in double and stored as float32; the same arguments give the same bits.
 */
export function goldenTestSignal(sampleRate: number, irSeconds: number, totalSeconds: number): Float32Array[] {
  const frames = Math.round(totalSeconds * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  if (frames === 0) return [left, right];
  left[0] = 1;
  right[0] = 1;
  let at = Math.round(irSeconds * sampleRate);

  const sweepFrames = Math.round(0.3 * sampleRate);
  const f1 = 40;
  const f2 = Math.min(16000, 0.45 * sampleRate);
  const T = sweepFrames / sampleRate;
  const L = T / Math.log(f2 / f1);
  const sweepAmp = 10 ** (-12 / 20);
  const ramp = Math.round(0.005 * sampleRate);
  const fade = (i: number, n: number) => Math.min(1, (i + 0.5) / ramp, (n - i - 0.5) / ramp);
  for (let i = 0; i < sweepFrames && at + i < frames; i++) {
    const t = i / sampleRate;
    const v = sweepAmp * fade(i, sweepFrames) * Math.sin(2 * Math.PI * f1 * L * (Math.exp(t / L) - 1));
    left[at + i] = v;
    right[at + i] = v;
  }
  at += sweepFrames;

  const noiseFrames = Math.round(0.2 * sampleRate);
  const noiseAmp = 10 ** (-18 / 20) * Math.sqrt(3); // uniform on ±a has RMS a/√3
  const prngL = new Prng(0x5eed1);
  const prngR = new Prng(0x5eed2);
  for (let i = 0; i < noiseFrames && at + i < frames; i++) {
    const g = noiseAmp * fade(i, noiseFrames);
    left[at + i] = g * prngL.nextBipolar();
    right[at + i] = g * prngR.nextBipolar();
  }
  at += noiseFrames;

  const chordFrames = Math.round(0.15 * sampleRate);
  const toneAmp = 10 ** (-18 / 20);
  for (let i = 0; i < chordFrames && at + i < frames; i++) {
    const t = i / sampleRate;
    const s = Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.18 * t) + Math.sin(2 * Math.PI * 329.63 * t);
    left[at + i] = toneAmp * fade(i, chordFrames) * s;
  }
  return [left, right];
}
