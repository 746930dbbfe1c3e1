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
  src: Float64Array, w: Float64Array, offset: number, mask: number, frames: number, i: number, scale: Float64Array,
  b0: Float64Array, pole: Float64Array, shelf: readonly Float64Array[], onePoleStep: readonly Float64Array[], shelfStep: readonly Float64Array[],
  s1: Float64Array, u1: Float64Array, xp: Float64Array, ramping: boolean,
): void {
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
