import type { FdnArrays } from './fdnArrays.ts';

/**
 * The modulated read of four lines at once (see FdnCore): line i is read at
 *   d_i[k] = (m_i − 1) + D[k]·(sin θ[k]·cos φ_i + cos θ[k]·sin φ_i)   samples behind sample k − 1,
 * through the same Lagrange-3 (or linear) formula as the dsp interpolators (copied term for term, so
 * the per-line path through `Interpolator.readBlockModulated` gives the same bits), then filtered by
 * the line's one-pole s = (scale·b0)·x + p·s into work. Four independent recursions per loop keep the
 * CPU busy; the LFO samples sin θ, cos θ and the depth D are shared by all lines. No clamping is
 * needed: FdnCore keeps D ≤ m_min/2 and sizes the rings for m_max + D.
 */
export function readModulatedGroup4(net: FdnArrays, i0: number, pos: number, mask: number, frames: number, cubic: boolean): void {
  const { rings, work, delays, b0, pole, filterState: state, scale, cosOffset, sinOffset, sinBuf, cosBuf, depthBuf } = net;
  const g = scale[0];
  for (let line = i0; line < i0 + 4; line++) {
    const ring = rings[line];
    const w = work[line];
    const m = delays[line] - 1;
    const co = cosOffset[line];
    const so = sinOffset[line];
    const b = g * b0[line];
    const p = pole[line];
    let s = state[line];
    if (cubic) {
      for (let k = 0; k < frames; k++) {
        const d = m + depthBuf[k] * (sinBuf[k] * co + cosBuf[k] * so);
        const i = Math.floor(d);
        const f = d - i;
        const base = pos + k - 1 - i;
        const xm1 = ring[(base + 1) & mask];
        const x0 = ring[base & mask];
        const x1 = ring[(base - 1) & mask];
        const x2 = ring[(base - 2) & mask];
        const fp1 = f + 1;
        const fm1 = f - 1;
        const fm2 = f - 2;
        const x = (-f * fm1 * fm2 * xm1 + fp1 * f * fm1 * x2) / 6 + (fp1 * fm1 * fm2 * x0 - fp1 * f * fm2 * x1) / 2;
        s = b * x + p * s;
        w[k] = s;
      }
    } else {
      for (let k = 0; k < frames; k++) {
        const d = m + depthBuf[k] * (sinBuf[k] * co + cosBuf[k] * so);
        const i = Math.floor(d);
        const f = d - i;
        const at = pos + k - 1;
        const a = ring[(at - i) & mask];
        const c = ring[(at - i - 1) & mask];
        s = b * (a + f * (c - a)) + p * s;
        w[k] = s;
      }
    }
    state[line] = s;
  }
}
