import { describe, expect, it } from 'vitest';
import { decayingNoise, gaussianNoise } from '../signal/seededNoise.ts';
import { analyzeImpulseResponse } from './analyzeImpulseResponse.ts';
import { echoDensityProfile } from './echoDensity.ts';

const FS = 48000;

describe('analyzeImpulseResponse', () => {
  it('analyses each channel, with per-band figures only when asked', () => {
    const a = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 0.5, seed: 1, noiseFloorDb: -70 });
    const b = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 0.25, seed: 2, noiseFloorDb: -70 });
    const plain = analyzeImpulseResponse([a, b], FS);
    expect(plain.channels).toHaveLength(2);
    expect(plain.channels[0].bands).toBeUndefined();
    expect(Math.abs(plain.channels[0].t30Seconds! - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(plain.channels[1].t30Seconds! - 0.25)).toBeLessThan(0.01);
    const banded = analyzeImpulseResponse([a], FS, { bands: true });
    expect(banded.channels[0].bands!.map((x) => x.nominalHz)).toEqual([63, 125, 250, 500, 1000, 2000, 4000, 8000]);
  });

  it('reads echo density ≈ 1 for a diffuse (Gaussian) decay', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 1, seed: 3 });
    const c = analyzeImpulseResponse([h], FS).channels[0];
    expect(Math.abs(c.echoDensityEarly! - 1)).toBeLessThan(0.05);
  });
});

describe('analyzeImpulseResponse band limits', () => {
  it('refuses band decays shorter than the band filter resolves (B·T < 4) instead of reporting the filter', () => {
    const h = new Float64Array(FS / 2);
    h[1000] = 1;
    for (let i = 1001; i < 1100; i++) h[i] = 0.5 * Math.exp(-(i - 1000) / 5) * (i % 2 ? 1 : -1);
    const bands = analyzeImpulseResponse([h], FS, { bands: true }).channels[0].bands!;
    const b63 = bands.find((b) => b.nominalHz === 63)!;
    expect(b63.t30Seconds).toBeNull();
    expect(b63.t30).toMatchObject({ ok: false, reason: 'shorter-than-filter' });
  });
});

describe('analyzeImpulseResponse echo density and options', () => {
  // 100 ms of silence, 100 ms of sparse echoes (one every 10 ms: η ≈ 0), then a diffuse Gaussian decay (η ≈ 1).
  const h = new Float64Array(0.8 * FS);
  for (let i = 0.1 * FS; i < 0.2 * FS; i += 480) h[i] = 1;
  const z = gaussianNoise(h.length, 6);
  for (let i = 0.2 * FS; i < h.length; i++) h[i] = 0.5 * z[i] * 10 ** ((-3 * (i / FS - 0.2)) / 0.5);
  // Analysed inside each test: under Stryker, code run when the file loads runs before the mutant is switched on.
  const analyse = () => analyzeImpulseResponse([h], FS, { lundeby: false });

  it('averages η over the 100 ms from the onset (early) and from there to the integration end (late), window centres in [from, to)', () => {
    const c = analyse().channels[0];
    expect(c.onsetSeconds).toBe(0.1);
    expect(c.echoDensityEarly!).toBeLessThan(0.05);
    expect(Math.abs(c.echoDensityLate! - 1)).toBeLessThan(0.05);
    // The definition, window by window (the centres fall exactly on 0.1 s and 0.2 s, so the bounds matter).
    const p = echoDensityProfile(h, FS);
    const mean = (from: number, to: number): number => {
      const v = Array.from(p.echoDensity).filter((_, k) => p.timesSeconds[k] >= from && p.timesSeconds[k] < to);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(p.timesSeconds).toContain(0.1);
    expect(p.timesSeconds).toContain(0.2);
    expect(c.echoDensityEarly!).toBeCloseTo(mean(0.1, 0.2), 12);
    expect(c.echoDensityLate!).toBeCloseTo(mean(0.2, 0.8), 12);
  });

  it('passes lundeby: false on (integration to the end) and reports the duration', () => {
    const a = analyse();
    expect(a.channels[0].integrationEndSeconds).toBe(0.8);
    expect(a.channels[0].lundeby.used).toBe(false);
    expect(a.durationSeconds).toBe(0.8);
    expect(analyzeImpulseResponse([], FS)).toEqual({ sampleRate: FS, durationSeconds: 0, channels: [] });
  });

  it('refuses the 63 Hz band of a T = 60 ms decay by the band’s own width (B·T = 2.7 < 4) and measures the 1 kHz band', () => {
    const d = decayingNoise({ sampleRate: FS, seconds: 0.4, rt60Seconds: 0.06, seed: 5 });
    const x = new Float64Array(FS / 2);
    x.set(d, FS / 10);
    const bands = analyzeImpulseResponse([x], FS, { bands: true }).channels[0].bands!;
    const b63 = bands.find((b) => b.nominalHz === 63)!;
    const b1k = bands.find((b) => b.nominalHz === 1000)!;
    expect(b63.t30).toMatchObject({ ok: false, reason: 'shorter-than-filter' });
    if (b63.t30?.ok !== false || b63.t30.reason !== 'shorter-than-filter') return;
    expect(b63.t30.minimumSeconds).toBeCloseTo(4 / (89.125 - 44.668), 3);
    expect(Math.abs(b1k.t30Seconds! / 0.06 - 1)).toBeLessThan(0.1);
  });
});
