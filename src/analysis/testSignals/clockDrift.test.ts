import { describe, expect, it } from 'vitest';
import { DRIFT_BLOCK_FRAMES, driftingDelay } from './clockDrift.ts';
import { fractionalDelay } from './fractionalDelay.ts';
import { programmeLike } from './programmeLike.ts';

const FS = 48000;

describe('driftingDelay', () => {
  const x = programmeLike(FS, FS, 5);
  it('delays each block by latency + ppm·10⁻⁶ at its first frame, as fractionalDelay does', () => {
    const y = driftingDelay(x, 300, 20);
    expect(y.length).toBe(x.length + 300 + 64);
    for (const b of [0, 480, 24_000, 47_952]) {
      const ref = fractionalDelay(x, 300 + 20e-6 * b);
      for (let n = b; n < b + DRIFT_BLOCK_FRAMES; n++) expect(y[n]).toBeCloseTo(ref[n], 6);
    }
    expect(Math.max(...x.subarray(0, 1000).map(Math.abs))).toBeGreaterThan(0.01); // the comparison is not of silence
  });

  it('is a plain delay at 0 ppm', () => {
    const y = driftingDelay(x, 300.25, 0);
    const ref = fractionalDelay(x, 300.25);
    let worst = 0;
    for (let n = 0; n < x.length; n++) worst = Math.max(worst, Math.abs(y[n] - ref[n]));
    expect(worst).toBeLessThan(1e-6);
  });

  it('keeps the tail: the extraFrames past x hold the delayed signal of x followed by silence', () => {
    const d = 300.25;
    const y = driftingDelay(x, d, 0);
    expect(y.length).toBe(x.length + 301 + 64);
    const padded = new Float32Array(y.length);
    padded.set(x);
    const ref = fractionalDelay(padded, d);
    let worst = 0;
    let tailPeak = 0;
    for (let n = x.length; n < y.length; n++) {
      worst = Math.max(worst, Math.abs(y[n] - ref[n]));
      tailPeak = Math.max(tailPeak, Math.abs(ref[n]));
    }
    expect(worst).toBeLessThan(1e-6); // NaN fails too
    expect(tailPeak).toBeGreaterThan(0.01); // the tail holds x's last 300 frames, not silence
  });
});
