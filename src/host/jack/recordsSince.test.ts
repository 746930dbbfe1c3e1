import { describe, expect, it } from 'vitest';
import { recordsSince } from './recordsSince.ts';

/** A ring of `capacity` slots after `written` records 0, 1, 2, … (record i in slot i & (capacity − 1)). */
function ringAfter(written: number, capacity: number, first = 0): { slots: number[]; next: number } {
  const slots = new Array<number>(capacity).fill(-1);
  let next = first;
  for (let k = 0; k < written; k++) {
    slots[(next >>> 0) & (capacity - 1)] = k;
    next = (next + 1) | 0;
  }
  return { slots, next };
}

describe('recordsSince', () => {
  it('reads every record written since the counter, oldest first, and none when nothing was written', () => {
    const { slots, next } = ringAfter(5, 8);
    expect(recordsSince(next, 0, 8, (s) => slots[s])).toEqual([0, 1, 2, 3, 4]);
    expect(recordsSince(next, 2, 8, (s) => slots[s])).toEqual([2, 3, 4]);
    expect(recordsSince(next, next, 8, (s) => slots[s])).toEqual([]);
  });

  it('skips the records overwritten since: the newest `capacity` remain', () => {
    const { slots, next } = ringAfter(20, 8);
    expect(recordsSince(next, 0, 8, (s) => slots[s])).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('reads across the int32 counter wrapping', () => {
    const first = 2 ** 31 - 3;
    const { slots, next } = ringAfter(6, 8, first | 0);
    expect(next).toBeLessThan(0);
    expect(recordsSince(next, first | 0, 8, (s) => slots[s])).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
