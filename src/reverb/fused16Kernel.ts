import type { FdnArrays } from './fdnArrays.ts';

const FLUSH = 1e-30;

/**
 * N = 16 in one pass: the four group reads with their radix-4 butterflies and the last radix-4 stage
 * with the write-back, unrolled — the same additions in the same order as readFilterGroup4 followed
 * by lastStagesAndWrite (bit-identical), without the round trip through the work arrays.
 * Processes frames [start, end) of the chunk, `pos` being the ring position at `start`. Returns false
 * (and does nothing) when a read window would cross the end of its ring: `framesBeforeWrap16` gives
 * the longest span that does not, so the caller splits its chunk there. Its speed is `fdn16_js_kernel`'s (see FdnCore).
 */
export function fused16(
  net: FdnArrays, sum: Float64Array, diff: Float64Array, pos: number, mask: number, yL: Float64Array, yR: Float64Array, start: number, end: number,
): boolean {
  const { rings, delays, b0: gains, pole: poles, filterState: states, scale, inSign: signs } = net;
  const size = mask + 1;
  const frames = end - start;
  for (let i = 0; i < 16; i++) if (((pos - delays[i]) & mask) + frames > size) return false;
  const g = scale[0];
  const r0 = rings[0], o0 = (pos - delays[0]) & mask, b0 = g * gains[0], p0 = poles[0], e0 = signs[0];
  let s0 = states[0];
  const r1 = rings[1], o1 = (pos - delays[1]) & mask, b1 = g * gains[1], p1 = poles[1], e1 = signs[1];
  let s1 = states[1];
  const r2 = rings[2], o2 = (pos - delays[2]) & mask, b2 = g * gains[2], p2 = poles[2], e2 = signs[2];
  let s2 = states[2];
  const r3 = rings[3], o3 = (pos - delays[3]) & mask, b3 = g * gains[3], p3 = poles[3], e3 = signs[3];
  let s3 = states[3];
  const r4 = rings[4], o4 = (pos - delays[4]) & mask, b4 = g * gains[4], p4 = poles[4], e4 = signs[4];
  let s4 = states[4];
  const r5 = rings[5], o5 = (pos - delays[5]) & mask, b5 = g * gains[5], p5 = poles[5], e5 = signs[5];
  let s5 = states[5];
  const r6 = rings[6], o6 = (pos - delays[6]) & mask, b6 = g * gains[6], p6 = poles[6], e6 = signs[6];
  let s6 = states[6];
  const r7 = rings[7], o7 = (pos - delays[7]) & mask, b7 = g * gains[7], p7 = poles[7], e7 = signs[7];
  let s7 = states[7];
  const r8 = rings[8], o8 = (pos - delays[8]) & mask, b8 = g * gains[8], p8 = poles[8], e8 = signs[8];
  let s8 = states[8];
  const r9 = rings[9], o9 = (pos - delays[9]) & mask, b9 = g * gains[9], p9 = poles[9], e9 = signs[9];
  let s9 = states[9];
  const r10 = rings[10], o10 = (pos - delays[10]) & mask, b10 = g * gains[10], p10 = poles[10], e10 = signs[10];
  let s10 = states[10];
  const r11 = rings[11], o11 = (pos - delays[11]) & mask, b11 = g * gains[11], p11 = poles[11], e11 = signs[11];
  let s11 = states[11];
  const r12 = rings[12], o12 = (pos - delays[12]) & mask, b12 = g * gains[12], p12 = poles[12], e12 = signs[12];
  let s12 = states[12];
  const r13 = rings[13], o13 = (pos - delays[13]) & mask, b13 = g * gains[13], p13 = poles[13], e13 = signs[13];
  let s13 = states[13];
  const r14 = rings[14], o14 = (pos - delays[14]) & mask, b14 = g * gains[14], p14 = poles[14], e14 = signs[14];
  let s14 = states[14];
  const r15 = rings[15], o15 = (pos - delays[15]) & mask, b15 = g * gains[15], p15 = poles[15], e15 = signs[15];
  let s15 = states[15];
  for (let k = start, j = 0; k < end; k++, j++) {
    s0 = b0 * r0[o0 + j] + p0 * s0;
    s1 = b1 * r1[o1 + j] + p1 * s1;
    s2 = b2 * r2[o2 + j] + p2 * s2;
    s3 = b3 * r3[o3 + j] + p3 * s3;
    s4 = b4 * r4[o4 + j] + p4 * s4;
    s5 = b5 * r5[o5 + j] + p5 * s5;
    s6 = b6 * r6[o6 + j] + p6 * s6;
    s7 = b7 * r7[o7 + j] + p7 * s7;
    s8 = b8 * r8[o8 + j] + p8 * s8;
    s9 = b9 * r9[o9 + j] + p9 * s9;
    s10 = b10 * r10[o10 + j] + p10 * s10;
    s11 = b11 * r11[o11 + j] + p11 * s11;
    s12 = b12 * r12[o12 + j] + p12 * s12;
    s13 = b13 * r13[o13 + j] + p13 * s13;
    s14 = b14 * r14[o14 + j] + p14 * s14;
    s15 = b15 * r15[o15 + j] + p15 * s15;
    const u0 = s0 + s1, u1 = s0 - s1, u2 = s2 + s3, u3 = s2 - s3;
    const t0 = u0 + u2, t1 = u1 + u3, t2 = u0 - u2, t3 = u1 - u3;
    const u4 = s4 + s5, u5 = s4 - s5, u6 = s6 + s7, u7 = s6 - s7;
    const t4 = u4 + u6, t5 = u5 + u7, t6 = u4 - u6, t7 = u5 - u7;
    const u8 = s8 + s9, u9 = s8 - s9, u10 = s10 + s11, u11 = s10 - s11;
    const t8 = u8 + u10, t9 = u9 + u11, t10 = u8 - u10, t11 = u9 - u11;
    const u12 = s12 + s13, u13 = s12 - s13, u14 = s14 + s15, u15 = s14 - s15;
    const t12 = u12 + u14, t13 = u13 + u15, t14 = u12 - u14, t15 = u13 - u15;
    const xs = sum[k];
    const xd = diff[k];
    const w = (pos + j) & mask;
    const v0 = t0 + t4, v4 = t0 - t4, v8 = t8 + t12, v12 = t8 - t12;
    const m0 = v0 + v8, m4 = v4 + v12;
    yL[k] = m0;
    yR[k] = m4;
    const x0 = e0 * xs + m0, x4 = e4 * xs + m4, x8 = e8 * xs + (v0 - v8), x12 = e12 * xs + (v4 - v12);
    r0[w] = Math.abs(x0) > FLUSH ? x0 : 0;
    r4[w] = Math.abs(x4) > FLUSH ? x4 : 0;
    r8[w] = Math.abs(x8) > FLUSH ? x8 : 0;
    r12[w] = Math.abs(x12) > FLUSH ? x12 : 0;
    const v1 = t1 + t5, v5 = t1 - t5, v9 = t9 + t13, v13 = t9 - t13;
    const m1 = v1 + v9, m5 = v5 + v13;
    const x1 = e1 * xd + m1, x5 = e5 * xd + m5, x9 = e9 * xd + (v1 - v9), x13 = e13 * xd + (v5 - v13);
    r1[w] = Math.abs(x1) > FLUSH ? x1 : 0;
    r5[w] = Math.abs(x5) > FLUSH ? x5 : 0;
    r9[w] = Math.abs(x9) > FLUSH ? x9 : 0;
    r13[w] = Math.abs(x13) > FLUSH ? x13 : 0;
    const v2 = t2 + t6, v6 = t2 - t6, v10 = t10 + t14, v14 = t10 - t14;
    const m2 = v2 + v10, m6 = v6 + v14;
    const x2 = e2 * xs + m2, x6 = e6 * xs + m6, x10 = e10 * xs + (v2 - v10), x14 = e14 * xs + (v6 - v14);
    r2[w] = Math.abs(x2) > FLUSH ? x2 : 0;
    r6[w] = Math.abs(x6) > FLUSH ? x6 : 0;
    r10[w] = Math.abs(x10) > FLUSH ? x10 : 0;
    r14[w] = Math.abs(x14) > FLUSH ? x14 : 0;
    const v3 = t3 + t7, v7 = t3 - t7, v11 = t11 + t15, v15 = t11 - t15;
    const m3 = v3 + v11, m7 = v7 + v15;
    const x3 = e3 * xd + m3, x7 = e7 * xd + m7, x11 = e11 * xd + (v3 - v11), x15 = e15 * xd + (v7 - v15);
    r3[w] = Math.abs(x3) > FLUSH ? x3 : 0;
    r7[w] = Math.abs(x7) > FLUSH ? x7 : 0;
    r11[w] = Math.abs(x11) > FLUSH ? x11 : 0;
    r15[w] = Math.abs(x15) > FLUSH ? x15 : 0;
  }
  states[0] = s0;
  states[1] = s1;
  states[2] = s2;
  states[3] = s3;
  states[4] = s4;
  states[5] = s5;
  states[6] = s6;
  states[7] = s7;
  states[8] = s8;
  states[9] = s9;
  states[10] = s10;
  states[11] = s11;
  states[12] = s12;
  states[13] = s13;
  states[14] = s14;
  states[15] = s15;
  return true;
}

/** Frames from `pos` before the first of the 16 read windows reaches the end of its ring (at most `frames`). */
export function framesBeforeWrap16(delays: Int32Array, pos: number, mask: number, frames: number): number {
  const size = mask + 1;
  let run = frames;
  for (let i = 0; i < 16; i++) {
    const left = size - ((pos - delays[i]) & mask);
    if (left < run) run = left;
  }
  return run;
}
