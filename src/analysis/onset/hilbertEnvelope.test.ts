import { describe, expect, it } from 'vitest';
import { sine } from '../testSignals/sine.ts';
import { hilbertEnvelope } from './hilbertEnvelope.ts';

describe('hilbertEnvelope', () => {
  it('is flat at the amplitude of a steady sine, within twice the edge leakage A/(π·ω·d)', () => {
    const w = (2 * Math.PI * 1000) / 48000;
    const env = hilbertEnvelope(sine(4800, 1000, 48000, 0.7));
    for (let n = 500; n < 4300; n++) {
      const d = Math.min(n, 4800 - n);
      expect(Math.abs(env[n] - 0.7)).toBeLessThan((2 * 0.7) / (Math.PI * w * d));
    }
  });

  it('drops the Nyquist bin too under a limit: a tone at fs/2 ((−1)^n, 1024 samples) leaves under 0.01 in its middle half', () => {
    // Its zero-padded spectrum sits around bin L/2 = 1024; every bin above the limit (512) is zeroed, and so is
    // bin L/2 itself: kept, it alone gives a flat 1024/2048 = 0.5. What remains is the leakage of the cut ends
    // (0.27 at the ends, measured 0.0015 in the middle half).
    const x = Float32Array.from({ length: 1024 }, (_, n) => (n % 2 === 0 ? 1 : -1));

    const env = hilbertEnvelope(x, 0.25);

    expect(Math.max(...env.subarray(256, 768))).toBeLessThan(0.01);
  });

  it('drops the bins above the limit: a 10 kHz tone vanishes under a 4 kHz limit, a 1 kHz one stays', () => {
    const x = sine(4800, 10000, 48000, 0.5);
    const y = sine(4800, 1000, 48000, 0.5);
    const hi = hilbertEnvelope(x, 4000 / 48000);
    const lo = hilbertEnvelope(y, 4000 / 48000);
    expect(hi[2400]).toBeLessThan(0.005);
    expect(Math.abs(lo[2400] - 0.5)).toBeLessThan(0.005);
  });

  it('keeps the Nyquist bin once when unlimited: a tone at fs/2 ((−1)^n, 1024 samples) has an envelope of 1 ± 0.05 in its middle half', () => {
    // The analytic signal of cos(πn) is cos(πn) itself (its Hilbert transform sin(πn) is 0): bin L/2 must be
    // neither doubled (1.5) nor dropped (0.5). Measured 1.000…1.039 (the cut ends' leakage).
    const x = Float32Array.from({ length: 1024 }, (_, n) => (n % 2 === 0 ? 1 : -1));

    const env = hilbertEnvelope(x);

    for (const v of env.subarray(256, 768)) expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });

  it('keeps the bin at the limit itself: a tone at fs/4 under a limit of ¼ cycle per sample keeps its own bin (envelope 0.75 ± 0.05 in its middle half)', () => {
    // cos(πn/2) over 1024 samples, zero-padded to L = 2048: its main bin is L/4 = kMax. Kept (doubled), it alone
    // gives 2·(1024/2)/2048 = 0.5 of the envelope, the bins under it the rest; measured 0.750…0.763.
    const x = Float32Array.from({ length: 1024 }, (_, n) => Math.cos((Math.PI * n) / 2));

    const env = hilbertEnvelope(x, 0.25);

    for (const v of env.subarray(256, 768)) expect(Math.abs(v - 0.75)).toBeLessThan(0.05);
  });

  it('equals the analytic signal built by a direct DFT from the bins at or under the limit, for limits up to Nyquist', () => {
    // Reference, O(L²): X_k = Σ x_n·e^(−2πikn/L) over the zero-padded length L = 32; keep X_0, 2·X_k for 1 ≤ k ≤ ⌊c·L⌋
    // (k < L/2), X_{L/2} only when unlimited; z_n = (1/L)·Σ kept·e^(2πikn/L); envelope |z_n|. The limit 0.49 keeps bins
    // 1–15 (⌊c·L⌋ = 15 = L/2 − 1, the last bin below Nyquist), 0.45 keeps 1–14, 0.25 keeps 1–8.
    const x = Float32Array.from({ length: 16 }, (_, n) => Math.sin(0.9 * n + 0.2) + 0.5 * Math.cos(2.7 * n) + 0.3 * (n % 3) - 0.25);
    const L = 32;
    for (const c of [0.5, 0.49, 0.45, 0.25]) {
      const kMax = Math.min(L / 2, Math.floor(c * L));
      const kept: [number, number][] = [];
      for (let k = 0; k < L; k++) {
        let re = 0;
        let im = 0;
        for (let n = 0; n < x.length; n++) {
          re += x[n] * Math.cos((2 * Math.PI * k * n) / L);
          im -= x[n] * Math.sin((2 * Math.PI * k * n) / L);
        }
        const g = k === 0 ? 1 : k < L / 2 ? (k <= kMax ? 2 : 0) : k === L / 2 && kMax === L / 2 ? 1 : 0;
        kept.push([g * re, g * im]);
      }
      const env = hilbertEnvelope(x, c);
      for (let n = 0; n < x.length; n++) {
        let re = 0;
        let im = 0;
        for (let k = 0; k < L; k++) {
          const a = (2 * Math.PI * k * n) / L;
          re += kept[k][0] * Math.cos(a) - kept[k][1] * Math.sin(a);
          im += kept[k][0] * Math.sin(a) + kept[k][1] * Math.cos(a);
        }
        expect(Math.abs(env[n] - Math.hypot(re, im) / L), `limit ${c}, n = ${n}`).toBeLessThan(1e-12);
      }
    }
  });

  it('reads only its own segment from the work arrays it reuses: a segment after a longer one of the same transform size gives its own envelope', () => {
    // 3000 and 3600 samples both take L = 8192; the shorter one's zero padding must cover what the longer one left.
    const long = sine(3600, 700, 48000, 0.9);
    const short = sine(3000, 1000, 48000, 0.5);
    const alone = hilbertEnvelope(short, 4000 / 48000);
    hilbertEnvelope(long, 4000 / 48000);
    expect(hilbertEnvelope(short, 4000 / 48000)).toEqual(alone);
  });
});
