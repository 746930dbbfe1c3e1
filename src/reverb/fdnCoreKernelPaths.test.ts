import { describe, expect, it } from 'vitest';
import type { FeedbackMatrixKind } from '../dsp/feedbackMatrix.ts';
import { MOD_INCREMENT, MOD_TARGET } from './delayModulation.ts';
import { FdnCore } from './fdnCore.ts';

/**
 * FdnCore picks its kernels per chunk: the fused 16-line kernel (fused16Kernel.ts), the grouped reads
 * four lines at a time (readFilterGroup4, readModulatedGroup4) or, while coefficients ramp, the per-line
 * reads (readOnePoleLine, and the dsp Interpolator through DelayModulation for modulated lines) followed
 * by the general stages. The code claims the same bits on every path. A ramp to the values already there
 * (steps of 0) sends every chunk through the per-line path, so two cores, one at rest and one "ramping",
 * must agree bit for bit on every output sample. (FdnCore's own shelved kernels are checked this way in
 * fdnCore.test.ts.)
 */
interface PathCase {
  kind: FeedbackMatrixKind;
  lines: number;
  interpolation: 'cubic' | 'linear';
  depthSamples: number;
  /** The kernel the core at rest runs. */
  fast: string;
}

const CASES: PathCase[] = [
  { kind: 'hadamard', lines: 4, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4' },
  { kind: 'hadamard', lines: 8, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4 (radix 2)' },
  { kind: 'hadamard', lines: 16, interpolation: 'cubic', depthSamples: 0, fast: 'fused16' },
  { kind: 'hadamard', lines: 32, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4 (radix 2)' },
  { kind: 'hadamard', lines: 64, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4 (radix 4)' },
  { kind: 'householder', lines: 8, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4' },
  { kind: 'randomOrthogonal', lines: 8, interpolation: 'cubic', depthSamples: 0, fast: 'readFilterGroup4' },
  { kind: 'hadamard', lines: 8, interpolation: 'cubic', depthSamples: 7.3, fast: 'readModulatedGroup4 (cubic)' },
  { kind: 'hadamard', lines: 16, interpolation: 'linear', depthSamples: 11.9, fast: 'readModulatedGroup4 (linear)' },
  { kind: 'householder', lines: 8, interpolation: 'cubic', depthSamples: 4.6, fast: 'readModulatedGroup4 (cubic)' },
];

function makeCore(c: PathCase, rampFrames: number): FdnCore {
  const delays = Array.from({ length: c.lines }, (_, i) => 97 + 13 * i + ((i * i) % 7));
  const core = new FdnCore(delays, c.kind, 11, c.interpolation);
  const k = core.coefficients;
  for (let i = 0; i < c.lines; i++) {
    k.poleTarget[i] = 0.2 + 0.03 * (i % 5);
    k.b0Target[i] = 0.97 * (1 - k.poleTarget[i]);
  }
  k.startRamp(0);
  k.startRamp(rampFrames);
  core.modulation.state[MOD_TARGET] = c.depthSamples;
  core.modulation.state[MOD_INCREMENT] = 0.013;
  core.modulation.startDepthRamp(0);
  return core;
}

describe('FdnCore: the fused and grouped kernels against the per-line path', () => {
  it.each(CASES)('$fast gives the same bits as the per-line reads ($kind, $lines lines, depth $depthSamples, $interpolation)', (c) => {
    const atRest = makeCore(c, 0);
    const perLine = makeCore(c, 1 << 30);
    const chunk = atRest.maxChunkFrames;
    const sum = new Float64Array(chunk);
    const diff = new Float64Array(chunk);
    const out = Array.from({ length: 4 }, () => new Float64Array(chunk));
    let peak = 0;
    for (let block = 0, t = 0; block < 60; block++) {
      // Odd-sized chunks too, so read windows start at every offset and wrap around the rings; both inputs
      // (sum and difference) sound throughout, so every term of every kernel carries signal.
      const frames = block % 3 === 0 ? chunk : 1 + ((block * 29) % chunk);
      for (let k = 0; k < frames; k++, t++) {
        sum[k] = 0.3 * Math.sin(0.37 * t) + 0.1 * Math.sin(2.3 * t);
        diff[k] = 0.2 * Math.cos(0.11 * t) - 0.1 * Math.sin(1.3 * t);
      }
      atRest.process(sum, diff, out[0], out[1], frames);
      perLine.process(sum, diff, out[2], out[3], frames);
      expect(out[0]).toEqual(out[2]);
      expect(out[1]).toEqual(out[3]);
      for (let k = 0; k < frames; k++) peak = Math.max(peak, Math.abs(out[0][k]));
    }
    expect(peak).toBeGreaterThan(1e-3);
  });
});
