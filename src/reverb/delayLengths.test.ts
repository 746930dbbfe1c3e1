import { describe, expect, it } from 'vitest';
import { delayLengthsSamples, gcd } from './delayLengths.ts';

describe('delayLengthsSamples', () => {
  for (const lines of [4, 8, 16, 32]) {
    it(`gives ${lines} pairwise coprime lengths inside the requested range (±1 %) at 44.1, 48 and 96 kHz`, () => {
      for (const rate of [44100, 48000, 96000]) {
        const m = delayLengthsSamples(lines, rate, 23, 67);
        expect(m).toHaveLength(lines);
        for (let i = 0; i < lines; i++) {
          expect(m[i]).toBeGreaterThanOrEqual(0.99 * 0.023 * rate);
          expect(m[i]).toBeLessThanOrEqual(1.01 * 0.067 * rate);
          for (let j = i + 1; j < lines; j++) expect(gcd(m[i], m[j]), `${m[i]} and ${m[j]}`).toBe(1);
        }
      }
    });
  }

  it('scales with the sample rate: the same lengths in ms within 0.5 % at 44.1 and 96 kHz', () => {
    const a = delayLengthsSamples(8, 44100, 23, 67).map((m) => m / 44.1);
    const b = delayLengthsSamples(8, 96000, 23, 67).map((m) => m / 96);
    a.forEach((ms, i) => expect(Math.abs(ms / b[i] - 1)).toBeLessThan(0.005));
  });

  it('rejects an invalid line count with a clear error', () => {
    expect(() => delayLengthsSamples(0, 48000, 10, 20)).toThrow(/lines must be a positive integer, got 0/);
  });
});
