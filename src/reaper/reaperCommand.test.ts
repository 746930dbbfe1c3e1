import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommandPaths, CommandError, parseCommandFile, readCommandFile, reaperCommandSchema, toWireCommand } from './reaperCommand.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-reaper-command-'));
  writeFileSync(join(dir, 'mix.rpp'), '<REAPER_PROJECT\n>\n');
  mkdirSync(join(dir, 'renders'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { action: 'render', rpp_path: '/p/mix.rpp', render_path: '/p/mix.wav' };
const problemsOf = (input: unknown): string => {
  try {
    parseCommandFile(input, 'cmd.json');
  } catch (e) {
    expect(e).toBeInstanceOf(CommandError);
    return (e as Error).message;
  }
  throw new Error('expected a CommandError');
};

describe('REAPER command', () => {
  it('round-trips through JSON and the wire schema unchanged, with the version and request id stamped', () => {
    const file = parseCommandFile({
      ...base, timeout: 12.5,
      track_calibration: [{ track_index: 0, volume: 0.5, pan: -1, sends: [{ dest_track_index: 3, level: 0.25 }] }],
      expected_fx: [{ track_index: 2, fx_index: 1, name: 'VST: ReaEQ (Cockos)' }],
    }, 'cmd.json');
    const wire = toWireCommand(file, 'req-1');
    expect(reaperCommandSchema.parse(JSON.parse(JSON.stringify(wire)))).toEqual(wire);
    expect(wire).toMatchObject({ version: 1, request_id: 'req-1', timeout: 12.5 });
  });

  it('fills the defaults: a 300 s timeout, no calibration, no expected FX, and a fresh request id each time', () => {
    const c = parseCommandFile({ action: 'verify_fx', rpp_path: '/p/a.rpp' }, 'cmd.json');
    expect(c).toMatchObject({ timeout: 300, track_calibration: [], expected_fx: [] });
    expect(toWireCommand(c).request_id).not.toBe(toWireCommand(c).request_id);
  });

  it('resolves relative paths against the command file\'s folder (REAPER\'s working folder is unknown)', () => {
    const c = parseCommandFile({ ...base, rpp_path: 'mix.rpp', render_path: '../out/mix.wav' }, '/home/me/jobs/cmd.json');
    expect(c.rpp_path).toBe('/home/me/jobs/mix.rpp');
    expect(c.render_path).toBe('/home/me/out/mix.wav');
  });

  it.each([
    ['an unknown action', { ...base, action: 'mix' }, /^cmd\.json: action: got "mix", (Invalid option: )?expected one of "calibrate"\|"verify_fx"\|"render"$/],
    ['a negative timeout', { ...base, timeout: -1 }, /^cmd\.json: timeout: got -1, expected a value > 0$/],
    ['a volume of the wrong type', { ...base, track_calibration: [{ track_index: 0, volume: 'loud' }] }, /^cmd\.json: track_calibration\[0\]\.volume: got "loud", expected number/],
    ['a fractional track index', { ...base, expected_fx: [{ track_index: 1.5, fx_index: 0, name: 'x' }] }, /^cmd\.json: expected_fx\[0\]\.track_index: got 1\.5/],
    ['a pan beyond ±1', { ...base, track_calibration: [{ track_index: 0, pan: 2 }] }, /^cmd\.json: track_calibration\[0\]\.pan: got 2, expected a value ≤ 1$/],
    ['a render without render_path', { action: 'render', rpp_path: '/p/a.rpp' }, /^cmd\.json: render_path: got nothing, expected a path/],
    ['a misspelt key', { ...base, expectedFx: [] }, /^cmd\.json: \(root\): unknown key "expectedFx"$/],
    ['another protocol version', { ...base, version: 2 }, /^cmd\.json: version: got 2, expected 1$/],
    ['a request id of its own', { ...base, request_id: 'mine' }, /unknown key "request_id"/],
  ])('refuses %s with one line naming the file and the field', (_what, input, message) => {
    const text = problemsOf(input);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('refuses a file that cannot be read or is not JSON, naming it', () => {
    writeFileSync(join(dir, 'broken.json'), '{"action": "render",');
    expect(() => readCommandFile(join(dir, 'broken.json'))).toThrow(new RegExp(`^${join(dir, 'broken.json')}: is not valid JSON`));
    expect(() => readCommandFile(join(dir, 'absent.json'))).toThrow(/absent\.json: cannot be read \(ENOENT\)/);
  });

  it('checks on disk that rpp_path is a file and the render folder exists', () => {
    const ok = parseCommandFile({ ...base, rpp_path: 'mix.rpp', render_path: 'renders/mix.wav' }, join(dir, 'cmd.json'));
    expect(() => checkCommandPaths(ok, 'cmd.json')).not.toThrow();
    const missing = parseCommandFile({ ...base, rpp_path: 'gone.rpp', render_path: 'nowhere/mix.wav' }, join(dir, 'cmd.json'));
    expect(() => checkCommandPaths(missing, 'cmd.json')).toThrow(
      `cmd.json: rpp_path: ${join(dir, 'gone.rpp')} cannot be used (ENOENT); render_path: the folder of ${join(dir, 'nowhere/mix.wav')} cannot be used (ENOENT)`,
    );
    const folder = parseCommandFile({ ...base, rpp_path: 'renders' }, join(dir, 'cmd.json'));
    expect(() => checkCommandPaths(folder, 'cmd.json')).toThrow(/rpp_path: .*renders is a folder, not a project file/);
  });
});
