import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runInProcess, spawnRig } from '../cliTestRunner.ts';
import { register } from './analyze.ts';
import { decayingNoise } from '../../analysis/signal/seededNoise.ts';
import { writeWavAtomic } from '../../io/wavFile.ts';

const FS = 48000;
type Run = CliRun;
const rig = (...args: string[]): Promise<Run> => spawnRig(['analyze', ...args], { timeoutMs: 30_000 });
const rigInProcess = (...args: string[]): Promise<Run> => runInProcess(register, ['analyze', ...args]);

let dir: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-analyze-'));
  const ir = Float32Array.from(decayingNoise({ sampleRate: FS, seconds: 2.5, rt60Seconds: 1, seed: 4, noiseFloorDb: -70 }));
  writeWavAtomic(join(dir, 'ir.wav'), { sampleRate: FS, channels: [ir] });
  const shallow = Float32Array.from(decayingNoise({ sampleRate: FS, seconds: 2, rt60Seconds: 1, seed: 5, noiseFloorDb: -30 }));
  writeWavAtomic(join(dir, 'shallow.wav'), { sampleRate: FS, channels: [shallow] });
  const sine = new Float32Array(FS * 4);
  for (let i = 0; i < sine.length; i++) sine[i] = 10 ** (-23 / 20) * Math.sin((2 * Math.PI * 1000 * i) / FS);
  writeWavAtomic(join(dir, 'sine.wav'), { sampleRate: FS, channels: [sine, sine] });
  writeWavAtomic(join(dir, 'silent.wav'), { sampleRate: FS, channels: [new Float32Array(FS)] });
  // Quad (mask 0x33: FL FR BL BR) with the sine in the back pair only, the surround pair of BS.1770-4.
  const quadPath = join(dir, 'quad.wav');
  writeWavAtomic(quadPath, { sampleRate: FS, channels: [new Float32Array(sine.length), new Float32Array(sine.length), sine, sine] });
  const quad = readFileSync(quadPath);
  quad.writeUInt32LE(0x33, 40); // dwChannelMask (writeWavAtomic writes 0: no positions)
  writeFileSync(quadPath, quad);
  const withNaN = new Float32Array(4800);
  withNaN[100] = NaN;
  writeWavAtomic(join(dir, 'nan.wav'), { sampleRate: FS, channels: [withNaN] });
  const click = new Float32Array(FS / 50); // 20 ms: too short for C50 and C80
  for (let i = 0; i < click.length; i++) click[i] = Math.exp(-i / 50) * (i % 2 ? 1 : -1);
  writeWavAtomic(join(dir, 'click.wav'), { sampleRate: FS, channels: [click] });
  writeFileSync(join(dir, 'empty.wav'), '');
  writeFileSync(join(dir, 'garbage.wav'), 'this is not a wav file at all');
  // End to end through bin/rig.js for a full analysis (exit 0) and a refusal (exit 3): each spawn starts tsx,
  // about a second of CPU, so they run side by side; the other cases run the same command in-process,
  // through the same CliError → message and exit code path that main.ts takes.
  const spawned: [string, string[]][] = [
    ['irBands', [join(dir, 'ir.wav'), '--bands', '--json']],
    ['shallow', [join(dir, 'shallow.wav'), '--ir']],
  ];
  const results = await Promise.all(spawned.map(([, args]) => rig(...args)));
  spawned.forEach(([name], i) => (runs[name] = results[i]));
  runs.irText = await rigInProcess(join(dir, 'ir.wav'), '--ir');
  runs.shallowJson = await rigInProcess(join(dir, 'shallow.wav'), '--ir', '--json');
  runs.sine = await rigInProcess(join(dir, 'sine.wav'), '--json');
  runs.quad = await rigInProcess(join(dir, 'quad.wav'), '--json');
  runs.silent = await rigInProcess(join(dir, 'silent.wav'));
  runs.missing = await rigInProcess(join(dir, 'nope.wav'));
  runs.empty = await rigInProcess(join(dir, 'empty.wav'), '--ir');
  runs.garbage = await rigInProcess(join(dir, 'garbage.wav'));
  runs.nan = await rigInProcess(join(dir, 'nan.wav'));
  runs.click = await rigInProcess(join(dir, 'click.wav'), '--ir', '--json');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig analyze', () => {
  it('reads T30, T20, EDT and C80 of a 1 s impulse response within 3 % / 0.6 dB, per octave band with --bands, exit 0', () => {
    const r = runs.irBands;
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(r.stdout) as Record<string, number>;
    expect(Math.abs(f.t30Seconds - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.t20Seconds - 1)).toBeLessThan(0.03);
    expect(Math.abs(f.edtSeconds - 1)).toBeLessThan(0.05);
    expect(Math.abs(f.c80Db - 3.053)).toBeLessThan(0.6);
    for (const band of [63, 125, 250, 500, 1000, 2000, 4000, 8000]) expect(typeof f[`band${band}Hz.t30Seconds`], `${band} Hz`).toBe('number');
    expect(f['band16000Hz.t30Seconds']).toBeUndefined();
  });

  it('prints text figures whose names carry their units', () => {
    expect(runs.irText.code).toBe(0);
    const value = (name: string): number => Number(new RegExp(`^${name}\\s+(\\S+)$`, 'm').exec(runs.irText.stdout)?.[1]);
    expect(Math.abs(value('t30Seconds') - 1)).toBeLessThan(0.03);
    expect(Math.abs(value('c80Db') - 3.053)).toBeLessThan(0.6);
    expect(Math.abs(value('noiseFloorDbfs') - -70)).toBeLessThan(0.5);
  });

  it('refuses T30 and T20 over a −30 dB floor with a clear message and exit 3, still printing EDT', () => {
    const r = runs.shallow;
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/T30 \(broadband\): only 2\d\.\d dB of decay above the noise, 45 dB needed/);
    expect(r.stdout).toMatch(/^t30Seconds\s+not measurable \(only 2\d\.\d dB of decay above the noise, 45 dB needed\)$/m);
    expect(r.stdout).toMatch(/^edtSeconds\s+1\.\d+$/m);
    const f = JSON.parse(runs.shallowJson.stdout) as Record<string, unknown>;
    expect(runs.shallowJson.code).toBe(3);
    expect(f.t30Seconds).toBeNull();
    expect(typeof f.edtSeconds).toBe('number');
    expect(f.problems).toHaveLength(2);
    expect((f.problems as { figure: string; detail: object }[])[1]).toMatchObject({
      figure: 't30Seconds',
      detail: { ok: false, reason: 'insufficient-dynamic-range', requiredDb: 45 },
    });
  });

  it('measures programme material: a −23 dBFS stereo 1 kHz sine reads −23.0 LUFS, crest 3.01 dB, centroid 1 kHz', () => {
    const r = runs.sine;
    expect(r.code, r.stderr).toBe(0);
    const f = JSON.parse(r.stdout) as Record<string, number>;
    expect(Math.abs(f.integratedLufs - -23)).toBeLessThan(0.1);
    expect(Math.abs(f.truePeakDbtp - -23)).toBeLessThan(0.1);
    expect(Math.abs(f.crestFactorDb - 3.0103)).toBeLessThan(0.01);
    expect(Math.abs(f.centroidHz - 1000)).toBeLessThan(5);
  });

  it('weights loudness by the speaker positions the file declares: the −23 dBFS sine in a quad file\'s back pair reads −23.0 + 10·log10(1.41) LUFS', () => {
    // Before the channel mask was read, every channel of a 4-channel file weighed 1: −23.0 LUFS (ffmpeg's ebur128 reads this file at −21.5).
    const r = runs.quad;

    expect(r.code).toBe(0);
    expect(Math.abs(JSON.parse(r.stdout).integratedLufs - (-23 + 10 * Math.log10(1.41)))).toBeLessThan(0.05);
  });

  it('refuses a file holding NaN with exit 2, naming channel and frame', () => {
    expect(runs.nan.code).toBe(2);
    expect(runs.nan.stderr).toMatch(/channel 1 holds a non-finite sample \(NaN\) at frame 100/);
  });

  it('gives the T30 of a 20 ms click (e^(−n/50): 7.2 ms) but refuses C80 and C50, which need 80 and 50 ms of response', () => {
    expect(runs.click.code).toBe(3);
    const f = JSON.parse(runs.click.stdout) as Record<string, unknown>;
    expect(Math.abs((f.t30Seconds as number) - (60 / ((20 * Math.log10(Math.E)) / 50)) / FS)).toBeLessThan(1e-4);
    expect(f.c80Db).toBeNull();
    expect(f.problems).toContainEqual({
      figure: 'c80Db',
      message: 'C80 (broadband): the response ends less than 80 ms after its onset',
      detail: { reason: 'response-too-short', requiredSeconds: 0.08 },
    });
    expect(runs.click.stderr).toMatch(/C50 \(broadband\): the response ends less than 50 ms after its onset/);
  });

  it('refuses a silent file with exit 3 and says why', () => {
    expect(runs.silent.code).toBe(3);
    expect(runs.silent.stderr).toMatch(/digitally silent/);
    expect(runs.silent.stdout).toBe('');
  });

  it('reports a missing, an empty and a non-WAV file with exit 2 and one clear line', () => {
    expect(runs.missing.code).toBe(2);
    expect(runs.missing.stderr).toMatch(/nope\.wav: cannot be read \(ENOENT\)/);
    expect(runs.empty.code).toBe(2);
    expect(runs.empty.stderr).toMatch(/empty\.wav: is empty/);
    expect(runs.garbage.code).toBe(2);
    expect(runs.garbage.stderr).toMatch(/garbage\.wav: is not a readable WAV file/);
    for (const r of [runs.missing, runs.empty, runs.garbage]) expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
