import { describe, expect, it } from 'vitest';
import { ArrivalTracker } from './arrivalTracker.ts';

describe('ArrivalTracker', () => {
  it('takes the first status above the threshold per transducer and ranks them, ties sharing a rank', () => {
    const t = new ArrivalTracker(-60);
    t.update(0, [-10, -10, -10]);
    t.arm(3);
    t.update(100, [-40, null, -80]);
    t.update(200, [-30, -59, -61]);
    t.update(300, [-30, -20, -50]);
    expect(t.frames()).toEqual([100, 200, 300]);
    expect(t.ranks()).toEqual([1, 2, 3]);
    const u = new ArrivalTracker(-60);
    u.arm(3);
    u.update(10, [-1, -1, null]);
    expect(u.ranks()).toEqual([1, 1, null]);
  });
});
