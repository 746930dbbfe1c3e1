import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../signal/seededNoise.ts';
import { blockMeanSquare, energyBetween } from './energyEnvelope.ts';
import { schroederIntegral } from './schroederIntegral.ts';

describe('blockMeanSquare', () => {
  it('matches a direct average of h² per block, including a short last block', () => {
    const h = gaussianNoise(1003, 1);
    const blocks = blockMeanSquare(schroederIntegral(h), 3, 1003, 100);
    expect(blocks.length).toBe(10);
    let direct = 0;
    for (let i = 903; i < 1003; i++) direct += h[i] * h[i];
    expect(blocks[9]).toBeCloseTo(direct / 100, 12);
    expect(energyBetween(schroederIntegral(h), 0, 1003)).toBeCloseTo(Array.from(h).reduce((a, v) => a + v * v, 0), 9);
  });

  it('reads the energy of an empty span at the end as 0 (energy[length] = 0)', () => {
    const energy = schroederIntegral(Float64Array.from([3, 4]));
    expect(energyBetween(energy, 2, 2)).toBe(0);
    expect(energyBetween(energy, 1, 2)).toBe(16);
  });
});
