import { describe, expect, it } from 'vitest';
import { samplePeakLinear, truePeakLinear, truePeakTaps } from './truePeak.ts';

const toDb = (x: number) => 20 * Math.log10(x);

/** A sine of `cyclesPerSample`·fs with 10 ms raised-cosine fades, so the edges add no overshoot of their own. */
function fadedSine(frames: number, cyclesPerSample: number, phase: number, amplitude = 1): Float32Array {
  const out = new Float32Array(frames);
  const fade = 480;
  for (let i = 0; i < frames; i++) {
    const edge = Math.min(i, frames - 1 - i);
    const w = edge < fade ? 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade) : 1;
    out[i] = w * amplitude * Math.sin(2 * Math.PI * cyclesPerSample * i + phase);
  }
  return out;
}

describe('truePeak', () => {
  it('reads a fs/4 sine at 45° phase at 0 dBTP ±0.2 dB where its samples peak at −3 dB', () => {
    const x = fadedSine(4800, 0.25, Math.PI / 4);

    const truePeakDb = toDb(truePeakLinear(x));
    const samplePeakDb = toDb(samplePeakLinear(x));

    expect(Math.abs(truePeakDb)).toBeLessThan(0.2);
    expect(Math.abs(samplePeakDb + 3.01)).toBeLessThan(0.05);
  });

  it('never reads a full-scale sine more than 0.01 dB over, nor further under than the 4× grid allows, up to 0.45·fs', () => {
    const rows: { f: number; overDb: number; underDb: number; gridDb: number }[] = [];

    for (const f of [0.01, 0.1, 0.25, 0.33, 0.4, 0.45]) {
      let overDb = -Infinity, underDb = Infinity;
      for (let k = 0; k < 16; k++) {
        const db = toDb(truePeakLinear(fadedSine(2400, f, 0.1 + (k * Math.PI) / 16)));
        overDb = Math.max(overDb, db);
        underDb = Math.min(underDb, db);
      }
      rows.push({ f, overDb, underDb, gridDb: toDb(Math.cos((Math.PI * f) / 4)) });
    }

    for (const r of rows) {
      expect(r.overDb, `f = ${r.f}·fs`).toBeLessThan(0.01);
      expect(r.underDb, `f = ${r.f}·fs`).toBeGreaterThan(r.gridDb - 0.01);
    }
  });

  it('finds an inter-sample peak that is alone in an otherwise quiet signal (the chunk skip does not hide it)', () => {
    const x = new Float32Array(48000).fill(0);
    const burst = fadedSine(1200, 0.25, Math.PI / 4, 0.5);
    x.set(burst, 30000);

    expect(Math.abs(toDb(truePeakLinear(x)) - toDb(0.5))).toBeLessThan(0.2);
  });

  it('uses interpolation phases with unit DC gain', () => {
    for (const taps of truePeakTaps()) {
      expect(Math.abs(taps.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
    }
  });

  it('reads silence as 0 (−Infinity dB)', () => {
    expect(truePeakLinear(new Float32Array(1000))).toBe(0);
  });
});
