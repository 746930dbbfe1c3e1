import { flushDenormal } from './flushDenormal.ts';

export type BiquadType = 'lowpass' | 'highpass' | 'bandpass' | 'notch' | 'peaking' | 'lowshelf' | 'highshelf' | 'allpass';
export const biquadTypes: readonly BiquadType[] = ['lowpass', 'highpass', 'bandpass', 'notch', 'peaking', 'lowshelf', 'highshelf', 'allpass'];

/** Normalised coefficients (a0 = 1): H(z) = (b0 + b1 z⁻¹ + b2 z⁻²)/(1 + a1 z⁻¹ + a2 z⁻²). */
export interface BiquadCoefficients {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

export function createBiquadCoefficients(): BiquadCoefficients {
  return { b0: 1, b1: 0, b2: 0, a1: 0, a2: 0 };
}

/**
 * RBJ Audio EQ Cookbook design (Bristow-Johnson): w0 = 2π·f0/fs, α = sin(w0)/(2Q), A = 10^(gainDb/40).
 * Bandpass has 0 dB peak gain; shelves use Q for α (Q = 1/√2 is the steepest monotonic shelf);
 * gainDb is used by peaking and the shelves only. f0 is clamped to [1e-6, 0.499]·fs and Q to ≥ 1e-6
 * so a design never fails (safe to call per block for modulation). Writes into `out` (allocation-free).
 * Measured at 48 kHz, Q = 1/√2: lowpass 1 kHz −3.01 dB at 1 kHz; peaking +6 dB reads +6.00 dB at f0;
 * notch < −100 dB at f0; allpass 0 dB ± 1e-9 everywhere (see biquad.test.ts).
 * Reference: https://www.w3.org/TR/audio-eq-cookbook/
 */
export function designBiquad(
  type: BiquadType,
  frequencyHz: number,
  sampleRate: number,
  q = Math.SQRT1_2,
  gainDb = 0,
  out: BiquadCoefficients = createBiquadCoefficients(),
): BiquadCoefficients {
  const f0 = Math.min(Math.max(frequencyHz, 1e-6 * sampleRate), 0.499 * sampleRate);
  const w0 = (2 * Math.PI * f0) / sampleRate;
  const cos = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * Math.max(q, 1e-6));
  const A = Math.pow(10, gainDb / 40);
  let b0: number;
  let b1: number;
  let b2: number;
  let a0: number;
  let a1: number;
  let a2: number;
  switch (type) {
    case 'lowpass':
      b0 = (1 - cos) / 2; b1 = 1 - cos; b2 = b0; a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'highpass':
      b0 = (1 + cos) / 2; b1 = -(1 + cos); b2 = b0; a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'bandpass':
      b0 = alpha; b1 = 0; b2 = -alpha; a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'notch':
      b0 = 1; b1 = -2 * cos; b2 = 1; a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'allpass':
      b0 = 1 - alpha; b1 = -2 * cos; b2 = 1 + alpha; a0 = 1 + alpha; a1 = -2 * cos; a2 = 1 - alpha;
      break;
    case 'peaking':
      b0 = 1 + alpha * A; b1 = -2 * cos; b2 = 1 - alpha * A; a0 = 1 + alpha / A; a1 = -2 * cos; a2 = 1 - alpha / A;
      break;
    case 'lowshelf': {
      const s = 2 * Math.sqrt(A) * alpha;
      b0 = A * (A + 1 - (A - 1) * cos + s);
      b1 = 2 * A * (A - 1 - (A + 1) * cos);
      b2 = A * (A + 1 - (A - 1) * cos - s);
      a0 = A + 1 + (A - 1) * cos + s;
      a1 = -2 * (A - 1 + (A + 1) * cos);
      a2 = A + 1 + (A - 1) * cos - s;
      break;
    }
    case 'highshelf': {
      const s = 2 * Math.sqrt(A) * alpha;
      b0 = A * (A + 1 + (A - 1) * cos + s);
      b1 = -2 * A * (A - 1 + (A + 1) * cos);
      b2 = A * (A + 1 + (A - 1) * cos - s);
      a0 = A + 1 - (A - 1) * cos + s;
      a1 = 2 * (A - 1 - (A + 1) * cos);
      a2 = A + 1 - (A - 1) * cos - s;
      break;
    }
    default:
      throw new RangeError(`biquad: unknown type ${JSON.stringify(type)}; expected one of ${biquadTypes.join(', ')}`);
  }
  out.b0 = b0 / a0;
  out.b1 = b1 / a0;
  out.b2 = b2 / a0;
  out.a1 = a1 / a0;
  out.a2 = a2 / a0;
  return out;
}

/**
 * |H(e^{jω})| of one section at `frequencyHz`, ω = 2π·f/fs: |b0 + b1·e^{−jω} + b2·e^{−2jω}| / |1 + a1·e^{−jω} + a2·e^{−2jω}|.
 * For design checks and documentation, not for the audio path.
 */
export function biquadMagnitude(c: BiquadCoefficients, frequencyHz: number, sampleRate: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const cos1 = Math.cos(w), sin1 = Math.sin(w), cos2 = Math.cos(2 * w), sin2 = Math.sin(2 * w);
  const nr = c.b0 + c.b1 * cos1 + c.b2 * cos2, ni = -(c.b1 * sin1 + c.b2 * sin2);
  const dr = 1 + c.a1 * cos1 + c.a2 * cos2, di = -(c.a1 * sin1 + c.a2 * sin2);
  return Math.sqrt((nr * nr + ni * ni) / (dr * dr + di * di));
}

export interface BiquadState {
  s1: number;
  s2: number;
}

/**
 * Biquad state in transposed direct form II: y = b0·x + s1; s1 = b1·x − a1·y + s2; s2 = b2·x − a2·y.
 * Coefficients come from `designBiquad` (or any normalised set) and may change between samples.
 * State is flushed below 1e-30.
 */
export class Biquad {
  private b0 = 1;
  private b1 = 0;
  private b2 = 0;
  private a1 = 0;
  private a2 = 0;
  private s1 = 0;
  private s2 = 0;

  constructor(coefficients?: BiquadCoefficients) {
    if (coefficients) this.setCoefficients(coefficients);
  }

  setCoefficients(c: BiquadCoefficients): void {
    this.b0 = c.b0;
    this.b1 = c.b1;
    this.b2 = c.b2;
    this.a1 = c.a1;
    this.a2 = c.a2;
  }

  reset(): void {
    this.s1 = 0;
    this.s2 = 0;
  }

  processSample(x: number): number {
    const y = this.b0 * x + this.s1;
    this.s1 = flushDenormal(this.b1 * x - this.a1 * y + this.s2);
    this.s2 = flushDenormal(this.b2 * x - this.a2 * y);
    return y;
  }

  /** Filters input[0…frames) into output (which may be the same array). */
  process(input: Float32Array | Float64Array, output: Float32Array | Float64Array, frames: number): void {
    const { b0, b1, b2, a1, a2 } = this;
    let s1 = this.s1;
    let s2 = this.s2;
    for (let i = 0; i < frames; i++) {
      const x = input[i];
      const y = b0 * x + s1;
      s1 = b1 * x - a1 * y + s2;
      s2 = b2 * x - a2 * y;
      if (s1 < 1e-30 && s1 > -1e-30) s1 = 0;
      if (s2 < 1e-30 && s2 > -1e-30) s2 = 0;
      output[i] = y;
    }
    this.s1 = s1;
    this.s2 = s2;
  }

  getState(): BiquadState {
    return { s1: this.s1, s2: this.s2 };
  }
  setState(state: BiquadState): void {
    this.s1 = state.s1;
    this.s2 = state.s2;
  }
}
