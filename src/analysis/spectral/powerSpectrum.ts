import { hannWindow } from '../../dsp/hannWindow.ts';
import { fftOfSize } from '../latency/fft.ts';
import type { Samples } from '../signal/samples.ts';

/** A one-sided power spectrum: power[k] at frequenciesHz[k] = k·fs/N, k = 0…N/2. */
export interface PowerSpectrum {
  frequenciesHz: Float64Array;
  /** Power per bin, scaled so that Σ power ≈ the mean square of the signal (Parseval with the window's power). */
  power: Float64Array;
  frameSize: number;
  frames: number;
}

/**
 * Welch's averaged periodogram (Welch, IEEE Trans. Audio Electroacoust. 15, 1967) with fft.js: Hann
 * frames of `frameSize` (4096, or the next power of two ≥ the signal when it is shorter: then the Hann
 * spans the signal and the zeros after it pad the frame; welchWindow),
 * 50 % overlap, averaged over frames and over all channels given:
 *   P[k] = c_k·mean|X_m[k]|² / (N·Σw²), c_k = 2 for 0 < k < N/2, else 1,
 * so white noise of variance σ² reads P[k] ≈ 2σ²/N and Σ P ≈ σ². A 4096-point frame resolves 11.7 Hz
 * at 48 kHz.
 */
export function powerSpectrum(channels: Samples[], sampleRate: number, frameSize = 4096): PowerSpectrum {
  const length = channels[0]?.length ?? 0;
  const N = welchFrameSize(length, frameSize);
  const fft = fftOfSize(N);
  const window = welchWindow(length, N);
  const windowPower = windowPowerOf(window);
  const hop = N / 2;
  const starts: number[] = [];
  if (length <= N) starts.push(0);
  else for (let s = 0; s + N <= length; s += hop) starts.push(s);
  const half = N / 2;
  const power = new Float64Array(half + 1);
  const frame = new Float64Array(N);
  const out = new Float64Array(2 * N);
  for (const x of channels) {
    for (const s of starts) {
      if (s + N <= length) for (let i = 0; i < N; i++) frame[i] = x[s + i] * window[i];
      else for (let i = 0; i < N; i++) frame[i] = s + i < length ? x[s + i] * window[i] : 0;
      fft.realTransform(out, frame);
      for (let k = 0; k <= half; k++) power[k] += out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1];
    }
  }
  return scaledWelchSums(power, sampleRate, N, starts.length, channels.length, windowPower);
}

/**
 * The window of powerSpectrum's frames: Hann of the frame, or for a signal shorter than the frame a Hann of the
 * signal's own length (at least 2) followed by zeros. A frame-long window over a shorter signal cut it off
 * mid-window: a 1 kHz sine of 2049 samples read bandwidth 407 Hz and flatness 2.6e-3 (6.8 Hz and 3.5e-12
 * once the sine fills the frame).
 */
export function welchWindow(length: number, N: number): Float64Array {
  if (length >= N) return hannWindow(N);
  const window = new Float64Array(N);
  window.set(hannWindow(Math.max(2, length)));
  return window;
}

/** The frame size powerSpectrum uses for a signal of `length` samples: `frameSize`, or the next power of two ≥ 16 above a shorter signal. */
export function welchFrameSize(length: number, frameSize: number): number {
  return length < frameSize ? Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, length)))) : frameSize;
}

/** Σw² of a window, summed in index order. */
export function windowPowerOf(window: Float64Array): number {
  let windowPower = 0;
  for (let i = 0; i < window.length; i++) windowPower += window[i] * window[i];
  return windowPower;
}

/** Turns the per-bin sums Σ|X_m[k]|² into the one-sided, Parseval-scaled spectrum (in place) with its frequencies. */
export function scaledWelchSums(power: Float64Array, sampleRate: number, N: number, frames: number, channelCount: number, windowPower: number): PowerSpectrum {
  const half = N / 2;
  const count = Math.max(1, frames * channelCount);
  const frequenciesHz = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    frequenciesHz[k] = (k * sampleRate) / N;
    power[k] *= (k === 0 || k === half ? 1 : 2) / (count * N * windowPower);
  }
  return { frequenciesHz, power, frameSize: N, frames };
}
