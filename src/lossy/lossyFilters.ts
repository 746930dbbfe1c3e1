import type { LossyFilterParams } from './lossyParams.ts';
import { type LossyStage, restoreArray } from './lossyStage.ts';
import { createBiquadCoefficients, designBiquad } from '../dsp/biquad.ts';

export interface LossyFiltersState {
  /** Per filter and channel the two transposed-direct-form-II state values: [f][c·2 + k]. */
  z: Float64Array;
}

/**
 * A cascade of up to eight RBJ biquads (src/dsp/biquad.ts design; the same on both channels), e.g. the 300–3400 Hz band of a
 * telephone line. Transposed direct form II in float64:
 *   y = b0·x + z1;  z1 = b1·x − a1·y + z2;  z2 = b2·x − a2·y.
 * State values below 1e-30 are flushed to zero at every sample (not per block, which would break
 * block-size invariance), so a decaying tail never turns subnormal.
 */
export class LossyFilters implements LossyStage<LossyFiltersState> {
  private coefficients = new Float64Array(0);
  private z = new Float64Array(0);

  constructor(private readonly bands: readonly LossyFilterParams[]) {}

  prepare(sampleRate: number): void {
    this.coefficients = new Float64Array(5 * this.bands.length);
    const c = createBiquadCoefficients();
    this.bands.forEach((band, f) => {
      designBiquad(band.type, Math.min(band.frequencyHz, 0.49 * sampleRate), sampleRate, band.q, band.gainDb, c);
      this.coefficients.set([c.b0, c.b1, c.b2, c.a1, c.a2], 5 * f);
    });
    this.z = new Float64Array(4 * this.bands.length);
  }

  reset(): void {
    this.z.fill(0);
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    const k = this.coefficients;
    const z = this.z;
    for (let f = 0; f < this.bands.length; f++) {
      const b0 = k[5 * f];
      const b1 = k[5 * f + 1];
      const b2 = k[5 * f + 2];
      const a1 = k[5 * f + 3];
      const a2 = k[5 * f + 4];
      for (let c = 0; c < 2; c++) {
        const x = c === 0 ? left : right;
        let z1 = z[4 * f + 2 * c];
        let z2 = z[4 * f + 2 * c + 1];
        for (let i = start; i < end; i++) {
          const xi = x[i];
          const y = b0 * xi + z1;
          z1 = b1 * xi - a1 * y + z2;
          z2 = b2 * xi - a2 * y;
          if (z1 < 1e-30 && z1 > -1e-30) z1 = 0;
          if (z2 < 1e-30 && z2 > -1e-30) z2 = 0;
          x[i] = y;
        }
        z[4 * f + 2 * c] = z1;
        z[4 * f + 2 * c + 1] = z2;
      }
    }
  }

  getState(): LossyFiltersState {
    return { z: this.z.slice() };
  }

  setState(state: LossyFiltersState): void {
    restoreArray(this.z, state.z, 'filter state');
  }
}
