import { describe, expect, it } from 'vitest';
import { createInterpolator } from '../dsp/interpolators/createInterpolator.ts';
import type { FdnArrays } from './fdnArrays.ts';
import { readModulatedGroup4 } from './modulatedKernels.ts';
import { readOnePoleLine } from './onePoleKernels.ts';

/**
 * readModulatedGroup4 copies the dsp interpolators' formulas term for term and claims the same bits as
 * the per-line path: Interpolator.readBlockModulated at d_i[k] = (m_i − 1) + D[k]·(sin θ·cos φ_i + cos θ·sin φ_i)
 * with `newest` = pos + frames − 2, then readOnePoleLine over those samples (mask −1). Checked here bit for
 * bit, at a position where the read windows wrap around the ring and at one where they do not.
 */
const FRAMES = 40;
const MASK = 511;
const DELAYS = Int32Array.of(61, 73, 89, 97);
const LINES = DELAYS.length;

function fixture() {
  const rings = Array.from({ length: LINES }, (_, i) => Float64Array.from({ length: MASK + 1 }, (_, k) => Math.sin(0.05 * (i + 1) * k) + 0.3 * Math.cos(1.9 * k + i)));
  const sinBuf = Float64Array.from({ length: FRAMES }, (_, k) => Math.sin(0.11 * k + 0.4));
  const cosBuf = Float64Array.from({ length: FRAMES }, (_, k) => Math.cos(0.11 * k + 0.4));
  // Depth ramping from 3.3 to 21.7 samples: every fraction of a sample is visited.
  const depthBuf = Float64Array.from({ length: FRAMES }, (_, k) => 3.3 + (18.4 * k) / FRAMES);
  return {
    rings,
    b0: Float64Array.of(0.31, 0.42, 0.27, 0.5),
    pole: Float64Array.of(0.6, 0.35, 0.72, 0.1),
    state: Float64Array.of(0.05, -0.2, 0.4, 0),
    scale: Float64Array.of(0.5),
    cosOffset: Float64Array.from({ length: LINES }, (_, i) => Math.cos((2 * Math.PI * i) / LINES)),
    sinOffset: Float64Array.from({ length: LINES }, (_, i) => Math.sin((2 * Math.PI * i) / LINES)),
    sinBuf,
    cosBuf,
    depthBuf,
  };
}

/** The per-line reference: the shared interpolator, then the shared one-pole line read. */
function perLine(kind: 'cubic' | 'linear', pos: number): { work: Float64Array[]; state: Float64Array } {
  const f = fixture();
  const interpolator = createInterpolator(kind);
  interpolator.prepare(1, MASK);
  const zeroSteps = new Float64Array(LINES);
  const work = Array.from({ length: LINES }, () => new Float64Array(FRAMES));
  for (let i = 0; i < LINES; i++) {
    const m = DELAYS[i] - 1;
    const delays = Float64Array.from({ length: FRAMES }, (_, k) => m + f.depthBuf[k] * (f.sinBuf[k] * f.cosOffset[i] + f.cosBuf[k] * f.sinOffset[i]));
    interpolator.readBlockModulated(f.rings[i], MASK, pos + FRAMES - 2, work[i], 0, FRAMES, delays, 0);
    readOnePoleLine({ scale: f.scale, b0: f.b0, pole: f.pole, b0Step: zeroSteps, poleStep: zeroSteps, filterState: f.state }, work[i], work[i], 0, -1, FRAMES, i, false);
  }
  return { work, state: f.state };
}

function grouped(kind: 'cubic' | 'linear', pos: number): { work: Float64Array[]; state: Float64Array } {
  const f = fixture();
  const work = Array.from({ length: LINES }, () => new Float64Array(FRAMES));
  // The fields readModulatedGroup4 reads (fdnArrays.ts); the rest of a network's record is not used here.
  const net = {
    rings: f.rings, work, delays: DELAYS, b0: f.b0, pole: f.pole, filterState: f.state, scale: f.scale,
    cosOffset: f.cosOffset, sinOffset: f.sinOffset, sinBuf: f.sinBuf, cosBuf: f.cosBuf, depthBuf: f.depthBuf,
  } as unknown as FdnArrays;
  readModulatedGroup4(net, 0, pos, MASK, FRAMES, kind === 'cubic');
  return { work, state: f.state };
}

describe('readModulatedGroup4 against the dsp interpolator and the one-pole line read', () => {
  for (const kind of ['cubic', 'linear'] as const) {
    for (const pos of [30, 300]) {
      it(`gives the same bits as ${kind} readBlockModulated + readOnePoleLine (pos ${pos}${pos < 100 ? ', windows wrap' : ''})`, () => {
        const reference = perLine(kind, pos);

        const fast = grouped(kind, pos);

        for (let i = 0; i < LINES; i++) expect(fast.work[i]).toEqual(reference.work[i]);
        expect(fast.state).toEqual(reference.state);
        expect(Math.max(...reference.work[0].map(Math.abs))).toBeGreaterThan(0.1);
      });
    }
  }
});
