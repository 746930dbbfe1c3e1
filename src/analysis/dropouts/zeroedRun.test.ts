import { describe, expect, it } from 'vitest';
import { sine } from '../testSignals/sine.ts';
import { fitZeroedRun } from './zeroedRun.ts';

const FS = 48000;

describe('fitZeroedRun', () => {
  it('returns the exact run of a 37-frame zeroed block in a 440 Hz tone, explaining > 99 % of the residual', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    capture.fill(0, 1000, 1037);

    const run = fitZeroedRun(capture, (n) => expected[n], 900, 1100, 16, 1e-4);

    expect(run).toMatchObject({ startFrame: 1000, endFrame: 1037, silent: true });
    expect(run.explained).toBeGreaterThan(0.99);
  });

  it('does not call a phase-inverted stretch silent, though silence explains 75 % of its residual', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    for (let n = 1000; n < 1200; n++) capture[n] = -expected[n];

    const run = fitZeroedRun(capture, (n) => expected[n], 900, 1300, 16, 1e-4);

    expect(run.silent).toBe(false);
  });

  it('explains exactly all of the residual when the capture is clean outside the zeroed block', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    capture.fill(0, 1000, 1037);

    // r = 0 outside the block and y = 0 inside it, so the run's gain Σ(r² − y²) is the residual's Σ r².
    expect(fitZeroedRun(capture, (n) => expected[n], 900, 1100, 16, 1e-4).explained).toBeCloseTo(1, 12);
  });

  it('explains nothing, not NaN, where there is no residual', () => {
    const silence = new Float32Array(500);
    expect(fitZeroedRun(silence, () => 0, 100, 400, 16, 1e-4)).toEqual({ startFrame: 100, endFrame: 100, explained: 0, silent: true });
  });

  it('ends the run at the region’s end, though the zeroed block runs on past it', () => {
    const expected = sine(2000, 440, FS, 0.5);
    const capture = expected.slice();
    capture.fill(0, 1000, 1100);

    expect(fitZeroedRun(capture, (n) => expected[n], 900, 1050, 16, 1e-4)).toMatchObject({ startFrame: 1000, endFrame: 1050 });
  });

  it('trims the ends of the run where the render is below the floor (no evidence there), though silence explains a little of them', () => {
    // Render: 1e-5 (below the 1e-4 floor) over 1000–1009 and 1030–1036, 0.5 elsewhere; the capture zeroed over 1000–1036.
    const expected = Float32Array.from({ length: 2000 }, (_, n) => ((n >= 1000 && n < 1010) || (n >= 1030 && n < 1037) ? 1e-5 : 0.5));
    const capture = expected.slice();
    capture.fill(0, 1000, 1037);

    expect(fitZeroedRun(capture, (n) => expected[n], 900, 1100, 16, 1e-4)).toMatchObject({ startFrame: 1010, endFrame: 1030, silent: true });
  });

  it('leaves out the neighbouring stretches at half the level, which silence does not explain at all (r² = y² there)', () => {
    const expected = Float32Array.from({ length: 2000 }, () => 0.5);
    const capture = expected.slice();
    capture.fill(0.25, 950, 1000);
    capture.fill(0, 1000, 1037);
    capture.fill(0.25, 1037, 1080);

    expect(fitZeroedRun(capture, (n) => expected[n], 900, 1100, 16, 1e-4)).toMatchObject({ startFrame: 1000, endFrame: 1037 });
  });

  // A DC render of 0.5 and a block of 320 frames (20 chunks of 16) where the capture keeps a fraction a of it.
  const keptFraction = (a: (n: number) => number, render = 0.5): Float32Array => {
    const capture = new Float32Array(2000).fill(render);
    for (let n = 1000; n < 1320; n++) capture[n] = a(n) * render;
    return capture;
  };

  it('calls a run silent up to 1 % of the predicted energy over it (a = 0.09: 0.81 %), not above (a = 0.11: 1.21 %)', () => {
    // Floor 0.04: its energy over the run (320 · 0.0016 = 0.51) is below the capture's at a = 0.11 (320 · 0.003 = 0.97).
    const fitKept = (a: number) => fitZeroedRun(keptFraction(() => a), () => 0.5, 900, 1400, 16, 0.04);
    expect(fitKept(0.09)).toMatchObject({ startFrame: 1000, endFrame: 1320, silent: true });
    expect(fitKept(0.11)).toMatchObject({ startFrame: 1000, endFrame: 1320, silent: false });
  });

  it('calls a run silent only if every chunk keeps ≤ 10 % of its predicted energy, even when the whole run keeps < 1 %', () => {
    // One chunk (1080–1095) keeps a = 0.33 (10.9 %) or 0.3 (9 %); over the run that is 0.54 % or 0.45 %.
    const oneChunk = (a: number) => keptFraction((n) => (n >= 1080 && n < 1096 ? a : 0));
    expect(fitZeroedRun(oneChunk(0.3), () => 0.5, 900, 1400, 16, 1e-4).silent).toBe(true);
    expect(fitZeroedRun(oneChunk(0.33), () => 0.5, 900, 1400, 16, 1e-4).silent).toBe(false);
  });

  it('lets a chunk near the floor hold the floor’s energy (per frame), not more', () => {
    // Render 0.03, floor 0.01: one chunk keeps 0.012 (1.44e-4 a frame: above the floor's 1e-4 and 10 % of the render's 9e-4),
    // or 0.0095 (9.0e-5: below both); over the run both stay below the floor's energy.
    const oneChunk = (level: number) => keptFraction((n) => (n >= 1080 && n < 1096 ? level / 0.03 : 0), 0.03);
    expect(fitZeroedRun(oneChunk(0.0095), () => 0.03, 900, 1400, 16, 0.01).silent).toBe(true);
    expect(fitZeroedRun(oneChunk(0.012), () => 0.03, 900, 1400, 16, 0.01).silent).toBe(false);
  });

  it('keeps in the run the render samples exactly at the floor, and a chunk that holds exactly the floor’s energy is silent', () => {
    const floor = 2 ** -6; // exact in float32, as are its squares and their sums over 16 frames
    // Render exactly at the floor over 1000–1009 and 1310–1319 (evidence, not trimmed), 0.04 elsewhere.
    const render = Float32Array.from({ length: 2000 }, (_, n) => ((n >= 1000 && n < 1010) || (n >= 1310 && n < 1320) ? floor : 0.04));
    const capture = render.slice();
    capture.fill(0, 1000, 1320);
    expect(fitZeroedRun(capture, (n) => render[n], 900, 1400, 16, floor)).toMatchObject({ startFrame: 1000, endFrame: 1320, silent: true });

    // One chunk keeps exactly the floor's level: its energy 16·floor² is the chunk's limit (10 % of the render's is below it).
    capture.fill(floor, 1080, 1096);
    expect(fitZeroedRun(capture, (n) => render[n], 900, 1400, 16, floor).silent).toBe(true);
  });
});
