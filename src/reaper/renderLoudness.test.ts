import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWavAtomic } from '../io/wavFile.ts';
import { timeoutResult } from './reaperResult.ts';
import { compareRenderLoudness } from './renderLoudness.ts';

/** Limits: our meter on a stereo 997 Hz sine of amplitude 10^(L/20) reads L within this (BS.1770's calibration). */
const METER_TOLERANCE_LU = 0.02;
const FS = 48000;

let dir: string;
const sine = (seconds: number, lufs: number): Float32Array =>
  Float32Array.from({ length: Math.round(seconds * FS) }, (_, n) => 10 ** (lufs / 20) * Math.sin((2 * Math.PI * 997 * n) / FS));
const reaperSaid = (integrated: number | null, shortTerm: number | null) => ({ ...timeoutResult('r', ''), status: 'ok' as const, integrated_lufs: integrated, short_term_lufs: shortTerm });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-reaper-loudness-'));
  const long = sine(4, -20);
  writeWavAtomic(join(dir, 'long.wav'), { sampleRate: FS, channels: [long, long] });
  const short = sine(1, -20);
  writeWavAtomic(join(dir, 'short.wav'), { sampleRate: FS, channels: [short, short] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the render measured by our meter beside REAPER\'s figures', () => {
  it('measures the render and gives REAPER − rig for both figures', () => {
    const c = compareRenderLoudness(join(dir, 'long.wav'), reaperSaid(-19.5, -20.25));
    expect(c.rigProblem).toBeNull();
    expect(Math.abs(c.integrated.rigLufs! + 20)).toBeLessThan(METER_TOLERANCE_LU);
    expect(Math.abs(c.shortTermMax.rigLufs! + 20)).toBeLessThan(METER_TOLERANCE_LU);
    expect(c.integrated.differenceLu).toBeCloseTo(-19.5 - c.integrated.rigLufs!, 12);
    expect(c.shortTermMax.differenceLu).toBeCloseTo(-20.25 - c.shortTermMax.rigLufs!, 12);
  });

  it('gives no difference where REAPER gave no figure, and no short-term figure for a render under 3 s', () => {
    const c = compareRenderLoudness(join(dir, 'short.wav'), reaperSaid(null, -20));
    expect(c.integrated).toMatchObject({ reaperLufs: null, differenceLu: null });
    expect(c.integrated.rigLufs).not.toBeNull();
    expect(c.shortTermMax).toEqual({ reaperLufs: -20, rigLufs: null, differenceLu: null });
  });

  it('names the file when the render cannot be read (missing, or not a WAV)', () => {
    const c = compareRenderLoudness(join(dir, 'missing.wav'), reaperSaid(-23, -23));
    expect(c.rigProblem).toMatch(/missing\.wav: cannot be read \(ENOENT\)$/);
    expect(c.integrated).toEqual({ reaperLufs: -23, rigLufs: null, differenceLu: null });
  });
});
