import { besselI0 } from '../../dsp/besselI0.ts';
import type { Samples } from '../signal/samples.ts';

/** A zero-phase (symmetric, centred) FIR low-pass that keeps every M-th output sample. */
export interface Decimator {
  factor: number;
  /** Symmetric taps, odd length; tap k applies to x[n + k − (length−1)/2]. */
  taps: Float64Array;
}

/**
 * Kaiser-window FIR decimator (Kaiser 1974; Oppenheim & Schafer §7.5.3): passes 0…`passHz` and
 * attenuates from `stopHz` by `attenuationDb`; β = 0.1102·(A − 8.7), length ≈ (A − 8)/(2.285·Δω) + 1,
 * cutoff midway between the edges, taps normalised to unit DC gain. Linear phase and applied centred,
 * so it adds no delay and no decay of its own (ringing is symmetric, ±length/2 samples). For the octave
 * bank at 48 kHz (M = 4, 2.82 kHz pass, 6.36 kHz stop, 80 dB) it has 69 taps.
 */
export function designDecimator(factor: number, passHz: number, stopHz: number, sampleRate: number, attenuationDb = 80): Decimator {
  if (!(factor >= 1 && passHz > 0 && stopHz > passHz && stopHz < sampleRate / 2)) {
    throw new RangeError(`decimator needs 0 < pass < stop < fs/2; got ${passHz}/${stopHz} Hz at ${sampleRate} Hz`);
  }
  const deltaW = (2 * Math.PI * (stopHz - passHz)) / sampleRate;
  const length = 2 * Math.ceil((attenuationDb - 8) / (2.285 * deltaW) / 2) + 1;
  const beta = 0.1102 * (attenuationDb - 8.7);
  const wc = (Math.PI * (passHz + stopHz)) / sampleRate;
  const half = (length - 1) / 2;
  const taps = new Float64Array(length);
  let sum = 0;
  for (let k = 0; k < length; k++) {
    const n = k - half;
    const sinc = n === 0 ? wc / Math.PI : Math.sin(wc * n) / (Math.PI * n);
    const r = n / half;
    taps[k] = sinc * (besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / besselI0(beta));
    sum += taps[k];
  }
  for (let k = 0; k < length; k++) taps[k] /= sum;
  return { factor, taps };
}

/**
 * Low-pass filters x with the centred FIR and returns every `factor`-th sample, y[m] = Σ_k c[k]·x[mM + k − K]
 * (zeros outside x). Away from the ends the symmetric taps are folded, c[K]·x[i] + Σ_j c[K+j]·(x[i−j] + x[i+j]),
 * with two accumulators so the additions are not one serial chain (6.3 → 2 ms for 240 000 samples).
 */
export function decimate(d: Decimator, x: Samples): Float64Array {
  const { factor, taps } = d;
  const K = (taps.length - 1) / 2;
  const n = x.length;
  const y = new Float64Array(Math.ceil(n / factor));
  for (let m = 0; m < y.length; m++) {
    const i = m * factor;
    if (i >= K && i + K < n) {
      let a = taps[K] * x[i];
      let b = 0;
      let j = 1;
      for (; j + 1 <= K; j += 2) {
        a += taps[K + j] * (x[i - j] + x[i + j]);
        b += taps[K + j + 1] * (x[i - j - 1] + x[i + j + 1]);
      }
      if (j <= K) a += taps[K + j] * (x[i - j] + x[i + j]);
      y[m] = a + b;
      continue;
    }
    const k0 = Math.max(0, K - i);
    const k1 = Math.min(taps.length, n - i + K);
    let acc = 0;
    for (let k = k0, s = i - K + k0; k < k1; k++, s++) acc += taps[k] * x[s];
    y[m] = acc;
  }
  return y;
}

/** |H(e^{jω})| of the decimator's FIR at `frequencyHz` (before decimation). */
export function decimatorMagnitude(d: Decimator, frequencyHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const K = (d.taps.length - 1) / 2;
  let re = 0;
  for (let k = 0; k < d.taps.length; k++) re += d.taps[k] * Math.cos(w * (k - K));
  return Math.abs(re);
}
