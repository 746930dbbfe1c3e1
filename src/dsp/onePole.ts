import { flushDenormal } from './flushDenormal.ts';

export interface OnePoleState {
  previousInput: number;
  previousOutput: number;
}

/**
 * First-order IIR section y[n] = b0·x[n] + b1·x[n−1] + p·y[n−1], |p| < 1.
 * - `setLowpass(fc, fs)`: p = exp(−2π·fc/fs), b0 = 1 − p, b1 = 0 (impulse-invariant; unity at DC).
 *   Measured at 48 kHz: fc = 1 kHz reads −3.004 dB at 1 kHz and −0.0004 dB at 10 Hz; the mapping
 *   drifts near Nyquist (fc = 10 kHz reads −2.43 dB at 10 kHz).
 * - `setHighpass(fc, fs)`: p = exp(−2π·fc/fs), b0 = (1 + p)/2, b1 = −b0 (zero at DC, unity at Nyquist);
 *   measured: fc = 100 Hz reads −3.010 dB at 100 Hz at 48 kHz.
 * - `setCoefficients(b0, b1, p)`: direct, e.g. Jot/Smith frequency-dependent decay with
 *   H(z) = g/(1 − p·z⁻¹): p = (R0 − Rπ)/(R0 + Rπ), g = 2·R0·Rπ/(R0 + Rπ) → setCoefficients(g, 0, p)
 *   gives |H(0)| = R0 and |H(π)| = Rπ.
 * 0 < fc < fs/2. The output state is flushed below 1e-30. Reference: Smith, "Introduction to Digital
 * Filters", one-pole sections; PASP, "Achieving frequency-dependent decay".
 */
export class OnePole {
  private b0 = 1;
  private b1 = 0;
  private pole = 0;
  private x1 = 0;
  private y1 = 0;

  setLowpass(cutoffHz: number, sampleRate: number): void {
    const p = Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
    this.setCoefficients(1 - p, 0, p);
  }

  setHighpass(cutoffHz: number, sampleRate: number): void {
    const p = Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
    const g = (1 + p) / 2;
    this.setCoefficients(g, -g, p);
  }

  setCoefficients(b0: number, b1: number, pole: number): void {
    this.b0 = b0;
    this.b1 = b1;
    this.pole = pole;
  }

  get coefficients(): { b0: number; b1: number; pole: number } {
    return { b0: this.b0, b1: this.b1, pole: this.pole };
  }

  reset(): void {
    this.x1 = 0;
    this.y1 = 0;
  }

  processSample(x: number): number {
    const y = flushDenormal(this.b0 * x + this.b1 * this.x1 + this.pole * this.y1);
    this.x1 = x;
    this.y1 = y;
    return y;
  }

  /** Filters input[0…frames) into output (which may be the same array). */
  process(input: Float32Array | Float64Array, output: Float32Array | Float64Array, frames: number): void {
    const { b0, b1, pole } = this;
    let x1 = this.x1;
    let y1 = this.y1;
    for (let i = 0; i < frames; i++) {
      const x = input[i];
      let y = b0 * x + b1 * x1 + pole * y1;
      if (y < 1e-30 && y > -1e-30) y = 0;
      output[i] = y;
      x1 = x;
      y1 = y;
    }
    this.x1 = x1;
    this.y1 = y1;
  }

  getState(): OnePoleState {
    return { previousInput: this.x1, previousOutput: this.y1 };
  }
  setState(state: OnePoleState): void {
    this.x1 = state.previousInput;
    this.y1 = state.previousOutput;
  }
}
