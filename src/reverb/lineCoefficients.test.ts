import { describe, expect, it } from 'vitest';
import { LineCoefficients } from './lineCoefficients.ts';

function withTargets(lines: number): LineCoefficients {
  const c = new LineCoefficients(lines);
  for (let i = 0; i < lines; i++) {
    c.b0Target[i] = 0.3 + 0.01 * i;
    c.poleTarget[i] = 0.2 + 0.03 * i;
    c.shelfTarget[0][i] = 1.1;
    c.shelfTarget[1][i] = -0.9;
    c.shelfTarget[2][i] = 0.7;
  }
  return c;
}

describe('LineCoefficients', () => {
  it('starts with zero one-poles and identity shelves (c0 = 1, c1 = q = 0)', () => {
    const c = new LineCoefficients(4);
    expect([...c.b0, ...c.pole, ...c.shelf[1], ...c.shelf[2]].every((x) => x === 0)).toBe(true);
    expect([...c.shelf[0]].every((x) => x === 1)).toBe(true);
  });

  it('sets the targets at once for a ramp of 0 frames', () => {
    const c = withTargets(4);
    c.startRamp(0);
    expect(c.b0).toEqual(c.b0Target);
    expect(c.shelf).toEqual(c.shelfTarget);
    expect(c.remainingFrames).toBe(0);
  });

  it('steps by (target − present)/R and lands exactly on the targets after R frames in uneven chunks', () => {
    const c = withTargets(4);
    c.startRamp(100);
    expect(c.poleStep[3]).toBe(c.poleTarget[3] / 100);
    c.pole.fill(-5); // what the kernels wrote back mid-ramp must not survive the ramp's end
    for (const frames of [37, 50, 13]) c.advance(frames);
    expect(c.remainingFrames).toBe(0);
    expect(c.pole).toEqual(c.poleTarget);
    expect(c.shelf).toEqual(c.shelfTarget);
  });

  it('leaves coefficients alone when advanced at rest', () => {
    const c = withTargets(2);
    c.b0[0] = 0.5;
    c.advance(64);
    expect(c.b0[0]).toBe(0.5);
  });
});
