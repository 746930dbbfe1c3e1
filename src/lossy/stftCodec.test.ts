import { describe, expect, it } from 'vitest';
import { codecSchema, type CodecParams } from './lossyParams.ts';
import { StftCodec, scaleFactorAtOrAbove, scaleFactorGrid } from './stftCodec.ts';

const FS = 48000;
const sine = (hz: number, amp: number, n: number) => Float64Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / FS));

/** Runs the codec over a copy of `x` on both channels; returns the left output. */
function code(params: Partial<CodecParams>, x: Float64Array): Float64Array {
  const codec = new StftCodec(codecSchema.parse(params));
  codec.prepare(FS);
  const l = x.slice();
  const r = x.slice();
  codec.process(l, r, 0, l.length);
  return l;
}

/** Energy of (y delayed back by `latency`) − x over [from, to), re the energy of x, dB. */
function residualDb(x: Float64Array, y: Float64Array, latency: number, from: number, to: number): number {
  let e = 0;
  let s = 0;
  for (let i = from; i < to; i++) {
    e += (y[i + latency] - x[i]) ** 2;
    s += x[i] ** 2;
  }
  return 10 * Math.log10(e / s);
}

describe('StftCodec', () => {
  it('passes a 1 kHz sine at 320 kbps with a null-test residual below −50 dB, delayed by exactly one frame', () => {
    const x = sine(1000, 0.5, FS);
    const y = code({ bitrateKbps: 320 }, x);
    expect(residualDb(x, y, 1024, 2048, FS - 2048)).toBeLessThan(-50);
  });

  it('removes a 10 kHz tone by more than 60 dB when the bandwidth is 4 kHz', () => {
    const x = sine(10000, 0.5, FS);
    const y = code({ bitrateKbps: 320, bandwidthHz: 4000 }, x);
    let e = 0;
    let s = 0;
    for (let i = 2048; i < FS - 2048; i++) {
      e += y[i] ** 2;
      s += x[i] ** 2;
    }
    expect(10 * Math.log10(e / s)).toBeLessThan(-60);
  });

  it('degrades as the bit rate falls: 16 kbps leaves at least 20 dB more residual than 256 kbps on a chord', () => {
    const x = sine(220, 0.3, FS).map((v, i) => v + 0.2 * Math.sin((2 * Math.PI * 3300 * i) / FS) + 0.05 * Math.sin((2 * Math.PI * 7100 * i) / FS));
    const high = residualDb(x, code({ bitrateKbps: 256 }, x), 1024, 2048, FS - 2048);
    const low = residualDb(x, code({ bitrateKbps: 16 }, x), 1024, 2048, FS - 2048);
    expect(low - high).toBeGreaterThan(20);
  });

  it('gives the same output whether a signal arrives in one range or in ranges of 1 to 700 frames', () => {
    const x = sine(440, 0.4, 20000).map((v, i) => v * (i % 5000 < 2500 ? 1 : 0.1));
    const whole = code({ bitrateKbps: 48, frameSize: 512, hopSize: 128 }, x);
    const codec = new StftCodec(codecSchema.parse({ bitrateKbps: 48, frameSize: 512, hopSize: 128 }));
    codec.prepare(FS);
    const l = x.slice();
    const r = x.slice();
    for (let at = 0, step = 1; at < l.length; at += step, step = (step * 7 + 3) % 700 || 1) codec.process(l, r, at, Math.min(l.length, at + step));
    expect(Array.from(l)).toEqual(Array.from(whole));
  });
});

describe('scaleFactorAtOrAbove: the codec scale factor from the portable 1.5 dB grid', () => {
  it('is the smallest grid value at or above the band peak, for peaks over 26 decades', () => {
    const grid = scaleFactorGrid();
    const step = 10 ** (1.5 / 20);
    for (let e = -11.9; e < 14; e += 0.0137) {
      const peak = 10 ** e;
      const s = scaleFactorAtOrAbove(peak, grid);
      expect(s).toBeGreaterThanOrEqual(peak);
      expect(s / step).toBeLessThan(peak * (1 + 1e-12));
      expect(grid).toContain(s);
    }
    // A grid value itself is its own scale factor; a hair above it takes the next one.
    const g = grid[200];
    expect(scaleFactorAtOrAbove(g, grid)).toBe(g);
    expect(scaleFactorAtOrAbove(g * (1 + 2 ** -52), grid)).toBe(grid[201]);
  });
});
