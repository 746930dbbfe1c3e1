import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWhenCommandAppears, type StandInSpec, standInWorkspace } from '../../reaper/fixtures/standIn.ts';
import { RESULT_FILE } from '../../reaper/protocolFiles.ts';
import { generateReaScript, SCRIPT_FILE } from '../../reaper/reaScript.ts';
import { type CliRun, runInProcess, spawnRig } from '../cliTestRunner.ts';
import { EXIT_REAPER_FAILED, EXIT_USAGE, register } from './reaper.ts';

/** The bound: REAPER's figure and our meter's agree within this. */
const LOUDNESS_AGREEMENT_LU = 0.1;

let dir: string;
let script: string;
let rpp: string;
const rig = (...args: string[]): Promise<CliRun> => runInProcess(register, ['reaper', ...args]);

const spec = (): StandInSpec => ({
  projects: { [rpp]: { tracks: [{ name: 'Mix', fx: ['VST: ReaEQ (Cockos)'] }, { name: 'Verb', fx: [] }] } },
  render: { lufs: -23, seconds: 4 },
});

/** A resource folder of its own, with one file of REAPER's in it (never touched). */
function resourceFolder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'reaper.ini'), '[reaper]\n');
  return d;
}

function commandFile(name: string, command: unknown): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, typeof command === 'string' ? command : JSON.stringify(command));
  return f;
}

/** `rig reaper run` in-process while the stand-in REAPER answers as soon as the command appears. */
async function runAgainstStandIn(name: string, command: object, ...flags: string[]): Promise<CliRun> {
  const resource = resourceFolder(name);
  const [run] = await Promise.all([
    rig('run', commandFile(name, command), '--resource-path', resource, '--poll-interval', '10', ...flags),
    answerWhenCommandAppears(script, spec(), resource, dir),
  ]);
  return run;
}

const runs: Record<string, CliRun> = {};

beforeAll(async () => {
  ({ dir, script, rpp } = standInWorkspace('rig-reaper-cli-'));
  const render = { action: 'render', rpp_path: 'mix.rpp', render_path: 'mix.wav', expected_fx: [{ track_index: 0, fx_index: 0, name: 'ReaEQ (Cockos)' }] };
  runs.text = await runAgainstStandIn('text', render);
  runs.json = await runAgainstStandIn('json', { ...render, render_path: 'mix-json.wav' }, '--json', '--out', join(dir, 'report.json'));
  runs.fx = await runAgainstStandIn('fx', { ...render, expected_fx: [{ track_index: 1, fx_index: 0, name: 'ReaVerbate' }] });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rig reaper run', () => {
  it('prints status and both loudness figures side by side with their difference, and exits 0', () => {
    const { code, stdout, stderr } = runs.text;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^status +ok$/m);
    expect(stdout).toMatch(/^fx errors +none$/m);
    expect(stdout).toMatch(/^integrated +REAPER -23\.00 LUFS {3}rig -23\.0\d LUFS {3}difference [+-]0\.0\d LU$/m);
    expect(stdout).toMatch(/^short-term max +REAPER -23\.00 LUFS {3}rig -23\.0\d LUFS {3}difference [+-]0\.0\d LU$/m);
  });

  it('prints the result and the loudness comparison as JSON, and writes the same document with --out', () => {
    const { code, stdout } = runs.json;
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { result: { status: string }; loudness: { integrated: { differenceLu: number }; rigProblem: null } };
    expect(doc.result.status).toBe('ok');
    expect(Math.abs(doc.loudness.integrated.differenceLu)).toBeLessThan(LOUDNESS_AGREEMENT_LU);
    expect(doc.loudness.rigProblem).toBeNull();
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(doc);
  });

  it('exits 1 on an FX mismatch, listing expected and found, with one line on stderr', () => {
    const { code, stdout, stderr } = runs.fx;
    expect(code).toBe(EXIT_REAPER_FAILED);
    expect(stdout).toMatch(/^ +track 1 fx 0: expected "ReaVerbate", found nothing$/m);
    expect(stderr).toMatch(/^rig: .*fx\.json: REAPER answered error: 1 FX differ from expected_fx; nothing calibrated or rendered\n$/);
  });

  it('exits 1 when REAPER never answers, naming the result file it waited for, and withdraws the command', async () => {
    const resource = resourceFolder('silent');
    const { code, stderr } = await rig('run', commandFile('silent', { action: 'verify_fx', rpp_path: rpp }), '--resource-path', resource, '--timeout', '0.2');
    expect(code).toBe(EXIT_REAPER_FAILED);
    expect(stderr).toContain(`REAPER did not answer: no answer in ${join(resource, RESULT_FILE)} after 0.2 s`);
    expect(readdirSync(resource)).toEqual(['reaper.ini']);
  });
});

describe('rig reaper run refuses bad input with exit 2, one line naming the file and field, and nothing written', () => {
  const ok = () => ({ action: 'verify_fx', rpp_path: rpp });
  it.each([
    ['a missing .rpp', () => commandFile('missing-rpp', { ...ok(), rpp_path: 'gone.rpp' }), [], /missing-rpp\.json: rpp_path: .*gone\.rpp cannot be used \(ENOENT\)$/],
    ['a negative timeout in the file', () => commandFile('neg', { ...ok(), timeout: -5 }), [], /neg\.json: timeout: got -5, expected a value > 0$/],
    ['a negative --timeout', () => commandFile('neg-flag', ok()), ['--timeout', '-1'], /--timeout: got "-1", expected seconds > 0$/],
    ['an unknown action', () => commandFile('action', { ...ok(), action: 'bounce' }), [], /action\.json: action: got "bounce"/],
    ['wrong types', () => commandFile('types', { ...ok(), expected_fx: [{ track_index: '0', fx_index: 0, name: 'x' }] }), [], /types\.json: expected_fx\[0\]\.track_index: got "0", expected number/],
    ['a file that is not JSON', () => commandFile('syntax', '{"action": '), [], /syntax\.json: is not valid JSON/],
    ['a bad --poll-interval', () => commandFile('poll', ok()), ['--poll-interval', '0'], /--poll-interval: got "0", expected whole milliseconds from 1 to 10000$/],
  ] as const)('%s', async (_what, file, flags, message) => {
    const resource = resourceFolder(`bad-${_what.replace(/\W+/g, '-')}`);
    const { code, stdout, stderr } = await rig('run', file(), '--resource-path', resource, ...flags);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr.trimEnd()).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
    expect(readdirSync(resource)).toEqual(['reaper.ini']);
  });

  it('an unwritable resource folder, naming it (and leaving nothing in it)', async () => {
    const { code, stderr } = await rig('run', commandFile('unwritable', { action: 'verify_fx', rpp_path: rpp }), '--resource-path', '/proc');
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toBe('rig: /proc: --resource-path: fl_control_command.json cannot be written (ENOENT)\n');
    expect(readdirSync('/proc').filter((f) => f.startsWith('fl_control'))).toEqual([]);
  });

  it('an --out file that cannot be written, after printing the result', async () => {
    const resource = resourceFolder('bad-out');
    const { code, stdout, stderr } = await rig('run', commandFile('bad-out', { action: 'verify_fx', rpp_path: rpp }), '--resource-path', resource, '--timeout', '0.05', '--out', '/proc/report.json');
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toMatch(/^status +timeout$/m);
    expect(stderr).toBe('rig: --out: /proc/report.json cannot be written (ENOENT)\n');
  });

  it('a missing resource folder, naming it', async () => {
    const { code, stderr } = await rig('run', commandFile('nofolder', { action: 'verify_fx', rpp_path: rpp }), '--resource-path', join(dir, 'absent'));
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/absent: --resource-path: cannot be used \(ENOENT\)\n$/);
  });
});

describe('rig reaper script and install', () => {
  it('writes the script to --out, or to stdout', async () => {
    const out = join(dir, 'out.py');
    expect((await rig('script', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(generateReaScript());
    expect((await rig('script')).stdout).toBe(generateReaScript());
  });

  it('installs into <resource>/Scripts and says how to register the action', async () => {
    const resource = resourceFolder('install');
    const { code, stdout } = await rig('install', '--resource-path', resource);
    expect(code).toBe(0);
    expect(existsSync(join(resource, 'Scripts', SCRIPT_FILE))).toBe(true);
    expect(stdout).toMatch(/Load ReaScript/);
  });

  it('as a real process: exit 2 and one line on stderr for a bad command file (never a stack trace) or a missing option', async () => {
    const resource = resourceFolder('spawned');
    const [{ code, stdout, stderr }, noFolder] = await Promise.all([
      spawnRig(['reaper', 'run', commandFile('spawned', { action: 'mix', rpp_path: rpp }), '--resource-path', resource], { timeoutMs: 30_000 }),
      spawnRig(['reaper', 'run', commandFile('spawned-ok', { action: 'verify_fx', rpp_path: rpp })], { timeoutMs: 30_000 }),
    ]);
    expect(noFolder.code, 'a missing --resource-path is a usage error too').toBe(EXIT_USAGE);
    expect(noFolder.stderr).toMatch(/^error: required option '--resource-path <dir>' not specified\n/);
    expect(code).toBe(EXIT_USAGE);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^rig: .*spawned\.json: action: got "mix", .*\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
