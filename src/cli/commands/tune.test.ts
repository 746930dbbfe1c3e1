import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess, spawnRig } from '../cliTestRunner.ts';
import { register } from './tune.ts';

const tune = (...args: string[]) => runInProcess(register, ['tune', ...args]);
const dir = mkdtempSync(join(tmpdir(), 'rig-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig tune', () => {
  it('prints the parameters, the figures with units and the description, and writes the spectrogram', async () => {
    const png = join(dir, 'spec.png');
    const r = await tune('--preset', 'lossy/phone-narrowband', '--input', 'tone:440', '--set', 'bitcrush.bitDepth=6', '--spectrogram', png);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lossy\/phone-narrowband \(offline\) bitcrush\.bitDepth=6 /);
    expect(r.stdout).toMatch(/^ {2}thdPlusNoiseDb +-\d+(\.\d+)? dB$/m);
    expect(r.stdout).toMatch(/^dry → wet: .*THD\+N −\d+\.\d dB$/m);
    expect(r.stdout).toMatch(/^does not apply: t30Seconds, edtSeconds, c50Db, c80Db, echoDensity \(lossy is not a reverb/m);
    const image = PNG.sync.read(readFileSync(png));
    expect(image.height).toBe(256);
  });

  it('prints one JSON document with --json, and exits 3 naming a figure that applies but could not be measured', async () => {
    const r = await tune('--preset', 'reverb/small-room', '--window', '1', '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.params.rt60Seconds).toBe(0.45);
    expect(doc.metrics.figures.t30Seconds).toBeGreaterThan(0.2);
    expect(doc.metrics.figures.edtSeconds).toBeGreaterThan(0.2);
    expect(doc.description[0]).toMatch(/^decay: T30 /);
    // Short-term loudness needs 3 s: a 1 s window cannot give it.
    expect(doc.metrics.figures.shortTermMaxLufs).toBeNull();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^rig tune: 1 figure not measurable: shortTermMaxLufs \(short-term loudness needs at least 3 s of output\)/);
  });

  it.each([
    [['--set', 'wetDry=2'], 'rig: reverb parameters: wetDry: got 2, allowed 0…1'],
    [['--set', 'wetDry=lots'], 'rig: reverb parameters: wetDry: got "lots", allowed 0…1'],
    [['--set', 'preDelaySamples=10.5'], 'rig: reverb parameters: preDelaySamples: got 10.5, allowed 0…24000 (whole numbers)'],
    [['--set', 'size=3'], 'rig: reverb parameters: "size": unknown parameter; reverb parameters: wetDry, feedbackGain, rt60Seconds, rt60HighSeconds, preDelayMs, modDepthMs, modRateHz, rt60LowSeconds, preDelaySamples'],
    [['--set', 'wetDry'], 'rig: --set "wetDry": expected name=value, e.g. --set wetDry=0.4'],
    [['--mode', 'sideways'], 'rig: --mode: got "sideways", allowed offline or live'],
  ])('refuses %j with one line naming the parameter, the value and what is allowed (exit 2)', async (args, line) => {
    const r = await tune('--preset', 'small-room', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(line);
    expect(r.stdout).toBe('');
  });

  it('says which server did not answer in live mode (exit 2), end to end, after --reply-timeout-ms (default 2000)', async () => {
    const r = await spawnRig(['tune', '--mode', 'live', '--preset', 'small-room', '--osc-port', '9', '--reply-port', '0', '--reply-timeout-ms', '200'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rig: no reply to \/reverb\/params\/get from 127\.0\.0\.1:9 within 200 ms/m);
    expect((await spawnRig(['tune', '--help'])).stdout).toMatch(/--reply-timeout-ms <ms>[\s\S]*\(default:\s+2000\)/);
  });
});
