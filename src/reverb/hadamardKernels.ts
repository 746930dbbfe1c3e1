import type { FdnArrays } from './fdnArrays.ts';

/**
 * Chunk kernels of the Hadamard FDN (see FdnCore). The transform is the Sylvester FWHT (stages h = 1, 2,
 * 4, … in that order) done two stages per pass where it can: a radix-4 butterfly
 *   s0 = a + b, s1 = a − b, s2 = c + d, s3 = c − d → (s0 + s2, s1 + s3, s0 − s2, s1 − s3)
 * performs exactly the additions of two radix-2 stages in the same order, so every split of the
 * stages gives bit-identical results. The first two stages are fused with the delay-line reads (four
 * lines per loop: four independent one-pole recursions keep the CPU busy where one recursion would
 * wait on its own multiply-add latency), the last one or two with the write-back.
 * Doubles are never passed as arguments (they would be boxed on calls that are not inlined): the
 * network's arrays come as one record (fdnArrays.ts), `scale` (1/√N, folded into the line gains b0)
 * among them as a one-element Float64Array.
 */

/** Lines i0…i0+3: s_i = (scale·b0_i)·x_i[n − m_i] + p_i·s_i, then the first `butterfly` 0, 1 (radix 2) or 2 (radix 4) stages, into work. */
export function readFilterGroup4(net: FdnArrays, i0: number, pos: number, mask: number, frames: number, butterfly: 0 | 2 | 4): void {
  const { rings, work, delays, b0, pole, filterState: state, scale } = net;
  const g = scale[0];
  const ra = rings[i0], rb = rings[i0 + 1], rc = rings[i0 + 2], rd = rings[i0 + 3];
  const wa = work[i0], wb = work[i0 + 1], wc = work[i0 + 2], wd = work[i0 + 3];
  const ba = g * b0[i0], bb = g * b0[i0 + 1], bc = g * b0[i0 + 2], bd = g * b0[i0 + 3];
  const pa = pole[i0], pb = pole[i0 + 1], pc = pole[i0 + 2], pd = pole[i0 + 3];
  let oa = pos - delays[i0], ob = pos - delays[i0 + 1], oc = pos - delays[i0 + 2], od = pos - delays[i0 + 3];
  let sa = state[i0], sb = state[i0 + 1], sc = state[i0 + 2], sd = state[i0 + 3];
  const size = mask + 1;
  const wraps = ((oa & mask) + frames > size) || ((ob & mask) + frames > size) || ((oc & mask) + frames > size) || ((od & mask) + frames > size);
  if (!wraps) {
    // No read window crosses the end of its ring (the usual case): plain indices, no masks.
    oa &= mask;
    ob &= mask;
    oc &= mask;
    od &= mask;
  }
  if (butterfly === 4 && !wraps) {
    for (let k = 0; k < frames; k++) {
      sa = ba * ra[oa + k] + pa * sa;
      sb = bb * rb[ob + k] + pb * sb;
      sc = bc * rc[oc + k] + pc * sc;
      sd = bd * rd[od + k] + pd * sd;
      const s0 = sa + sb;
      const s1 = sa - sb;
      const s2 = sc + sd;
      const s3 = sc - sd;
      wa[k] = s0 + s2;
      wb[k] = s1 + s3;
      wc[k] = s0 - s2;
      wd[k] = s1 - s3;
    }
  } else if (butterfly === 4) {
    for (let k = 0; k < frames; k++) {
      sa = ba * ra[(oa + k) & mask] + pa * sa;
      sb = bb * rb[(ob + k) & mask] + pb * sb;
      sc = bc * rc[(oc + k) & mask] + pc * sc;
      sd = bd * rd[(od + k) & mask] + pd * sd;
      const s0 = sa + sb;
      const s1 = sa - sb;
      const s2 = sc + sd;
      const s3 = sc - sd;
      wa[k] = s0 + s2;
      wb[k] = s1 + s3;
      wc[k] = s0 - s2;
      wd[k] = s1 - s3;
    }
  } else if (butterfly === 2) {
    for (let k = 0; k < frames; k++) {
      sa = ba * ra[(oa + k) & mask] + pa * sa;
      sb = bb * rb[(ob + k) & mask] + pb * sb;
      sc = bc * rc[(oc + k) & mask] + pc * sc;
      sd = bd * rd[(od + k) & mask] + pd * sd;
      wa[k] = sa + sb;
      wb[k] = sa - sb;
      wc[k] = sc + sd;
      wd[k] = sc - sd;
    }
  } else {
    for (let k = 0; k < frames; k++) {
      sa = ba * ra[(oa + k) & mask] + pa * sa;
      sb = bb * rb[(ob + k) & mask] + pb * sb;
      sc = bc * rc[(oc + k) & mask] + pc * sc;
      sd = bd * rd[(od + k) & mask] + pd * sd;
      wa[k] = sa;
      wb[k] = sb;
      wc[k] = sc;
      wd[k] = sd;
    }
  }
  state[i0] = sa;
  state[i0 + 1] = sb;
  state[i0 + 2] = sc;
  state[i0 + 3] = sd;
}

/** One radix-2 stage of span h over all n lines, in place. */
export function radix2Stage(work: readonly Float64Array[], n: number, h: number, frames: number): void {
  for (let i = 0; i < n; i += 2 * h) {
    for (let j = i; j < i + h; j++) {
      const a = work[j];
      const b = work[j + h];
      for (let k = 0; k < frames; k++) {
        const x = a[k];
        const y = b[k];
        a[k] = x + y;
        b[k] = x - y;
      }
    }
  }
}

/** Stages h and 2h over all n lines, in place. */
export function radix4Stage(work: readonly Float64Array[], n: number, h: number, frames: number): void {
  for (let i = 0; i < n; i += 4 * h) {
    for (let j = i; j < i + h; j++) {
      const wa = work[j], wb = work[j + h], wc = work[j + 2 * h], wd = work[j + 3 * h];
      for (let k = 0; k < frames; k++) {
        const a = wa[k];
        const b = wb[k];
        const c = wc[k];
        const d = wd[k];
        const s0 = a + b;
        const s1 = a - b;
        const s2 = c + d;
        const s3 = c - d;
        wa[k] = s0 + s2;
        wb[k] = s1 + s3;
        wc[k] = s0 - s2;
        wd[k] = s1 - s3;
      }
    }
  }
}

const FLUSH = 1e-30;

/**
 * The last stage(s), fused with the write-back x_i[n] = σ_i·src_i[n] + (H·s)_i, flushed below 1e-30,
 * where src_i is S = g·(u_L + u_R) for even lines and D = g·(u_L − u_R) for odd ones (the input
 * distribution; the 1/√N of the matrix is folded into the line gains). `radix` 4 does stages h and
 * 2h (h = n/4), `radix` 2 does stage h = n/2. The stereo taps are rows 0 and h of H·s: every line
 * with weight ±1/√N, two orthogonal sign patterns.
 */
export function lastStagesAndWrite(
  net: FdnArrays, sum: Float64Array, diff: Float64Array, radix: 2 | 4, pos: number, mask: number, yL: Float64Array, yR: Float64Array, frames: number,
): void {
  const { work, rings, inSign: sign } = net;
  const n = rings.length;
  if (radix === 2) {
    const h = n >> 1;
    for (let j = 0; j < h; j++) {
      const wa = work[j], wb = work[j + h];
      const ra = rings[j], rb = rings[j + h];
      const ea = sign[j], eb = sign[j + h];
      const sa = j & 1 ? diff : sum;
      const sb = (j + h) & 1 ? diff : sum;
      for (let k = 0; k < frames; k++) {
        const a = wa[k];
        const b = wb[k];
        const ma = a + b;
        const mb = a - b;
        if (j === 0) {
          yL[k] = ma;
          yR[k] = mb;
        }
        const xa = ea * sa[k] + ma;
        const xb = eb * sb[k] + mb;
        const p = (pos + k) & mask;
        ra[p] = Math.abs(xa) > FLUSH ? xa : 0;
        rb[p] = Math.abs(xb) > FLUSH ? xb : 0;
      }
    }
    return;
  }
  const h = n >> 2;
  for (let j = 0; j < h; j++) {
    const wa = work[j], wb = work[j + h], wc = work[j + 2 * h], wd = work[j + 3 * h];
    const ra = rings[j], rb = rings[j + h], rc = rings[j + 2 * h], rd = rings[j + 3 * h];
    const ea = sign[j], eb = sign[j + h], ec = sign[j + 2 * h], ed = sign[j + 3 * h];
    if ((h & 1) === 0) {
      // N ≥ 8: the four lines share the parity of j, so one input sample feeds all four.
      const src = j & 1 ? diff : sum;
      const tap = j === 0;
      for (let k = 0; k < frames; k++) {
        const a = wa[k];
        const b = wb[k];
        const c = wc[k];
        const d = wd[k];
        const s0 = a + b;
        const s1 = a - b;
        const s2 = c + d;
        const s3 = c - d;
        const ma = s0 + s2;
        const mb = s1 + s3;
        if (tap) {
          yL[k] = ma;
          yR[k] = mb;
        }
        const x = src[k];
        const xa = ea * x + ma;
        const xb = eb * x + mb;
        const xc = ec * x + (s0 - s2);
        const xd = ed * x + (s1 - s3);
        const p = (pos + k) & mask;
        ra[p] = Math.abs(xa) > FLUSH ? xa : 0;
        rb[p] = Math.abs(xb) > FLUSH ? xb : 0;
        rc[p] = Math.abs(xc) > FLUSH ? xc : 0;
        rd[p] = Math.abs(xd) > FLUSH ? xd : 0;
      }
      continue;
    }
    // N = 4: lines 0 and 2 take the sum, 1 and 3 the difference.
    for (let k = 0; k < frames; k++) {
      const a = wa[k];
      const b = wb[k];
      const c = wc[k];
      const d = wd[k];
      const s0 = a + b;
      const s1 = a - b;
      const s2 = c + d;
      const s3 = c - d;
      const ma = s0 + s2;
      const mb = s1 + s3;
      yL[k] = ma;
      yR[k] = mb;
      const u = sum[k];
      const v = diff[k];
      const xa = ea * u + ma;
      const xb = eb * v + mb;
      const xc = ec * u + (s0 - s2);
      const xd = ed * v + (s1 - s3);
      const p = (pos + k) & mask;
      ra[p] = Math.abs(xa) > FLUSH ? xa : 0;
      rb[p] = Math.abs(xb) > FLUSH ? xb : 0;
      rc[p] = Math.abs(xc) > FLUSH ? xc : 0;
      rd[p] = Math.abs(xd) > FLUSH ? xd : 0;
    }
  }
}
