import type { FdnArrays } from './fdnArrays.ts';

/** The arrays readShelvedLine uses. */
export type ShelvedLineArrays = Pick<FdnArrays, 'scale' | 'b0' | 'pole' | 'shelf' | 'onePoleStep' | 'shelfStep' | 'filterState' | 'shelfState' | 'inputState'>;

/**
 * Line reads of the FDN when a low RT60 target is set (see FdnCore and threeAnchorAbsorption.ts): each
 * line's low shelf and then its one-pole,
 *   u[n] = c0·x[n] + c1·x[n−1] + q·u[n−1],   s[n] = (scale·b0)·u[n] + p·s[n−1],
 * evaluated in exactly that order in every call (so any chunking gives the same bits), with state
 * x[n−1] in `xp`, u[n−1] in `u1`, s[n−1] in `s1`. Two first-order sections rather than one direct-form
 * biquad because coefficient ramps are linear: a first-order section's DC and Nyquist gains along a
 * linear ramp are mediants of the end gains (never above the larger), whereas halfway between two
 * stable biquads with a pole near DC the loop gain was measured at about 2. The two-anchor networks
 * never come here: their one-pole kernels (hadamardKernels.ts, fused16Kernel.ts) stay as they were,
 * bit for bit and as fast. Doubles travel in typed arrays (a double argument of a call that is not
 * inlined is boxed).
 */

/**
 * Line i over a chunk, reading either the ring at `offset` (`mask` the ring's) or, for modulated lines,
 * the interpolated samples already in `w` (offset 0, mask −1), filtered into `w`. With `ramping` each
 * coefficient moves by its step (onePoleStep = [b0, p] steps, shelfStep = [c0, c1, q] steps) before
 * every sample and is written back.
 */
export function readShelvedLine(
  net: ShelvedLineArrays, src: Float64Array, w: Float64Array, offset: number, mask: number, frames: number, i: number, ramping: boolean,
): void {
  const { scale, b0, pole, shelf, onePoleStep, shelfStep, filterState: s1, shelfState: u1, inputState: xp } = net;
  const sc = scale[0];
  let b = b0[i];
  let p = pole[i];
  let c0 = shelf[0][i];
  let c1 = shelf[1][i];
  let q = shelf[2][i];
  let s = s1[i];
  let u = u1[i];
  let x1 = xp[i];
  if (ramping) {
    const bs = onePoleStep[0][i];
    const ps = onePoleStep[1][i];
    const c0s = shelfStep[0][i];
    const c1s = shelfStep[1][i];
    const qs = shelfStep[2][i];
    for (let k = 0; k < frames; k++) {
      b += bs;
      p += ps;
      c0 += c0s;
      c1 += c1s;
      q += qs;
      const x = src[(offset + k) & mask];
      u = c0 * x + c1 * x1 + q * u;
      s = sc * b * u + p * s;
      x1 = x;
      w[k] = s;
    }
    b0[i] = b;
    pole[i] = p;
    shelf[0][i] = c0;
    shelf[1][i] = c1;
    shelf[2][i] = q;
  } else {
    const gb = sc * b;
    for (let k = 0; k < frames; k++) {
      const x = src[(offset + k) & mask];
      u = c0 * x + c1 * x1 + q * u;
      s = gb * u + p * s;
      x1 = x;
      w[k] = s;
    }
  }
  s1[i] = s;
  u1[i] = u;
  xp[i] = x1;
}

/**
 * Lines i0…i0+3 of an unmodulated network, coefficients at rest: the same shelf and one-pole as
 * `readShelvedLine` (same operations in the same order), four independent recursions per loop, then
 * the first `butterfly` 0, 1 (radix 2) or 2 (radix 4) Hadamard stages as readFilterGroup4 does them.
 */
export function readShelvedGroup4(net: FdnArrays, i0: number, pos: number, mask: number, frames: number, butterfly: 0 | 2 | 4): void {
  const { rings, work, delays, scale, b0, pole, shelf, filterState: s1, shelfState: u1, inputState: xp } = net;
  const sc = scale[0];
  const [c0, c1, q] = shelf;
  const ra = rings[i0], rb = rings[i0 + 1], rc = rings[i0 + 2], rd = rings[i0 + 3];
  const wa = work[i0], wb = work[i0 + 1], wc = work[i0 + 2], wd = work[i0 + 3];
  const ga = sc * b0[i0], gb = sc * b0[i0 + 1], gc = sc * b0[i0 + 2], gd = sc * b0[i0 + 3];
  const pa = pole[i0], pb = pole[i0 + 1], pc = pole[i0 + 2], pd = pole[i0 + 3];
  const c0a = c0[i0], c0b = c0[i0 + 1], c0c = c0[i0 + 2], c0d = c0[i0 + 3];
  const c1a = c1[i0], c1b = c1[i0 + 1], c1c = c1[i0 + 2], c1d = c1[i0 + 3];
  const qa = q[i0], qb = q[i0 + 1], qc = q[i0 + 2], qd = q[i0 + 3];
  const oa = pos - delays[i0], ob = pos - delays[i0 + 1], oc = pos - delays[i0 + 2], od = pos - delays[i0 + 3];
  let sa = s1[i0], sb = s1[i0 + 1], sc2 = s1[i0 + 2], sd = s1[i0 + 3];
  let ua = u1[i0], ub = u1[i0 + 1], uc = u1[i0 + 2], ud = u1[i0 + 3];
  let xa = xp[i0], xb = xp[i0 + 1], xc = xp[i0 + 2], xd = xp[i0 + 3];
  for (let k = 0; k < frames; k++) {
    const ya = ra[(oa + k) & mask];
    const yb = rb[(ob + k) & mask];
    const yc = rc[(oc + k) & mask];
    const yd = rd[(od + k) & mask];
    ua = c0a * ya + c1a * xa + qa * ua;
    ub = c0b * yb + c1b * xb + qb * ub;
    uc = c0c * yc + c1c * xc + qc * uc;
    ud = c0d * yd + c1d * xd + qd * ud;
    sa = ga * ua + pa * sa;
    sb = gb * ub + pb * sb;
    sc2 = gc * uc + pc * sc2;
    sd = gd * ud + pd * sd;
    xa = ya;
    xb = yb;
    xc = yc;
    xd = yd;
    if (butterfly === 4) {
      const t0 = sa + sb;
      const t1 = sa - sb;
      const t2 = sc2 + sd;
      const t3 = sc2 - sd;
      wa[k] = t0 + t2;
      wb[k] = t1 + t3;
      wc[k] = t0 - t2;
      wd[k] = t1 - t3;
    } else if (butterfly === 2) {
      wa[k] = sa + sb;
      wb[k] = sa - sb;
      wc[k] = sc2 + sd;
      wd[k] = sc2 - sd;
    } else {
      wa[k] = sa;
      wb[k] = sb;
      wc[k] = sc2;
      wd[k] = sd;
    }
  }
  s1[i0] = sa; s1[i0 + 1] = sb; s1[i0 + 2] = sc2; s1[i0 + 3] = sd;
  u1[i0] = ua; u1[i0 + 1] = ub; u1[i0 + 2] = uc; u1[i0 + 3] = ud;
  xp[i0] = xa; xp[i0 + 1] = xb; xp[i0 + 2] = xc; xp[i0 + 3] = xd;
}
