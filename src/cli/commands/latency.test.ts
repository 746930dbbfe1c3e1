import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fractionalDelay } from '../../analysis/testSignals/fractionalDelay.ts';
import { addNoiseAtSnr, gaussianNoise } from '../../analysis/testSignals/seededRandom.ts';
import { writeWavAtomic } from '../../io/wavFile.ts';
import { type CliRun, runInProcess, spawnRig } from '../cliTestRunner.ts';
import { register } from './latency.ts';

const FS = 48000;
type Run = CliRun;
const rig = (...args: string[]): Promise<Run> => spawnRig(['latency', ...args], { timeoutMs: 30_000 });
const rigInProcess = (...args: string[]): Promise<Run> => runInProcess(register, ['latency', ...args]);

let dir: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-latency-'));
  const reference = gaussianNoise(FS / 4, 0.1, 1);
  const padded = new Float32Array(reference.length + 2000);
  padded.set(reference);
  const ch1 = fractionalDelay(padded, 128.25);
  addNoiseAtSnr(ch1, 40, 2);
  const ch2 = fractionalDelay(padded, 300.5).map((v) => -v);
  addNoiseAtSnr(ch2, 40, 3);
  const ch3 = gaussianNoise(padded.length, 0.1, 4); // unrelated: no measurement
  writeWavAtomic(join(dir, 'ref.wav'), { sampleRate: FS, channels: [reference] });
  writeWavAtomic(join(dir, 'cap.wav'), { sampleRate: FS, channels: [ch1, ch2, ch3] });
  writeWavAtomic(join(dir, 'cap44.wav'), { sampleRate: 44100, channels: [ch1] });
  writeFileSync(join(dir, 'empty.wav'), '');
  // End to end through bin/rig.js for the multichannel JSON and a read error (each spawn starts tsx and
  // every command, seconds on a loaded machine, so they run side by side); the rest run in-process.
  const spawned: [string, string[]][] = [
    ['json', [join(dir, 'ref.wav'), join(dir, 'cap.wav'), '--json']],
    ['empty', [join(dir, 'ref.wav'), join(dir, 'empty.wav')]],
  ];
  const results = await Promise.all(spawned.map(([, args]) => rig(...args)));
  spawned.forEach(([name], i) => {
    runs[name] = results[i];
  });
  runs.one = await rigInProcess(join(dir, 'ref.wav'), join(dir, 'cap.wav'), '--channel', '1');
  runs.rates = await rigInProcess(join(dir, 'ref.wav'), join(dir, 'cap44.wav'));
  runs.badChannel = await rigInProcess(join(dir, 'ref.wav'), join(dir, 'cap.wav'), '--channel', '9');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig latency', () => {
  it('prints every channel as JSON: delays within 0.05 sample, the inverted one flagged, the unrelated one unmeasured with exit 3', () => {
    const { code, stdout, stderr } = runs.json;
    const doc = JSON.parse(stdout) as { channels: Record<string, unknown>[] };
    expect(doc.channels).toHaveLength(3);
    expect(doc.channels.map((c) => c.channelIndex)).toEqual([0, 1, 2]); // JSON: 0-based under channelIndex
    expect(Math.abs((doc.channels[0].delaySamples as number) - 128.25)).toBeLessThan(0.05);
    expect(doc.channels[0].polarity).toBe('normal');
    expect(Math.abs((doc.channels[1].delaySamples as number) - 300.5)).toBeLessThan(0.05);
    expect(doc.channels[1].polarity).toBe('inverted');
    expect(doc.channels[2]).toMatchObject({ measured: false, reason: 'no-coherent-signal' });
    expect(doc.channels[2].delaySamples).toBeUndefined();
    expect(code).toBe(3);
    expect(stderr).toMatch(/no measurement on 1 of 3 channel\(s\) — channel 3/);
  });

  it('prints one channel with its delay in samples and ms, and exits 0', () => {
    const { code, stdout } = runs.one;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^channel\s+1$/m); // text: --channel 1 reads channel 1
    expect(stdout).toMatch(/delaySamples\s+128\.2\d\d samples/);
    expect(stdout).toMatch(/delayMs\s+2\.67\d\d ms/);
    expect(stdout).toMatch(/confidence\s+(0\.99\d\d|1\.0000)/);
  });

  it('refuses an empty file with a clear message and a non-zero exit, printing no number', () => {
    expect(runs.empty.code).not.toBe(0);
    expect(runs.empty.stderr).toMatch(/empty\.wav: is empty/);
    expect(runs.empty.stdout).toBe('');
  });

  it('refuses files at different sample rates', () => {
    expect(runs.rates.code).not.toBe(0);
    expect(runs.rates.stderr).toMatch(/sample rates differ/);
  });

  it('refuses a channel the capture does not have', () => {
    expect(runs.badChannel.code).not.toBe(0);
    expect(runs.badChannel.stderr).toMatch(/--channel must be an integer from 1 to 3/);
  });
});
