import { describe, expect, it } from 'vitest';
import { mulberry32Draw } from '../analysis/signal/seededNoise.ts';
import { atan, cosOfTurn, cosSin, dbToGain, exp, pow2, sinOfTurn } from './portableMath.ts';

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const view = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = view[0] - view[1];
  return Number(d < 0n ? -d : d);
}

function bits(x: number): string {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0).toString(16).padStart(16, '0');
}

describe('portableMath: elementary functions with the same bits on every JavaScript engine', () => {
  let index = 0;
  const draw = (): number => mulberry32Draw(0x5eed, index++);
  const worst = (n: number, f: () => number): number => {
    let w = 0;
    for (let i = 0; i < n; i++) w = Math.max(w, f());
    return w;
  };

  it('agrees with Math.* to within 2 ulp (exp, atan, cos/sin of any angle) over seeded arguments', () => {
    expect(worst(20000, () => { const x = (draw() - 0.5) * 200; return ulps(exp(x), Math.exp(x)); })).toBeLessThanOrEqual(2);
    expect(worst(20000, () => { const x = (draw() - 0.5) * 40; return ulps(atan(x), Math.atan(x)); })).toBeLessThanOrEqual(2);
    const cs = { cos: 0, sin: 0 };
    expect(worst(20000, () => {
      const x = (draw() - 0.5) * 20;
      cosSin(x, cs);
      return Math.max(Math.abs(cs.cos - Math.cos(x)), Math.abs(cs.sin - Math.sin(x)));
    })).toBeLessThanOrEqual(2.3e-16);
  });

  it('gives a decibel gain and 2^x to within 4e-15 relative (the rounding of the scaled argument)', () => {
    expect(worst(20000, () => { const db = (draw() - 0.5) * 240; const g = 10 ** (db / 20); return Math.abs(dbToGain(db) - g) / g; })).toBeLessThan(4e-15);
    expect(worst(20000, () => { const x = (draw() - 0.5) * 60; const g = 2 ** x; return Math.abs(pow2(x) - g) / g; })).toBeLessThan(4e-15);
    for (let k = -1022; k <= 1023; k += 7) expect(pow2(k)).toBe(2 ** k);
  });

  it('gives cos and sin of n/d turns within the rounding of the reference and exactly at the quarter turns', () => {
    let w = 0;
    for (const d of [8, 64, 1024, 4096, 44100]) {
      for (let n = -d; n < 2 * d; n += Math.max(1, Math.floor(d / 997))) {
        // The reference: Math.cos of the angle reduced to (−½, ½] turn first; its argument 2π·m/d carries
        // three roundings (2π, ×m, ÷d), at most 3·2⁻⁵³·π ≈ 1.05e-15 absolute near ±½ turn.
        let m = ((n % d) + d) % d;
        if (2 * m > d) m -= d;
        const a = (2 * Math.PI * m) / d;
        w = Math.max(w, Math.abs(cosOfTurn(n, d) - Math.cos(a)), Math.abs(sinOfTurn(n, d) - Math.sin(a)));
      }
      expect([cosOfTurn(0, d), cosOfTurn(d / 4, d), cosOfTurn(d / 2, d), sinOfTurn(d / 4, d), sinOfTurn(3 * d / 4, d)]).toEqual([1, 0, -1, 1, -1]);
    }
    expect(w).toBeLessThan(1.1e-15);
  });

  it('pins its bits: these values are the same in Node and in Chromium (engineParity.spec.ts renders through them)', () => {
    // Recomputed only when the implementation changes on purpose, which changes the lossy goldens too.
    expect({
      exp: bits(exp(-3.7)), db: bits(dbToGain(-23.5)), pow2: bits(pow2(7.3)), atan: bits(atan(0.6)),
      cos: bits(cosOfTurn(5, 4096)), sin: bits(sinOfTurn(5, 4096)),
    }).toEqual({
      exp: '3f99511fc6871044', db: '3fb11c0f06d8016f', pow2: '4063b2c47bff8328', atan: '3fe14b1dd5f90ce0',
      cos: '3fefffc250b5daef', sin: '3f7f6a65f9a2a3c5',
    });
  });

  it('handles the edges: NaN in, NaN out; exp overflows to Infinity and underflows to 0', () => {
    expect(exp(Number.NaN)).toBeNaN();
    expect(atan(Number.NaN)).toBeNaN();
    expect(exp(710)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-746)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(atan(1e300)).toBeCloseTo(Math.PI / 2, 15);
    // 2ˣ below the normal range is a subnormal power (exact for integers), past it 0; 2¹⁰²⁴ overflows.
    expect(pow2(-1074)).toBe(2 ** -1074);
    expect(pow2(-1030)).toBe(2 ** -1030);
    expect(pow2(-1030.5) / 2 ** -1030.5).toBeCloseTo(1, 3);
    expect(pow2(-1076)).toBe(0);
    expect(pow2(1023.5)).toBeCloseTo(2 ** 1023.5, -300);
    expect(pow2(1024)).toBe(Number.POSITIVE_INFINITY);
    expect(pow2(Number.NaN)).toBeNaN();
  });

  it('keeps the edges for infinite and far-out arguments, and the largest finite exp and the subnormal ones (no overflow of the split scaling)', () => {
    expect([exp(Infinity), exp(-Infinity), exp(1e6), exp(-1e6)]).toEqual([Infinity, 0, Infinity, 0]);
    expect([pow2(Infinity), pow2(-Infinity), pow2(1e6), pow2(-1e6)]).toEqual([Infinity, 0, Infinity, 0]);
    // e^709.7 = 1.65e308 needs k = 1024 split in two: 2^1024 alone is Infinity.
    expect(ulps(exp(709.7), Math.exp(709.7))).toBeLessThanOrEqual(2);
    expect(exp(-740) / Math.exp(-740)).toBeCloseTo(1, 2);
  });

  it('atan is exact at 0 and at the anchors\' ends (0, 1), and odd', () => {
    expect([atan(0), ulps(atan(1), Math.PI / 4)]).toEqual([0, 0]);
    expect(atan(-0.6)).toBe(-atan(0.6));
  });
});
