import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { samplePeakLinear, truePeakChunks, truePeakLinear, truePeakTaps } from './truePeak.ts';

const toDb = (x: number) => 20 * Math.log10(x);

/** Every sample and every phase of every sample interval, samples beyond the signal taken as 0. */
function exhaustiveTruePeak(x: Float32Array): number {
  const phases = truePeakTaps();
  let peak = samplePeakLinear(x);
  for (let i = 0; i < x.length; i++) {
    for (const taps of phases) {
      let y = 0;
      for (let j = 0; j < taps.length; j++) {
        const index = i - taps.length / 2 + 1 + j;
        y += taps[j] * (index >= 0 && index < x.length ? x[index] : 0);
      }
      peak = Math.max(peak, Math.abs(y));
    }
  }
  return peak;
}

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

  it('gives the whole search’s result as the largest of searches over chunk ranges that tile the signal', () => {
    const next = mulberry32(9);
    const x = Float32Array.from({ length: 30_001 }, (_, i) => (0.2 + 0.6 * ((i % 7000) / 7000)) * Math.sin(0.3 * i) + 0.05 * (next() - 0.5));
    const chunks = truePeakChunks(x.length);
    const cuts = [0, 1, 40, 41, 100, chunks];

    const parts = cuts.slice(1).map((end, i) => truePeakLinear(x, undefined, [cuts[i], end]));

    expect(Math.max(...parts)).toBe(truePeakLinear(x));
    expect(new Set(parts).size).toBeGreaterThan(1); // the ranges do differ
  });

  it('equals the exhaustive 4× search to the last bit, whichever chunks its bounds skip', () => {
    const frames = 48000;
    const lowWithHighBurst = fadedSine(frames, 0.002, 0.3, 0.5);
    lowWithHighBurst.set(fadedSine(960, 0.45, 1, 0.3), 20000); // a quiet burst near fs/2: steps, not level, make its peak
    const next = mulberry32(7);
    const noise = Float32Array.from({ length: frames }, () => next() - 0.5);
    const clippedSquare = Float32Array.from({ length: frames }, (_, i) => (Math.floor(i / 7) % 2 ? 0.9 : -0.9));
    const edges = fadedSine(frames, 0.1, 0, 0.2);
    edges[0] = 0.95; // full-scale steps at both ends, where samples beyond the signal count as 0
    edges[frames - 1] = -0.95;
    for (const [name, x] of Object.entries({ lowWithHighBurst, noise, clippedSquare, edges })) {
      expect(truePeakLinear(x), name).toBe(exhaustiveTruePeak(x));
    }
  });

  it('equals the exhaustive search to the last bit when the peak is in one chunk alone: interior, first or last (edge filter)', () => {
    // A 0.45·fs burst (steps, not level, make its peak) of 40 samples inside one chunk (an fs/4 one at 45° of 6 samples at
    // the start), the rest silent: every other chunk's outputs are near 0, so a search that filters the wrong chunk, or the right one at shifted positions, misses it.
    const frames = 40_000; // not a whole number of 256-sample chunks: the last chunk is partial
    const burstAt = (start: number, length: number, cyclesPerSample = 0.45, phase = 1): Float32Array => {
      const x = new Float32Array(frames);
      for (let i = 0; i < length; i++) x[start + i] = 0.5 * Math.sin(2 * Math.PI * cyclesPerSample * i + phase);
      return x;
    };
    // A slow sine cut at a crest at both ends, a little louder at one: the overshoot of the louder cut (samples beyond the
    // signal count as 0) is the peak, and no step inside the signal shows it (the step bound holds only for chunks whose
    // interpolators stay inside the signal). 157 whole chunks, so the last chunk's interpolators pass the end by 8 samples.
    const crests = (louderAtStart: boolean): Float32Array => {
      const n = 157 * 256;
      return Float32Array.from({ length: n }, (_, i) => (louderAtStart ? 0.95 - 0.05 * (i / n) : 0.9 + 0.05 * (i / n)) * Math.cos((2 * Math.PI * 8 * i) / (n - 1)));
    };
    // The burst at the start again, and a last chunk whose bound is larger (any-input bound of 0.4 at the end) and its
    // peak smaller (the cut's overshoot, ~0.44): the first chunk is not the one filtered first, and must still be filtered.
    const firstNotTop = burstAt(0, 6, 0.25, Math.PI / 4);
    firstNotTop.fill(0.4, frames - 100);
    const cases = {
      interior: burstAt(100 * 256 + 100, 40),
      first: burstAt(0, 6, 0.25, Math.PI / 4),
      firstNotTop,
      last: burstAt(frames - 40, 40),
      cutLouderAtStart: crests(true),
      cutLouderAtEnd: crests(false),
    };
    for (const [name, x] of Object.entries(cases)) {
      const exhaustive = exhaustiveTruePeak(x);
      expect(exhaustive, name).toBeGreaterThan(samplePeakLinear(x) * 1.01);
      expect(truePeakLinear(x), name).toBe(exhaustive);
    }
  });

  it('uses three interpolation phases (x(n + p/4), p = 1, 2, 3) with unit DC gain', () => {
    expect(truePeakTaps()).toHaveLength(3);
    for (const taps of truePeakTaps()) {
      expect(Math.abs(taps.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
    }
  });

  it('reads silence as 0 (−Infinity dB)', () => {
    expect(truePeakLinear(new Float32Array(1000))).toBe(0);
  });
});
