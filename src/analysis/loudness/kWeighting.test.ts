import { describe, expect, it } from 'vitest';
import { biquadMagnitude } from '../../dsp/biquad.ts';
import { kWeighting } from './kWeighting.ts';

describe('kWeighting', () => {
  it('reproduces the BS.1770-4 coefficient tables at 48 kHz to 1e-8', () => {
    const { shelf, highPass } = kWeighting(48000);

    const itu = {
      shelf: [1.53512485958697, -2.69169618940638, 1.19839281085285, -1.69065929318241, 0.73248077421585],
      highPass: [1, -2, 1, -1.99004745483398, 0.99007225036621],
    };

    const shelfError = Math.max(...[shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2].map((v, i) => Math.abs(v - itu.shelf[i])));
    const highPassError = Math.max(...[highPass.b0, highPass.b1, highPass.b2, highPass.a1, highPass.a2].map((v, i) => Math.abs(v - itu.highPass[i])));
    expect(shelfError).toBeLessThan(1e-8);
    expect(highPassError).toBeLessThan(1e-8);
  });

  it.each([44100, 48000, 96000])('gives the cascade +0.691 dB ±0.02 at 1 kHz at %i Hz', (rate) => {
    const { shelf, highPass } = kWeighting(rate);

    const gainDb = 20 * Math.log10(biquadMagnitude(shelf, 1000, rate) * biquadMagnitude(highPass, 1000, rate));

    expect(Math.abs(gainDb - 0.691)).toBeLessThan(0.02);
  });

  it.each([44100, 96000])('matches the 48 kHz response within 0.05 dB from 20 Hz to 16 kHz at %i Hz (no resampling needed)', (rate) => {
    const ref = kWeighting(48000), k = kWeighting(rate);
    let worstDb = 0;

    for (let f = 20; f <= 16000; f *= 1.1) {
      const a = biquadMagnitude(ref.shelf, f, 48000) * biquadMagnitude(ref.highPass, f, 48000);
      const b = biquadMagnitude(k.shelf, f, rate) * biquadMagnitude(k.highPass, f, rate);
      worstDb = Math.max(worstDb, Math.abs(20 * Math.log10(b / a)));
    }

    expect(worstDb).toBeLessThan(0.05);
  });

  it('rejects a sample rate it cannot serve with a message naming the rate', () => {
    expect(() => kWeighting(0)).toThrow(/0 Hz/);
    expect(() => kWeighting(Number.NaN)).toThrow(/NaN Hz/);
    expect(() => kWeighting(Number.POSITIVE_INFINITY)).toThrow(/Infinity Hz/);
  });

  it('serves 8000 Hz, the documented lowest rate, and refuses 7999 Hz', () => {
    const { shelf, highPass } = kWeighting(8000);

    expect([shelf.b0, shelf.b1, shelf.b2, shelf.a1, shelf.a2, highPass.a1, highPass.a2].every(Number.isFinite)).toBe(true);
    expect(() => kWeighting(7999)).toThrow(/7999 Hz is not supported/);
  });
});
