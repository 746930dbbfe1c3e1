import { analyzeDecay } from '../analysis/acoustics/decayAnalysis.ts';
import { fftOfSize } from '../analysis/latency/fft.ts';
import { levelMetrics } from '../analysis/signal/levelMetrics.ts';
import { powerSpectrum } from '../analysis/spectral/powerSpectrum.ts';
import { spectralFeatures } from '../analysis/spectral/spectralFeatures.ts';
import type { SignalRing } from './signalRing.ts';

/** Metrics pushed to subscribers (`/<engine>/metrics/<name> f`); a figure that cannot be measured is left out. */
export type LiveMetricValues = Partial<Record<LiveMetricName, number>>;
export const LIVE_METRIC_NAMES = ['rms', 'peak', 'rms_dbfs', 'peak_dbfs', 'crest_factor', 'spectral_centroid', 'bandwidth', 'flatness', 'rt60_estimate'] as const;
export type LiveMetricName = (typeof LIVE_METRIC_NAMES)[number];

/** Frame of the centroid's Welch spectrum: 4096 points (11.7 Hz at 48 kHz), as `rig analyze`. */
const SPECTRUM_FRAME = 4096;

/**
 * Level and spectral figures of the output over a window (the analysis library's): `rms` and `peak`
 * linear (full scale 1) over all channels, the same in dBFS, `crest_factor` = 20·log10(peak/rms) dB,
 * `spectral_centroid` and `bandwidth` in Hz and `flatness` 0…1 of the channels' averaged Welch
 * spectrum (frames of 4096, or the window's length when shorter). Silence gives rms/peak 0 and no
 * dB, crest or spectral figures.
 */
export function levelAndSpectrum(output: Float32Array[], sampleRate: number): LiveMetricValues {
  const lv = levelMetrics(output);
  const m: LiveMetricValues = { rms: lv.rms, peak: lv.peak };
  if (Number.isFinite(lv.rmsDbfs)) m.rms_dbfs = lv.rmsDbfs;
  if (Number.isFinite(lv.peakDbfs)) m.peak_dbfs = lv.peakDbfs;
  if (lv.crestFactorDb !== null) m.crest_factor = lv.crestFactorDb;
  if ((output[0]?.length ?? 0) >= 64) {
    const f = spectralFeatures(powerSpectrum(output, sampleRate, SPECTRUM_FRAME));
    if (f.centroidHz !== null) m.spectral_centroid = f.centroidHz;
    if (f.bandwidthHz !== null) m.bandwidth = f.bandwidthHz;
    if (f.flatness !== null) m.flatness = f.flatness;
  }
  return m;
}

/**
 * RT60 of the live effect from what went in and what came out, without an impulse: the impulse
 * response is estimated by the H1 estimator H(f) = Σ X*·Y / Σ |X|² over Hann-windowed frames of
 * `frameSize` (50 % overlap) of the first input and output channel, h = IFFT(H), the first half of
 * the frame kept (the rest holds the window's time aliasing); its decay is read by the analysis
 * library's Schroeder/Lundeby analysis (analyzeDecay): T30, else T20, else EDT, extrapolated to 60 dB.
 * Null when the input is not broadband (less than half the bins from 100 Hz to 5 kHz within 60 dB of
 * its strongest: a tone reads a made-up 0.70 s without this guard), or when none of the figures is
 * measurable (the decay does not clear the estimate's noise by the range the fit needs). The response must be
 * shorter than half a frame to be whole: 131072-sample frames hold 1.37 s at 48 kHz, enough for a
 * T30 fit (down to −35 dB) of decays to about 2.3 s. Measured on the FDN (wetDry 0.3, noise in,
 * 9 s analysed): 0.53 / 1.00 / 1.93 / 2.42 s for RT60 0.5 / 1 / 2 / 3 s; with 2.7 s and 32768-sample
 * frames it read 0.45 / 0.66 / 0.90 / 0.96 s (too few frames, too short a window).
 */
export function estimateRt60Seconds(input: Float32Array, output: Float32Array, sampleRate: number, frameSize = 131072): number | null {
  const N = frameSize;
  const length = Math.min(input.length, output.length);
  if (length < N) return null;
  const fft = fftOfSize(N);
  const w = new Float64Array(N);
  for (let i = 0; i < N; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N);
  const sxyRe = new Float64Array(N / 2 + 1);
  const sxyIm = new Float64Array(N / 2 + 1);
  const sxx = new Float64Array(N / 2 + 1);
  const fx = new Float64Array(N);
  const fy = new Float64Array(N);
  const X = new Float64Array(2 * N);
  const Y = new Float64Array(2 * N);
  for (let s = 0; s + N <= length; s += N / 2) {
    for (let i = 0; i < N; i++) {
      fx[i] = input[s + i] * w[i];
      fy[i] = output[s + i] * w[i];
    }
    fft.realTransform(X, fx);
    fft.realTransform(Y, fy);
    for (let k = 0; k <= N / 2; k++) {
      const xr = X[2 * k], xi = X[2 * k + 1], yr = Y[2 * k], yi = Y[2 * k + 1];
      sxyRe[k] += xr * yr + xi * yi;
      sxyIm[k] += xr * yi - xi * yr;
      sxx[k] += xr * xr + xi * xi;
    }
  }
  let maxSxx = 0;
  for (let k = 0; k <= N / 2; k++) if (sxx[k] > maxSxx) maxSxx = sxx[k];
  if (!(maxSxx > 0)) return null;
  // The estimate is only as broad as the excitation: at least half the bins from 100 Hz to 5 kHz
  // within 60 dB of the strongest, else (a tone, a narrow band) no figure rather than a made-up one.
  const lo = Math.ceil((100 * N) / sampleRate);
  const hi = Math.min(N / 2, Math.floor((5000 * N) / sampleRate));
  let excited = 0;
  for (let k = lo; k <= hi; k++) if (sxx[k] >= maxSxx * 1e-6) excited++;
  if (excited < (hi - lo + 1) / 2) return null;
  // Full Hermitian spectrum of H; bins the input hardly excites (60 dB below its strongest) are zeroed.
  const H = new Float64Array(2 * N);
  for (let k = 0; k <= N / 2; k++) {
    if (sxx[k] < maxSxx * 1e-6) continue;
    const re = sxyRe[k] / sxx[k];
    const im = sxyIm[k] / sxx[k];
    H[2 * k] = re;
    H[2 * k + 1] = im;
    if (k > 0 && k < N / 2) {
      H[2 * (N - k)] = re;
      H[2 * (N - k) + 1] = -im;
    }
  }
  const hc = new Float64Array(2 * N);
  fft.inverseTransform(hc, H);
  const h = new Float64Array(N / 2);
  for (let i = 0; i < N / 2; i++) h[i] = hc[2 * i];
  const d = analyzeDecay(h, sampleRate, { clarity: false });
  return d.t30Seconds ?? d.t20Seconds ?? d.edtSeconds;
}

/** Input and output analysed for the RT60 estimate, seconds (the rings hold 10.9 s at 48 kHz by default). */
export const RT60_WINDOW_SECONDS = 9;

/**
 * The metrics over the newest `windowMs` (at least 100 ms) of the output ring, and with `rt60` the
 * RT60 estimate over the newest RT60_WINDOW_SECONDS of both rings.
 */
export function computeLiveMetrics(input: SignalRing, output: SignalRing, sampleRate: number, windowMs: number, rt60: boolean): LiveMetricValues {
  const frames = Math.round((Math.max(100, windowMs) * sampleRate) / 1000);
  const m = levelAndSpectrum(output.readLast(frames).channels, sampleRate);
  if (rt60) {
    const n = Math.round(RT60_WINDOW_SECONDS * sampleRate);
    const end = Math.min(input.framesWritten, output.framesWritten);
    const x = input.readEnding(end, n).channels[0];
    const y = output.readEnding(end, n).channels[0];
    const t = x && y ? estimateRt60Seconds(x, y, sampleRate) : null;
    if (t !== null) m.rt60_estimate = t;
  }
  return m;
}
