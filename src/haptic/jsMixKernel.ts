import type { HapticMixKernel, WasmMemory } from './mixKernel.ts';
import { TapArg, type TapGeometry, writeTapCoefficients } from './tapCoefficients.ts';

const fr = Math.fround;

/**
 * The block kernels of mixKernel.ts in plain typed-array JavaScript, operation for operation in f32
 * (Math.fround after every multiply and add), so its output is bit-identical to the WebAssembly
 * kernels. It is the reference the WASM kernels are tested against and the "before" figure of
 * haptic.bench.ts.
 */
export function createJsMixKernel(memory: WasmMemory): HapticMixKernel {
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const mix = (taps: 2 | 4) => (out: number, strideB: number, src: number, frames: number, coef: number, numT: number): void => {
    const stride = strideB >> 2;
    const c = coef >> 2;
    for (let t = 0; t < numT; t++) {
      const d = i32[c + t];
      const a = f32[c + numT + t], b = f32[c + 2 * numT + t], cc = f32[c + 3 * numT + t], dd = f32[c + 4 * numT + t];
      const dst = (out >> 2) + t * stride;
      if (taps === 2) {
        const p = (src >> 2) - d;
        for (let i = 0; i < frames; i++) f32[dst + i] = f32[dst + i] + fr(fr(f32[p + i] * a) + fr(f32[p + i - 1] * b));
      } else {
        const p = (src >> 2) - d + 1;
        for (let i = 0; i < frames; i++) {
          const y = fr(fr(fr(fr(f32[p + i] * a) + fr(f32[p + i - 1] * b)) + fr(f32[p + i - 2] * cc)) + fr(f32[p + i - 3] * dd));
          f32[dst + i] = f32[dst + i] + y;
        }
      }
    }
  };
  const gain = (out: number, strideB: number, src: number, frames: number, gains: number, numT: number): void => {
    const stride = strideB >> 2;
    for (let t = 0; t < numT; t++) {
      const g = f32[(gains >> 2) + t];
      const dst = (out >> 2) + t * stride;
      for (let i = 0; i < frames; i++) f32[dst + i] = f32[dst + i] + fr(f32[(src >> 2) + i] * g);
    }
  };
  const f64 = new Float64Array(memory.buffer);
  const linear = mix(2);
  const sineRun = (dst: number, n: number, state: number, accumulate: number): void => {
    const st = state >> 3;
    const g = f64[st], cs = f64[st + 3], ss = f64[st + 4];
    let c = f64[st + 1], s = f64[st + 2];
    for (let i = 0, p = dst >> 2; i < n; i++, p++) {
      let v = g * s;
      if (Math.abs(v) < 1e-30) v = 0;
      if (accumulate) f32[p] += v;
      else f32[p] = v;
      const c2 = c * cs - s * ss;
      s = s * cs + c * ss;
      c = c2;
    }
    f64[st + 1] = c;
    f64[st + 2] = s;
  };
  // linearTaps: writeTapCoefficients itself, over views of the positions made once per (xs, ys, numT).
  let geometry: TapGeometry = { xsM: new Float64Array(0), ysM: new Float64Array(0) };
  let geometryAt = [-1, -1, -1];
  const tapArgs = new Float64Array(5);
  return {
    sineRun,
    linearTaps(xs, ys, numT, args, coef) {
      if (geometryAt[0] !== xs || geometryAt[1] !== ys || geometryAt[2] !== numT) {
        geometry = { xsM: new Float64Array(memory.buffer, xs, numT), ysM: new Float64Array(memory.buffer, ys, numT) };
        geometryAt = [xs, ys, numT];
      }
      const a = args >> 3;
      tapArgs[TapArg.xM] = f64[a];
      tapArgs[TapArg.yM] = f64[a + 1];
      tapArgs[TapArg.waveSpeedMps] = 1; // so samplesPerMetre = sampleRate / 1 is f64[a + 2] exactly
      tapArgs[TapArg.sampleRate] = f64[a + 2];
      tapArgs[TapArg.gainLinear] = f64[a + 3];
      writeTapCoefficients(geometry, tapArgs, 0, i32, f32, coef >> 2);
    },
    sineRunMany(table, count, n, bus) {
      for (let e = table; e < table + 48 * (count & -4); e += 48) sineRun(bus === 0 ? i32[(e + 40) >> 2] : bus, n, e, bus === 0 ? 0 : 1);
    },
    mixLinear: linear,
    mixSpan(out, strideB, frames, numT, list, count, bus, gains, _table) {
      for (let t = 0; t < numT; t++) f32.fill(0, (out >> 2) + t * (strideB >> 2), (out >> 2) + t * (strideB >> 2) + frames);
      for (let e = list >> 2; e < (list >> 2) + 2 * count; e += 2) linear(out, strideB, i32[e], frames, i32[e + 1], numT);
      if (bus !== 0) gain(out, strideB, bus, frames, gains, numT);
    },
    mixCubic: mix(4),
    mixGain: gain,
    finish(out, strideB, frames, numT, peak, sumsq) {
      const stride = strideB >> 2;
      let clipped = 0;
      for (let t = 0; t < numT; t++) {
        const dst = (out >> 2) + t * stride;
        let pk = 0;
        // Σ v² in the WebAssembly kernel's order: four lane sums over the 4-frame groups, added as
        // (l0 + l1) + (l2 + l3), then the tail frames one by one (f32 addition is not associative).
        let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        let ss = 0;
        const vectorEnd = frames & ~3;
        for (let i = 0; i < frames; i++) {
          if (i === vectorEnd) ss = fr(fr(l0 + l1) + fr(l2 + l3));
          let v = f32[dst + i];
          if (Math.abs(v) > 1) clipped++;
          v = v < 1 ? (v > -1 ? v : -1) : 1;
          if (Math.abs(v) < 1.1754943508222875e-38) v = 0;
          f32[dst + i] = v;
          pk = Math.max(pk, Math.abs(v));
          const square = fr(v * v);
          if (i >= vectorEnd) ss = fr(ss + square);
          else if ((i & 3) === 0) l0 = fr(l0 + square);
          else if ((i & 3) === 1) l1 = fr(l1 + square);
          else if ((i & 3) === 2) l2 = fr(l2 + square);
          else l3 = fr(l3 + square);
        }
        if (frames === vectorEnd) ss = fr(fr(l0 + l1) + fr(l2 + l3));
        f32[(peak >> 2) + t] = pk;
        f32[(sumsq >> 2) + t] = ss;
      }
      return clipped;
    },
  };
}
