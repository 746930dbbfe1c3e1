import { kaiserSincKernel } from '../../src/dsp/kaiserSincKernel.ts';

/**
 * Windowed-sinc fractional-delay kernel for the virtual rig's loopback.
 *
 * y(pos) = Σ_{n=−H+1}^{H} x[⌊pos⌋ + n] · h_frac(n), frac = pos − ⌊pos⌋,
 * h_frac(n) = sinc(n − frac) · w(n − frac), w = Kaiser(β) over |t| ≤ H, taps normalised to sum 1
 * (DC gain exactly 1). An integer position (frac = 0) gives a unit impulse: the loop is then exact.
 * Half-width H = 16 (32 taps), β = 8: measured by hil/rigs/virtualRig.test.ts, a 1 kHz sine at 48 kHz
 * is delayed by the configured fraction within 0.001 sample and keeps its level within 0.01 dB.
 * Latency: the kernel reads H samples AHEAD of ⌊pos⌋, so a loop must be at least H samples longer than
 * what has been written (the virtual rig checks this). Reference: Laakso et al., "Splitting the unit
 * delay", IEEE SP Magazine 1996 (windowed sinc); Kaiser window (Oppenheim & Schafer).
 */
export const SINC_HALF_WIDTH = 16;
export const SINC_TAPS = 2 * SINC_HALF_WIDTH;
const KAISER_BETA = 8;
/** Fraction resolution of the precomputed table (phase error ≤ 1/(2·PHASES) sample). */
export const SINC_PHASES = 4096;

/** Writes the taps for fraction `frac` (0 ≤ frac < 1) into `into[0..SINC_TAPS)`; tap i is for n = i − H + 1. */
export function sincTaps(frac: number, into: Float64Array, offset = 0): void {
  if (frac === 0) {
    for (let i = 0; i < SINC_TAPS; i++) into[offset + i] = i === SINC_HALF_WIDTH - 1 ? 1 : 0;
    return;
  }
  kaiserSincKernel(frac, SINC_HALF_WIDTH, KAISER_BETA, into, offset);
}

let table: Float64Array | undefined;

/** Taps for SINC_PHASES + 1 fractions k / SINC_PHASES, row-major (built once, ~1 MB). */
export function sincTable(): Float64Array {
  if (!table) {
    table = new Float64Array((SINC_PHASES + 1) * SINC_TAPS);
    for (let k = 0; k <= SINC_PHASES; k++) sincTaps(k / SINC_PHASES, table, k * SINC_TAPS);
  }
  return table;
}
