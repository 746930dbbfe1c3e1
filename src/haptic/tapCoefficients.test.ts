import { describe, expect, it } from 'vitest';
import { TapArg, writeTapCoefficients } from './tapCoefficients.ts';

function taps(distanceM: number, speed: number, fs: number, cubic: number) {
  const i32 = new Int32Array(5);
  const f32 = new Float32Array(i32.buffer);
  const args = new Float64Array(5);
  args[TapArg.xM] = distanceM;
  args[TapArg.waveSpeedMps] = speed;
  args[TapArg.sampleRate] = fs;
  args[TapArg.gainLinear] = 1;
  writeTapCoefficients({ xsM: new Float64Array([0]), ysM: new Float64Array([0]) }, args, cubic, i32, f32, 0);
  return { delay: i32[0], c: Array.from(f32.subarray(1, 5)) };
}

describe('tap coefficients', () => {
  it('puts a linear tap at distance/speed·fs with weights (1 − f, f) × 1/(1 + 2d)', () => {
    const t = taps(0.1, 100, 48000, 0); // 48 samples exactly
    expect(t.delay).toBe(48);
    expect(t.c[0]).toBeCloseTo(1 / 1.2, 6);
    expect(t.c[1]).toBe(0);
    const h = taps(0.1 + 0.5 / 480, 100, 48000, 0); // 48.5 samples
    expect(h.delay).toBe(48);
    expect(h.c[0] / (h.c[0] + h.c[1])).toBeCloseTo(0.5, 6);
  });

  it('gives cubic taps [−1/16, 9/16, 9/16, −1/16] half-way, with one sample of latency', () => {
    const t = taps(0.5 / 480, 100, 48000, 1); // 0.5 samples + latency 1 = 1.5
    expect(t.delay).toBe(1);
    const g = 1 / (1 + 2 * (0.5 / 480));
    expect(t.c.map((c) => c / g)).toEqual([-1 / 16, 9 / 16, 9 / 16, -1 / 16].map((x) => expect.closeTo(x, 6)));
  });

  it('makes every tap set sum to the distance gain', () => {
    for (const d of [0, 0.013, 0.2, 0.31]) {
      for (const cubic of [0, 1]) {
        const t = taps(d, 37, 44100, cubic);
        expect(t.c.reduce((a, b) => a + b, 0)).toBeCloseTo(1 / (1 + 2 * d), 6);
      }
    }
  });
});
