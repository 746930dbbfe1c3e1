import type { FdnArrays } from './fdnArrays.ts';

/** The arrays readOnePoleLine uses. */
export type OnePoleArrays = Pick<FdnArrays, 'scale' | 'b0' | 'pole' | 'b0Step' | 'poleStep' | 'filterState'>;

/**
 * The per-line read of the FDN's one-pole lines (see FdnCore), used where the grouped kernels do not
 * apply (a coefficient ramp, a line count not a multiple of 4, a modulated line while ramping):
 *   s[n] = (scale·b0)·x[n] + p·s[n−1]   into w,
 * x read from the ring at `offset` (`mask` the ring's) or, for a modulated line, from the interpolated
 * samples already in `w` (offset 0, mask −1), as `readShelvedLine` does. With `ramping`, b0 and p move by
 * their steps before every sample and are written back; at rest the product scale·b0 is formed once,
 * exactly as the grouped kernels form it, so either path gives the same bits. Doubles travel in typed
 * arrays (a double argument of a call that is not inlined is boxed): the record `net` (fdnArrays.ts).
 */
export function readOnePoleLine(
  net: OnePoleArrays, src: Float64Array, w: Float64Array, offset: number, mask: number, frames: number, i: number, ramping: boolean,
): void {
  const { scale, b0, pole, b0Step, poleStep, filterState: s1 } = net;
  const sc = scale[0];
  let s = s1[i];
  let b = b0[i];
  let p = pole[i];
  if (ramping) {
    const bs = b0Step[i];
    const ps = poleStep[i];
    for (let k = 0; k < frames; k++) {
      b += bs;
      p += ps;
      s = sc * b * src[(offset + k) & mask] + p * s;
      w[k] = s;
    }
    b0[i] = b;
    pole[i] = p;
  } else {
    const gb = sc * b;
    for (let k = 0; k < frames; k++) {
      s = gb * src[(offset + k) & mask] + p * s;
      w[k] = s;
    }
  }
  s1[i] = s;
}
