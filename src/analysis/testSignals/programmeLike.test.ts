import { describe, expect, it } from 'vitest';
import { programmeLike } from './programmeLike.ts';

describe('programmeLike', () => {
  it('stays within ±1 and carries signal in every 100 ms of 20 s', () => {
    const x = programmeLike(20 * 48000, 48000, 5);
    let peak = 0;
    let quietest = Infinity;
    for (let b = 0; b < x.length; b += 4800) {
      let e = 0;
      for (let n = b; n < b + 4800; n++) {
        e += x[n] * x[n];
        peak = Math.max(peak, Math.abs(x[n]));
      }
      quietest = Math.min(quietest, Math.sqrt(e / 4800));
    }
    expect(peak).toBeLessThan(1);
    expect(20 * Math.log10(quietest)).toBeGreaterThan(-40);
  });

  it('is the same for the same seed', () => {
    expect(programmeLike(1000, 48000, 3)).toEqual(programmeLike(1000, 48000, 3));
  });
});
