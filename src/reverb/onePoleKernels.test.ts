import { describe, expect, it } from 'vitest';
import { OnePole } from '../dsp/onePole.ts';
import { type OnePoleArrays, readOnePoleLine } from './onePoleKernels.ts';

const FRAMES = 48;
const MASK = 127;

function lineState() {
  const ring = Float64Array.from({ length: MASK + 1 }, (_, k) => Math.sin(0.3 * k) + 0.1 * Math.cos(1.7 * k));
  return { ring, b0: Float64Array.of(0, 0.4), pole: Float64Array.of(0, 0.55), s1: Float64Array.of(0, 0.2), zero: new Float64Array(2) };
}

/** The kernel's record of arrays (fdnArrays.ts) from loose arrays. */
function arrays(scale: Float64Array, b0: Float64Array, pole: Float64Array, b0Step: Float64Array, poleStep: Float64Array, filterState: Float64Array): OnePoleArrays {
  return { scale, b0, pole, b0Step, poleStep, filterState };
}

describe('readOnePoleLine', () => {
  it('computes s = (scale·b0)·x[n − m] + p·s[n−1] over the ring, wrapping at the mask (within 1e-15)', () => {
    const { ring, b0, pole, s1, zero } = lineState();
    const w = new Float64Array(FRAMES);
    readOnePoleLine(arrays(Float64Array.of(0.5), b0, pole, zero, zero, s1), ring, w, 100, MASK, FRAMES, 1, false);
    let s = 0.2;
    for (let k = 0; k < FRAMES; k++) {
      s = 0.5 * 0.4 * ring[(100 + k) & MASK] + 0.55 * s;
      expect(Math.abs(w[k] - s)).toBeLessThan(1e-15);
    }
    expect(s1[1]).toBe(w[FRAMES - 1]);
  });

  it('gives the same bits ramping with zero steps as at rest, and from samples already in w (mask −1)', () => {
    const a = lineState();
    const b = lineState();
    const c = lineState();
    const scale = Float64Array.of(0.25);
    const atRest = new Float64Array(FRAMES);
    const ramping = new Float64Array(FRAMES);
    readOnePoleLine(arrays(scale, a.b0, a.pole, a.zero, a.zero, a.s1), a.ring, atRest, 120, MASK, FRAMES, 1, false);
    readOnePoleLine(arrays(scale, b.b0, b.pole, b.zero, b.zero, b.s1), b.ring, ramping, 120, MASK, FRAMES, 1, true);
    const inPlace = Float64Array.from({ length: FRAMES }, (_, k) => c.ring[(120 + k) & MASK]);
    readOnePoleLine(arrays(scale, c.b0, c.pole, c.zero, c.zero, c.s1), inPlace, inPlace, 0, -1, FRAMES, 1, false);
    expect(ramping).toEqual(atRest);
    expect(inPlace).toEqual(atRest);
  });

  it('moves b0 and p by their steps before every sample and writes them back', () => {
    const { ring, b0, pole, s1 } = lineState();
    readOnePoleLine(arrays(Float64Array.of(1), b0, pole, Float64Array.of(0, 0.001), Float64Array.of(0, -0.002), s1), ring, new Float64Array(FRAMES), 0, MASK, FRAMES, 1, true);
    expect(Math.abs(b0[1] - (0.4 + FRAMES * 0.001))).toBeLessThan(1e-14);
    expect(Math.abs(pole[1] - (0.55 - FRAMES * 0.002))).toBeLessThan(1e-14);
  });

  it('gives the same bits as the shared dsp OnePole with b0 = scale·b0, b1 = 0 (every value above its 1e-30 flush)', () => {
    const { ring, b0, pole, s1, zero } = lineState();
    const scale = Float64Array.of(0.25);
    const w = new Float64Array(FRAMES);
    const filter = new OnePole();
    filter.setCoefficients(scale[0] * b0[1], 0, pole[1]);
    filter.setState({ previousInput: 0, previousOutput: s1[1] });

    readOnePoleLine(arrays(scale, b0, pole, zero, zero, s1), ring, w, 100, MASK, FRAMES, 1, false);

    const reference = Float64Array.from({ length: FRAMES }, (_, k) => filter.processSample(ring[(100 + k) & MASK]));
    expect(w).toEqual(reference);
  });
});
