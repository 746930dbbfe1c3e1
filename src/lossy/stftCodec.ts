import type { WasmFft } from '../dsp/fftKernel.ts';
import { portableFftKernel } from '../dsp/portableFft.ts';
import { cosOfTurn, dbToGain } from '../dsp/portableMath.ts';
import { assignBarkBands } from './barkBands.ts';
import type { CodecParams } from './lossyParams.ts';
import { type LossyStage, restoreArray } from './lossyStage.ts';

export interface StftCodecState {
  position: number;
  hopCounter: number;
  ring: Float64Array[];
  overlapAdd: Float64Array[];
}

/**
 * Transform-codec emulation on a short-time Fourier transform.
 *
 * Model, per channel and per hop of H samples (frame N, overlap N/H ∈ {2, 4, 8}):
 * 1. Analysis: the last N input samples, √Hann window, real FFT.
 * 2. Band limit: bins below `lowCutHz` or above `bandwidthHz` are discarded; the rest are split into
 *    `bandCount` bands evenly spaced in Bark (Zwicker).
 * 3. Bit budget: B = bitrate · H / fs / channels bits per channel per hop. A band that gets any bits
 *    also pays `scaleFactorBits` of side information for its scale factor: its peak |Re|, |Im|, rounded
 *    up to a 1.5 dB grid.
 * 4. Allocation: greedy reverse water-filling. Giving a band b bits per component (Re and Im of each
 *    bin: cost 2·n_b bits per bit) leaves noise D = s²/3 · 4^(−b) (uniform step Δ = s·2^(1−b), Δ²/12); an
 *    unfunded band leaves its whole energy. Each round funds one more bit for the band whose noise is
 *    largest, until nothing fits the remaining budget. Quiet bands get no bits and drop out — the
 *    "birdies" and band-dropout of low-rate codecs.
 * 5. Quantisation: mid-tread, round(v/Δ)·Δ; unfunded bands are zeroed.
 * 6. Synthesis: inverse FFT, √Hann window, overlap-add scaled by 2H/N (periodic Hann sums to N/(2H)).
 *
 * Frames start at absolute multiples of H since reset, independent of block boundaries. Latency is N
 * samples. Both channels share one complex FFT each way (see codeFrame). Unlike a real codec's
 * critically sampled MDCT, the STFT is N/H times redundant, so at equal bit rate this emulation is
 * harsher than the codec it imitates; pick the rate by ear.
 * Measured (frame 1024, hop 512, 48 kHz, 1 kHz sine at −6 dBFS): null-test residual −27 dB at 16 kbps,
 * −43 dB at 32, −60 dB at 64, −71 dB at 128, −89 dB at 320 kbps; white noise, the worst case, still
 * leaves −42 dB at 1536 kbps. A 10 kHz tone with bandwidthHz 4000 comes out 106 dB down.
 */
export class StftCodec implements LossyStage<StftCodecState> {
  private frameSize = 0;
  private hopSize = 0;
  private mask = 0;
  private fft!: WasmFft;
  private analysisWindow = new Float64Array(0);
  private synthesisWindow = new Float64Array(0);
  private ring: Float64Array[] = [];
  private overlapAdd: Float64Array[] = [];
  private frame = new Float64Array(0);
  private spectrum = new Float64Array(0);
  private halfLeft = new Float64Array(0);
  private halfRight = new Float64Array(0);
  private timeOut = new Float64Array(0);
  private bandFirstBin = new Int32Array(0);
  private bandEndBin = new Int32Array(0);
  private bandScale = new Float64Array(0);
  private readonly scaleGrid = scaleFactorGrid();
  private bandEnergy = new Float64Array(0);
  private bandBits = new Int32Array(0);
  private bitsPerHop = 0;
  private position = 0;
  private hopCounter = 0;

  private readonly channels = 2;

  constructor(private readonly params: CodecParams) {}

  get latencySamples(): number {
    return this.params.frameSize;
  }

  prepare(sampleRate: number): void {
    const { frameSize: n, hopSize: h, bandCount } = this.params;
    this.frameSize = n;
    this.hopSize = h;
    this.mask = n - 1;
    this.fft = portableFftKernel(n);
    this.analysisWindow = new Float64Array(n);
    this.synthesisWindow = new Float64Array(n);
    const olaGain = (2 * h) / n / n; // COLA normalisation and the inverse FFT's 1/N
    for (let j = 0; j < n; j++) {
      const w = Math.sqrt(0.5 - 0.5 * cosOfTurn(j, n));
      this.analysisWindow[j] = w;
      this.synthesisWindow[j] = w * olaGain;
    }
    this.ring = Array.from({ length: this.channels }, () => new Float64Array(n));
    this.overlapAdd = Array.from({ length: this.channels }, () => new Float64Array(n));
    this.frame = new Float64Array(2 * n);
    this.spectrum = new Float64Array(2 * n);
    this.halfLeft = new Float64Array(n + 2);
    this.halfRight = new Float64Array(n + 2);
    this.timeOut = new Float64Array(2 * n);
    const { bandOfBin } = assignBarkBands(n, sampleRate, this.params.lowCutHz, this.params.bandwidthHz, bandCount);
    this.bandFirstBin = new Int32Array(bandCount).fill(0);
    this.bandEndBin = new Int32Array(bandCount).fill(0);
    for (let k = bandOfBin.length - 1; k >= 0; k--) {
      const b = bandOfBin[k];
      if (b < 0) continue;
      if (this.bandEndBin[b] === 0) this.bandEndBin[b] = k + 1;
      this.bandFirstBin[b] = k;
    }
    this.bandScale = new Float64Array(bandCount);
    this.bandEnergy = new Float64Array(bandCount);
    this.bandBits = new Int32Array(bandCount);
    this.bitsPerHop = Math.floor((this.params.bitrateKbps * 1000 * h) / sampleRate / this.channels);
    this.reset();
  }

  reset(): void {
    for (const r of this.ring) r.fill(0);
    for (const o of this.overlapAdd) o.fill(0);
    this.position = 0;
    this.hopCounter = 0;
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    const ringL = this.ring[0];
    const olaL = this.overlapAdd[0];
    const ringR = this.ring[1];
    const olaR = this.overlapAdd[1];
    let i = start;
    while (i < end) {
      const run = Math.min(end - i, this.hopSize - this.hopCounter);
      let p = this.position;
      for (let k = 0; k < run; k++, i++) {
        const yl = olaL[p];
        olaL[p] = 0;
        ringL[p] = left[i];
        left[i] = yl;
        const yr = olaR[p];
        olaR[p] = 0;
        ringR[p] = right[i];
        right[i] = yr;
        p = (p + 1) & this.mask;
      }
      this.position = p;
      this.hopCounter += run;
      if (this.hopCounter === this.hopSize) {
        this.hopCounter = 0;
        this.codeFrame();
      }
    }
  }

  /**
   * Analyse the last N samples of both channels with ONE complex FFT (z = L + i·R, then
   * X_L[k] = (Z[k] + conj Z[N−k]) / 2 and X_R[k] = (Z[k] − conj Z[N−k]) / 2i), quantise each channel's
   * half spectrum, rebuild Y = Y_L + i·Y_R with Hermitian symmetry, and resynthesise both channels with
   * ONE inverse FFT (real part left, imaginary part right). Half the FFT work of two real transforms.
   */
  private codeFrame(): void {
    const n = this.frameSize;
    const mask = this.mask;
    const ringL = this.ring[0];
    const ringR = this.ring[1];
    const z = this.frame;
    const p0 = this.position; // the oldest sample of the frame
    const wa = this.analysisWindow;
    // The ring is read from p0 to its end, then from its start (two straight runs, no index masking).
    const firstRun = n - p0;
    for (let j = 0; j < firstRun; j++) {
      const w = wa[j];
      z[2 * j] = ringL[p0 + j] * w;
      z[2 * j + 1] = ringR[p0 + j] * w;
    }
    for (let j = firstRun; j < n; j++) {
      const w = wa[j];
      z[2 * j] = ringL[j - firstRun] * w;
      z[2 * j + 1] = ringR[j - firstRun] * w;
    }
    const spec = this.spectrum;
    this.fft.transform(spec, z);
    const sl = this.halfLeft;
    const sr = this.halfRight;
    const half = n / 2;
    for (let k = 0; k <= half; k++) {
      const m = (n - k) & mask;
      const a = spec[2 * k];
      const b = spec[2 * k + 1];
      const c = spec[2 * m];
      const d = spec[2 * m + 1];
      sl[2 * k] = 0.5 * (a + c);
      sl[2 * k + 1] = 0.5 * (b - d);
      sr[2 * k] = 0.5 * (b + d);
      sr[2 * k + 1] = 0.5 * (c - a);
    }
    this.quantise(sl);
    this.quantise(sr);
    // Build conj(Y) and use the forward transform: IFFT(Y) = conj(FFT(conj Y)) / N. The 1/N is in the
    // synthesis window, the conjugation in the sign of the right channel (fft.js's inverse would spend a
    // division per output value).
    for (let k = 0; k <= half; k++) {
      spec[2 * k] = sl[2 * k] - sr[2 * k + 1];
      spec[2 * k + 1] = -(sl[2 * k + 1] + sr[2 * k]);
    }
    for (let k = half + 1; k < n; k++) {
      const m = n - k;
      spec[2 * k] = sl[2 * m] + sr[2 * m + 1];
      spec[2 * k + 1] = sl[2 * m + 1] - sr[2 * m];
    }
    const out = this.timeOut;
    this.fft.transform(out, spec);
    const ws = this.synthesisWindow;
    const olaL = this.overlapAdd[0];
    const olaR = this.overlapAdd[1];
    for (let j = 0; j < firstRun; j++) {
      olaL[p0 + j] += out[2 * j] * ws[j];
      olaR[p0 + j] -= out[2 * j + 1] * ws[j];
    }
    for (let j = firstRun; j < n; j++) {
      olaL[j - firstRun] += out[2 * j] * ws[j];
      olaR[j - firstRun] -= out[2 * j + 1] * ws[j];
    }
  }

  private quantise(spec: Float64Array): void {
    const bands = this.bandFirstBin.length;
    const half = this.frameSize / 2;
    // Zero everything outside the pass band (bins 0…N/2; the upper half is rebuilt by symmetry).
    let from = 0;
    for (let b = 0; b < bands; b++) {
      const first = this.bandFirstBin[b];
      const end = this.bandEndBin[b];
      if (end <= first) continue;
      for (let k = from; k < first; k++) spec[2 * k] = spec[2 * k + 1] = 0;
      from = end;
    }
    for (let k = from; k <= half; k++) spec[2 * k] = spec[2 * k + 1] = 0;

    for (let b = 0; b < bands; b++) {
      const first = this.bandFirstBin[b];
      const end = this.bandEndBin[b];
      let peak = 0;
      let energy = 0;
      for (let k = first; k < end; k++) {
        const re = spec[2 * k];
        const im = spec[2 * k + 1];
        const a = Math.max(Math.abs(re), Math.abs(im));
        if (a > peak) peak = a;
        energy += re * re + im * im;
      }
      // Scale factor on a 1.5 dB grid, rounded up so that |v| ≤ s.
      this.bandScale[b] = peak > 1e-12 ? scaleFactorAtOrAbove(peak, this.scaleGrid) : 0;
      this.bandEnergy[b] = energy;
      this.bandBits[b] = 0;
    }

    let budget = this.bitsPerHop;
    const maxBits = this.params.maxBitsPerBin;
    const sideBits = this.params.scaleFactorBits;
    for (;;) {
      let best = -1;
      let bestNoise = 0;
      for (let b = 0; b < bands; b++) {
        const bins = this.bandEndBin[b] - this.bandFirstBin[b];
        const bits = this.bandBits[b];
        const cost = 2 * bins + (bits === 0 ? sideBits : 0);
        if (bins <= 0 || bits >= maxBits || cost > budget || this.bandScale[b] === 0) continue;
        const s = this.bandScale[b];
        const noise = bits === 0 ? this.bandEnergy[b] : ((2 * bins * s * s) / 3) * 4 ** -bits;
        if (noise > bestNoise) {
          bestNoise = noise;
          best = b;
        }
      }
      if (best < 0) break;
      budget -= 2 * (this.bandEndBin[best] - this.bandFirstBin[best]) + (this.bandBits[best] === 0 ? sideBits : 0);
      this.bandBits[best]++;
    }

    for (let b = 0; b < bands; b++) {
      const first = this.bandFirstBin[b];
      const end = this.bandEndBin[b];
      const bits = this.bandBits[b];
      if (bits === 0) {
        for (let k = first; k < end; k++) spec[2 * k] = spec[2 * k + 1] = 0;
        continue;
      }
      const step = this.bandScale[b] * 2 ** (1 - bits);
      const inv = 1 / step;
      for (let k = first; k < end; k++) {
        spec[2 * k] = Math.round(spec[2 * k] * inv) * step;
        spec[2 * k + 1] = Math.round(spec[2 * k + 1] * inv) * step;
      }
    }
  }

  getState(): StftCodecState {
    return {
      position: this.position,
      hopCounter: this.hopCounter,
      ring: this.ring.map((r) => r.slice()),
      overlapAdd: this.overlapAdd.map((o) => o.slice()),
    };
  }

  setState(state: StftCodecState): void {
    this.position = state.position;
    this.hopCounter = state.hopCounter;
    state.ring.forEach((r, c) => restoreArray(this.ring[c], r, 'codec ring'));
    state.overlapAdd.forEach((o, c) => restoreArray(this.overlapAdd[c], o, 'codec overlap-add'));
  }
}

/** The scale-factor grid's step, dB, and its range: k·1.5 dB for k = SCALE_K_MIN … SCALE_K_MAX (−240 … +600 dB). */
const SCALE_STEP_DB = 1.5;
const SCALE_K_MIN = -160;
const SCALE_K_MAX = 400;

/** The grid 10^(1.5·k/20), k = SCALE_K_MIN … SCALE_K_MAX, from portableMath.dbToGain (the same bits everywhere). */
export function scaleFactorGrid(): Float64Array {
  const grid = new Float64Array(SCALE_K_MAX - SCALE_K_MIN + 1);
  for (let i = 0; i < grid.length; i++) grid[i] = dbToGain(SCALE_STEP_DB * (i + SCALE_K_MIN));
  return grid;
}

/**
 * The smallest grid value s ≥ peak, so that |v| ≤ s for every value of the band (for 1e-12 < peak ≤ the
 * grid's top; above it the top). Math.log10 gives the first guess only; comparisons with the grid decide,
 * so the choice is the same in Node and in a browser. No call, no allocation: safe in process().
 */
export function scaleFactorAtOrAbove(peak: number, grid: Float64Array): number {
  const last = grid.length - 1;
  let i = Math.ceil((20 * Math.log10(peak)) / SCALE_STEP_DB) - SCALE_K_MIN;
  if (i < 0) i = 0;
  if (i > last) i = last;
  while (i > 0 && grid[i - 1] >= peak) i--;
  while (i < last && grid[i] < peak) i++;
  return grid[i];
}
