import { describe, expect, it } from 'vitest';
import { kaiserSincKernel } from './kaiserSincKernel.ts';

/** Measured delay (samples) and gain of the taps at `cyclesPerSample`: phase of Σ taps[k]·e^{−jω(k − H + 1)}. */
function response(taps: Float64Array, halfWidth: number, cyclesPerSample: number): { delaySamples: number; gain: number } {
  const w = 2 * Math.PI * cyclesPerSample;
  let re = 0;
  let im = 0;
  for (let k = 0; k < taps.length; k++) {
    re += taps[k] * Math.cos(w * (k - halfWidth + 1));
    im -= taps[k] * Math.sin(w * (k - halfWidth + 1));
  }
  return { delaySamples: -Math.atan2(im, re) / w, gain: Math.hypot(re, im) };
}

describe('kaiserSincKernel', () => {
  it('has unit DC gain for any fraction', () => {
    for (const mu of [0, 0.25, 0.5, 0.99]) expect(kaiserSincKernel(mu, 16, 8).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('delays by the fraction within 0.001 sample and 0.01 dB up to 0.4·fs (H = 32, β = 8.6)', () => {
    let worstDelay = 0;
    let worstDb = 0;
    for (const mu of [0.1, 0.37, 0.5, 0.93]) {
      const taps = kaiserSincKernel(mu, 32, 8.6);
      for (let f = 0.01; f <= 0.4; f += 0.01) {
        const { delaySamples, gain } = response(taps, 32, f);
        worstDelay = Math.max(worstDelay, Math.abs(delaySamples - mu));
        worstDb = Math.max(worstDb, Math.abs(20 * Math.log10(gain)));
      }
    }

    expect(worstDelay).toBeLessThan(0.001);
    expect(worstDb).toBeLessThan(0.01);
  });

  it('writes into a given array at an offset, the same taps', () => {
    const into = new Float64Array(40);

    kaiserSincKernel(0.3, 16, 8, into, 8);

    expect(Array.from(into.subarray(8))).toEqual(Array.from(kaiserSincKernel(0.3, 16, 8)));
    expect(into.subarray(0, 8).every((v) => v === 0)).toBe(true);
  });

  it('writes only its 2H taps: the values on both sides stay as they were', () => {
    const into = new Float64Array(48).fill(7);

    kaiserSincKernel(0.3, 16, 8, into, 8);

    expect([...into.subarray(0, 8), ...into.subarray(40)]).toEqual(new Array(16).fill(7));
  });

  it('gives each tap the formula sinc(j − μ)·I₀(β√(1 − r²))/I₀(β), r = (j − μ)/H, normalised to unit sum', () => {
    const H = 4;
    const beta = 6;
    const mu = 0.37;
    const i0 = (x: number) => { let s = 1, t = 1; for (let k = 1; k < 60; k++) { t *= (x / (2 * k)) ** 2; s += t; } return s; };
    const raw = Array.from({ length: 2 * H }, (_, k) => {
      const t = k - H + 1 - mu;
      return (Math.sin(Math.PI * t) / (Math.PI * t)) * (i0(beta * Math.sqrt(1 - (t / H) ** 2)) / i0(beta));
    });
    const sum = raw.reduce((a, b) => a + b, 0);

    const taps = kaiserSincKernel(mu, H, beta);

    raw.forEach((v, k) => expect(taps[k]).toBeCloseTo(v / sum, 14));
  });
});
