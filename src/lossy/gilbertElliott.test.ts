import { describe, expect, it } from 'vitest';
import { GilbertElliott } from './gilbertElliott.ts';

function runs(seed: number, lossPercent: number, burstiness: number, packets: number) {
  const chain = new GilbertElliott(seed, burstiness);
  let lost = 0;
  let bursts = 0;
  let previous = false;
  for (let i = 0; i < packets; i++) {
    const l = chain.nextLost(lossPercent);
    if (l) lost++;
    if (l && !previous) bursts++;
    previous = l;
  }
  return { lossRate: lost / packets, meanBurst: lost / Math.max(1, bursts) };
}

describe('GilbertElliott', () => {
  it('loses 5 % of 200 000 packets within ±0.3 % with independent losses (mean burst 1/(1 − L) = 1.053)', () => {
    const r = runs(1, 5, 0, 200_000);
    expect(r.lossRate).toBeCloseTo(0.05, 2);
    expect(Math.abs(r.meanBurst - 1 / 0.95)).toBeLessThan(0.02);
  });

  it('clusters losses at burstiness 0.8: 5 % loss in bursts of 1/((1 − L)(1 − ρ)) = 5.26 packets (±5 %)', () => {
    const r = runs(2, 5, 0.8, 400_000);
    expect(Math.abs(r.lossRate - 0.05)).toBeLessThan(0.005);
    expect(Math.abs(r.meanBurst - 1 / (0.95 * 0.2)) / (1 / (0.95 * 0.2))).toBeLessThan(0.05);
  });

  it('never loses a packet at 0 % and always at 100 %', () => {
    expect(runs(3, 0, 0.5, 10_000).lossRate).toBe(0);
    expect(runs(3, 100, 0.5, 10_000).lossRate).toBe(1);
  });

  it('replays the same losses after reset()', () => {
    const chain = new GilbertElliott(42, 0.3);
    const first = Array.from({ length: 500 }, () => chain.nextLost(20));
    chain.reset();
    expect(Array.from({ length: 500 }, () => chain.nextLost(20))).toEqual(first);
  });
});
