import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeWavAtomic } from '../../io/wavFile.ts';
import { type CliRun, runInProcess, spawnRig } from '../cliTestRunner.ts';
import { register, untilStopped } from './serve.ts';

afterEach(() => vi.useRealTimers());

describe('rig serve --seconds', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops at once on %s and leaves no timer holding the process for the rest of N seconds', async (signal) => {
    vi.useFakeTimers();
    const stopped = untilStopped(3600);
    expect(vi.getTimerCount()).toBe(1);
    process.emit(signal);
    await expect(stopped).resolves.toBe(signal);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops after N seconds when no signal comes', async () => {
    vi.useFakeTimers();
    const stopped = untilStopped(5);
    vi.advanceTimersByTime(5000);
    await expect(stopped).resolves.toBe('timeout');
  });
});

/**
 * The effect that runs is spawned as a user would start it (start-up, exit code, stdout); the usage errors
 * run `serve` in this process through main.ts's mapping (cliTestRunner's runInProcess; exitCodes.test.ts
 * holds the two mappings together): each refuses its arguments before anything starts, and a process each
 * cost ~0.7 s of CPU to say so.
 */
describe('rig serve --engine reverb|lossy', () => {
  const runs: Record<string, CliRun> = {};
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-serve-effect-'));
    const wav = join(dir, 'in.wav');
    writeWavAtomic(wav, { sampleRate: 44100, channels: [new Float32Array(4410)] });
    const args = (...extra: string[]) => ['serve', '--no-socket', '--osc-port', '0', '--seconds', '0.5', ...extra];
    const spawned = spawnRig(args('--engine', 'lossy', '--preset', 'phone-narrowband', '--tone', '440', '--json'), {});
    const refused = {
      both: args('--engine', 'reverb', '--tone', '--noise'),
      rate: args('--engine', 'reverb', '--input', wav),
      channels: args('--engine', 'reverb', '--input-channels', '1,41'),
      preset: args('--engine', 'reverb', '--preset', 'cathedrl'),
      conflict: args('--engine', 'reverb', '--preset', 'cathedral', '--config', wav),
    };
    for (const [name, a] of Object.entries(refused)) runs[name] = await runInProcess(register, a);
    runs.ok = await spawned;
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs an effect from a preset on a generated input and names the source', () => {
    expect(runs.ok.code, runs.ok.stderr).toBe(0);
    expect(runs.ok.stderr).toMatch(/lossy engine on virtual .* input tone 440 Hz at 0\.25; replies to 127\.0\.0\.1:9001/);
    expect(JSON.parse(runs.ok.stdout).engine).toBe('lossy');
  });

  it.each([
    ['both', /--input, --tone and --noise each choose the input; give one/],
    ['rate', /in\.wav: 44100 Hz, but the rig runs at 48000 Hz; resample the file/],
    ['channels', /--input-channels: the rig has 32 inputs \(1…32\), got 41/],
    ['preset', /--preset cathedrl: no reverb preset of that name; did you mean cathedral\?/],
    ['conflict', /--preset and --config both give the parameters; choose one/],
  ])('refuses %s as a usage error (exit 2), one line saying why', (name, message) => {
    expect(runs[name].code, runs[name].stderr).toBe(2);
    expect(runs[name].stderr).toMatch(message);
  });
});
