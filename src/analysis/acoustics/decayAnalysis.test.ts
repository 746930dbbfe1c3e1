import { describe, expect, it } from 'vitest';
import { decayingNoise } from '../signal/seededNoise.ts';
import { analyzeDecay } from './decayAnalysis.ts';

const FS = 48000;

describe('analyzeDecay', () => {
  it('measures from the onset: a 100 ms pre-delay changes neither T30 nor C80', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1.5, rt60Seconds: 1, seed: 8 });
    const delayed = new Float64Array(h.length + FS / 10);
    delayed.set(h, FS / 10);
    const a = analyzeDecay(h, FS);
    const b = analyzeDecay(delayed, FS);
    expect(b.onsetSeconds - a.onsetSeconds).toBeCloseTo(0.1, 9);
    expect(b.t30Seconds!).toBeCloseTo(a.t30Seconds!, 3);
    expect(b.c80Db!).toBeCloseTo(a.c80Db!, 6);
  });

  it('computes only the figures asked for', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1.5, rt60Seconds: 1, seed: 8 });
    const r = analyzeDecay(h, FS, { which: ['t30'], clarity: false });
    expect(r.edt).toBeNull();
    expect(r.c80Db).toBeNull();
    expect(r.t30?.ok).toBe(true);
  });

  it('gives no figure at all for digital silence', () => {
    const r = analyzeDecay(new Float32Array(4800), FS);
    expect(r.t30).toMatchObject({ ok: false, reason: 'no-decay' });
    expect([r.edtSeconds, r.t20Seconds, r.t30Seconds, r.c80Db, r.d50]).toEqual([null, null, null, null, null]);
  });

  it('reports the noise floor and the decay range above it', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 0.5, seed: 9, noiseFloorDb: -55 });
    const r = analyzeDecay(h, FS);
    expect(Math.abs(r.noiseFloorDbfs - -55)).toBeLessThan(0.5);
    expect(Math.abs(r.dynamicRangeDb - 55)).toBeLessThan(1.5);
    expect(r.lundeby.converged).toBe(true);
  });
});

describe('analyzeDecay clarity gate', () => {
  it('withholds C50, C80 and D50 when the decay stands less than 20 dB above the noise', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 1, seed: 10, noiseFloorDb: -15 });
    const r = analyzeDecay(h, FS);
    expect(r.dynamicRangeDb).toBeLessThan(20);
    expect([r.c50Db, r.c80Db, r.d50]).toEqual([null, null, null]);
  });
});
