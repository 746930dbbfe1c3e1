import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { JS_TRUE_PEAK_STEPS, samplePeakLinear, truePeakChunks, truePeakLinear, truePeakTaps } from './truePeak.ts';

const toDb = (x: number) => 20 * Math.log10(x);

/** Every sample and every phase of every sample interval from positions [from, to), samples beyond the signal taken as 0. */
function exhaustiveTruePeak(x: Float32Array, from = 0, to = x.length): number {
  const phases = truePeakTaps();
  let peak = samplePeakLinear(x.subarray(from, to));
  for (let i = from; i < to; i++) {
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

  it('equals the exhaustive search to the last bit when a chunk’s peak reaches its any-input bound (the bound’s margin is the only slack)', () => {
    // The any-input bound M·Σ|t_j| is met exactly: the 16 samples under the x(n + ½) interpolator are M·sign(t_j). Two
    // chunks hold that pattern with the same M (the same bound); in the first, filtered first, the sample under the
    // smallest tap (|t| = 0.0008) is one binary32 step under M, so its peak is ~2e-11 under the second's, well inside the
    // bound's 1e-9 margin. The second chunk's bound is above the peak found only by that margin; it must still be filtered.
    const taps = truePeakTaps()[1];
    const amplitude = 0.5;
    const x = new Float32Array(16 * 256);
    const pattern = (centre: number, under: number) => {
      for (let j = 0; j < taps.length; j++) x[centre - taps.length / 2 + 1 + j] = Math.sign(taps[j]) * (j === 0 ? under : amplitude);
    };
    pattern(3 * 256 + 128, Math.fround(amplitude * (1 - 2 ** -24)));
    pattern(10 * 256 + 128, amplitude);
    const extremal = amplitude * taps.reduce((s, t) => s + Math.abs(t), 0);
    const exhaustive = exhaustiveTruePeak(x);
    expect(Math.abs(exhaustive / extremal - 1)).toBeLessThan(1e-15);
    expect(exhaustive).toBeGreaterThan(exhaustiveTruePeak(x, 0, 8 * 256)); // the second chunk holds the larger peak
    expect(truePeakLinear(x)).toBe(exhaustive);
  });

  it('searches only the chunks of its range: the peak of their own outputs, also beside a louder chunk and at the end', () => {
    // A quiet sine (0.1) over chunks 0–38, a 0.45·fs burst (0.5) at samples 100–139 of chunk 40, silence after it: the
    // reach of chunks 0–39 ends 8 samples into chunk 40 and that of chunk 41 starts 8 before it, both short of the burst.
    // And a level of 0.52 that steps smoothly down to 0.5 a chunk before the end, where the signal is cut: the cut's
    // overshoot (~0.54) is the peak, in the last chunk, whose samples and steps (0.5, 0) show none of it (the step
    // bound holds only for chunks inside the signal; the last chunk must take the any-input bound).
    const burst = new Float32Array(60 * 256);
    burst.set(fadedSine(39 * 256, 0.01, 0, 0.1));
    for (let i = 0; i < 40; i++) burst[40 * 256 + 100 + i] = 0.5 * Math.sin(2 * Math.PI * 0.45 * i + 1);
    const n = 157 * 256;
    const ramp = (i: number, at: number, length: number): number => (i < at ? 0 : i >= at + length ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (i - at)) / length));
    const cut = Float32Array.from({ length: n }, (_, i) => 0.52 * ramp(i, 0, 2000) - 0.02 * ramp(i, 155 * 256, 200));
    const cases: [string, Float32Array, number, number][] = [
      ['quiet chunks before the burst', burst, 0, 40],
      ['quiet chunks 1–39 before the burst', burst, 1, 40],
      ['the burst', burst, 40, 41],
      ['silence after the burst', burst, 41, 60],
      ['the last 57 chunks of the cut level', cut, 100, 157],
      ['the first 100 chunks of the cut level', cut, 0, 100],
    ];
    for (const [name, x, k0, k1] of cases) {
      expect(truePeakLinear(x, undefined, [k0, k1]), name).toBe(exhaustiveTruePeak(x, k0 * 256, Math.min(x.length, k1 * 256)));
    }
    expect(truePeakLinear(burst, undefined, [41, 60])).toBe(0);
    expect(truePeakLinear(cut, undefined, [100, 157])).toBeGreaterThan(0.53);
    // The same level cut at the start instead (0.5 from the first sample, rising smoothly to 0.52 from chunk 2, fading
    // out at the end): the first chunk, whose interpolators reach before the signal, must take the any-input bound too.
    const startCut = Float32Array.from({ length: n }, (_, i) => 0.5 + 0.02 * ramp(i, 2 * 256, 200) - 0.52 * ramp(i, n - 2000, 2000));
    expect(truePeakLinear(startCut)).toBe(exhaustiveTruePeak(startCut));
    expect(truePeakLinear(startCut)).toBeGreaterThan(0.53);
  });

  it('reads a signal 2⁷ times louder (above full scale, as a float file may be) at 2⁷ times the true peak, to the last bit', () => {
    // Scaling by a power of two is exact in every sum, so the search must scale exactly. Above full scale the steps
    // exceed 1, where the step bound Σ|t|·|j − c|·D grows with D: here an fs/4 burst at 45° (samples ±0.35, true peak
    // 0.5) must be filtered although a slow sine of 0.4 elsewhere has the larger sample peak.
    const x = fadedSine(12000, 0.001, 0, 0.4);
    x.set(fadedSine(960, 0.25, Math.PI / 4, 0.5), 6000);
    const loud = x.map((v) => v * 128);
    expect(exhaustiveTruePeak(x)).toBeGreaterThan(0.45);
    expect(truePeakLinear(loud)).toBe(128 * exhaustiveTruePeak(x));
    // And a slow sine alone, whose inter-sample crest lies just above its largest sample in whichever chunk holds it.
    const slow = fadedSine(12000, 0.001, 0.3, 0.4);
    expect(truePeakLinear(slow.map((v) => v * 128))).toBe(128 * exhaustiveTruePeak(slow));
  });

  it('filters in interiorPeaks (the JavaScript reference of the WebAssembly batch) the first `count` chunks listed, no more', () => {
    const x = new Float32Array(40 * 256);
    x.set(fadedSine(256, 0.45, 1, 0.2), 10 * 256);
    x.set(fadedSine(256, 0.45, 1, 0.6), 20 * 256);
    const chunks = Uint32Array.of(10, 20);
    expect(JS_TRUE_PEAK_STEPS.interiorPeaks(x, chunks, 1, 0)).toBe(JS_TRUE_PEAK_STEPS.interiorPeak(x, 10 * 256, 11 * 256, 0));
    expect(JS_TRUE_PEAK_STEPS.interiorPeaks(x, chunks, 1, 0)).toBeLessThan(0.25);
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
