import { describe, expect, it } from 'vitest';
import { decayingNoise } from '../signal/seededNoise.ts';
import { lundebyTruncation } from './lundeby.ts';
import { schroederIntegral } from './schroederIntegral.ts';

const FS = 48000;

describe('lundebyTruncation', () => {
  it('puts the crosspoint of a T = 1 s decay into a −50 dB floor near 50/60 s and converges', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 1, seed: 3, noiseFloorDb: -50 });
    const r = lundebyTruncation(schroederIntegral(h), FS, 0);
    expect(r.ok && r.converged).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.crosspointSample / FS - 50 / 60)).toBeLessThan(0.05);
    expect(Math.abs(r.lateSlopeDbPerSecond - -60)).toBeLessThan(3);
    expect(Math.abs(10 * Math.log10(r.noiseMeanSquare) - -50)).toBeLessThan(0.5);
  });

  it('estimates the truncated tail energy within 10 % of the true decay energy past the crosspoint', () => {
    const clean = decayingNoise({ sampleRate: FS, seconds: 3, rt60Seconds: 1, seed: 4 });
    const noisy = decayingNoise({ sampleRate: FS, seconds: 3, rt60Seconds: 1, seed: 4, noiseFloorDb: -55 });
    const r = lundebyTruncation(schroederIntegral(noisy), FS, 0);
    if (!r.ok) throw new Error('no crosspoint');
    const trueTail = schroederIntegral(clean)[r.crosspointSample];
    expect(Math.abs(r.tailEnergy / trueTail - 1)).toBeLessThan(0.1);
  });

  it('stops at the last non-zero sample when the response ends in digital silence', () => {
    const h = new Float64Array(10000);
    for (let i = 0; i < 4000; i++) h[i] = Math.exp(-i / 500) * (i % 2 ? 1 : -1);
    const r = lundebyTruncation(schroederIntegral(h), FS, 0);
    expect(r).toMatchObject({ ok: true, crosspointSample: 4000, tailEnergy: 0 });
  });

  it('reports no decay above the noise for stationary noise', () => {
    const h = decayingNoise({ sampleRate: FS, seconds: 1, rt60Seconds: 1e9, seed: 5 });
    expect(lundebyTruncation(schroederIntegral(h), FS, 0)).toMatchObject({ ok: false, reason: 'no-decay-above-noise' });
  });
});
