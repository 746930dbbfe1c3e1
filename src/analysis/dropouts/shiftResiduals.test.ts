import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../testSignals/seededRandom.ts';
import { ShiftResiduals } from './shiftResiduals.ts';

describe('ShiftResiduals', () => {
  it('equals the direct sum Σ (y − g·a[i + S − s])² at every shift, for both spans, within 1e-9 relative', () => {
    const S = 64;
    const sr = new ShiftResiduals(S, 100, 300);
    sr.ref.set(gaussianNoise(sr.ref.length, 0.3, 1));
    const y = gaussianNoise(300, 0.3, 2);
    const g = -0.8;

    sr.compute(y.subarray(0, 100), y, g);

    let worst = 0;
    for (let s = -S; s <= S; s++) {
      for (const [len, got] of [[100, sr.short], [300, sr.long]] as const) {
        let direct = 0;
        for (let i = 0; i < len; i++) direct += (y[i] - g * sr.ref[i + S - s]) ** 2;
        worst = Math.max(worst, Math.abs(got[s + S] - direct) / direct);
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });

  it('finds a capture that is the reference delayed by 17 frames as a residual of zero at shift +17 only', () => {
    const S = 32;
    const sr = new ShiftResiduals(S, 128, 256);
    const x = gaussianNoise(sr.ref.length + S, 1, 3);
    sr.ref.set(x.subarray(S)); // ref[j] = x[j + S]: aligned so that shift 0 means y[i] = x[i + 2S]
    const y = x.slice(2 * S - 17, 2 * S - 17 + 256); // y[i] = ref[i + S − 17]

    sr.compute(y.subarray(0, 128), y, 1);

    const best = sr.long.indexOf(Math.min(...sr.long)) - S;
    expect(best).toBe(17);
    expect(sr.long[17 + S]).toBeLessThan(1e-9);
    expect(Math.min(...Array.from(sr.long).filter((_, k) => k !== 17 + S))).toBeGreaterThan(100);
  });
});
