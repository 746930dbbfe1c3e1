import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWhenCommandAppears, runStandIn, type StandInRun, type StandInSpec, standInWorkspace } from './fixtures/standIn.ts';
import { RESULT_FILE } from './protocolFiles.ts';
import { ProtocolVersionError } from './protocolVersionError.ts';
import { generateReaScript } from './reaScript.ts';
import { parseCommandFile } from './reaperCommand.ts';
import { compareRenderLoudness } from './renderLoudness.ts';
import { type RunOutcome, runReaperCommand } from './runReaperCommand.ts';

/** Limits: the two loudness witnesses agree within this (the bound). */
const LOUDNESS_AGREEMENT_LU = 0.1;
const TARGET_LUFS = -23;
const TIMEOUT_SECONDS = 0.3;

const track = (n: number): string => `(MediaTrack*)0x${n.toString(16).padStart(16, '0')}`;

let dir: string;
let script: string;
let rpp: string;
const spec = (extra: Partial<StandInSpec> = {}): StandInSpec => ({
  projects: {
    [rpp]: {
      tracks: [
        { name: 'Vox', fx: ['VST: ReaEQ (Cockos)', 'VST: ReaComp (Cockos)'] },
        { name: 'Bass', fx: ['JS: Saturation'] },
        { name: 'Bus', fx: [] },
      ],
    },
  },
  render: { lufs: TARGET_LUFS, seconds: 4 },
  ...extra,
});

interface Case extends RunOutcome {
  standIn: StandInRun;
  resourceDir: string;
}
const cases: Record<string, Case> = {};

/** One round trip: the harness writes and polls while the stand-in REAPER runs the script once the command appears. */
async function roundTrip(name: string, command: Record<string, unknown>, standInSpec: StandInSpec): Promise<Case> {
  const resourceDir = join(dir, name);
  mkdirSync(resourceDir);
  const [outcome, standIn] = await Promise.all([
    runReaperCommand(parseCommandFile(command, join(dir, `${name}.json`)), { resourceDir, timeoutSeconds: 20, pollIntervalMs: 10 }),
    answerWhenCommandAppears(script, standInSpec, resourceDir, dir),
  ]);
  return { ...outcome, standIn, resourceDir };
}

beforeAll(async () => {
  ({ dir, script, rpp } = standInWorkspace('rig-reaper-e2e-'));
  writeFileSync(join(dir, 'not-a-project.rpp'), 'garbage');
  const calibration = [
    { track_index: 0, volume: 0.5, pan: -0.25, sends: [{ dest_track_index: 2, level: 0.7 }] },
    { track_index: 1, volume: 1.25 },
  ];
  const list = await Promise.all([
    roundTrip('render', {
      action: 'render', rpp_path: rpp, render_path: join(dir, 'mix.wav'),
      expected_fx: [{ track_index: 0, fx_index: 0, name: 'VST: ReaEQ (Cockos)' }, { track_index: 1, fx_index: 0, name: 'Saturation' }],
    }, spec()),
    roundTrip('fxMismatch', {
      action: 'render', rpp_path: rpp, render_path: join(dir, 'never.wav'), track_calibration: calibration,
      expected_fx: [
        { track_index: 0, fx_index: 0, name: 'ReaEQ (Cockos)' },
        { track_index: 0, fx_index: 1, name: 'ReaXcomp (Cockos)' },
        { track_index: 1, fx_index: 3, name: 'JS: Saturation' },
        { track_index: 7, fx_index: 0, name: 'ReaVerb' },
      ],
    }, spec()),
    roundTrip('missingProject', { action: 'verify_fx', rpp_path: join(dir, 'gone.rpp') }, spec()),
    roundTrip('unopenedProject', { action: 'verify_fx', rpp_path: join(dir, 'not-a-project.rpp') }, spec()),
    roundTrip('calibrate', { action: 'calibrate', rpp_path: rpp, track_calibration: calibration }, spec()),
    roundTrip('missingApi', { action: 'calibrate', rpp_path: rpp, track_calibration: calibration }, spec({ missing: ['CreateTrackSend'] })),
    roundTrip('failingCall', { action: 'calibrate', rpp_path: rpp, track_calibration: calibration }, spec({ failing: ['SetMediaTrackInfo_Value'] })),
    roundTrip('raisingCall', { action: 'render', rpp_path: rpp, render_path: join(dir, 'raise.wav') }, spec({ raising: ['Main_OnCommand'] })),
  ]);
  for (const [i, name] of ['render', 'fxMismatch', 'missingProject', 'unopenedProject', 'calibrate', 'missingApi', 'failingCall', 'raisingCall'].entries()) cases[name] = list[i];
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const callsNamed = (c: Case, name: string) => c.standIn.calls.filter((call) => call[0] === name);

describe('REAPER round trip against the stand-in', () => {
  it('never lets an exception escape the script, and leaves only the result in the resource folder', () => {
    for (const [name, c] of Object.entries(cases)) {
      expect(c.standIn.code, `${name}: ${c.standIn.stderr}`).toBe(0);
      expect(c.standIn.stderr, name).not.toMatch(/Traceback/);
      expect(readdirSync(c.resourceDir), name).toEqual([RESULT_FILE]);
      expect(c.result.request_id, name).toBe(c.command.request_id);
    }
  });

  it('renders: REAPER\'s integrated loudness and our meter\'s agree within 0.1 LU', () => {
    const { result, command } = cases.render;
    expect(result.status, result.message).toBe('ok');
    expect(result.tracks_verified).toBe(3);
    expect(result.fx_errors).toEqual([]);
    expect(result.integrated_lufs).toBeCloseTo(TARGET_LUFS, 6);
    expect(result.lufs).toBe(result.integrated_lufs);
    const loudness = compareRenderLoudness(command.render_path!, result);
    expect(loudness.rigProblem).toBeNull();
    expect(Math.abs(loudness.integrated.differenceLu!)).toBeLessThan(LOUDNESS_AGREEMENT_LU);
    expect(Math.abs(loudness.shortTermMax.differenceLu!)).toBeLessThan(LOUDNESS_AGREEMENT_LU);
    const info = cases.render.standIn.state.info;
    expect(info.RENDER_FILE).toBe(dir);
    expect(info.RENDER_PATTERN).toBe('mix');
    expect(callsNamed(cases.render, 'Main_OnCommand')).toEqual([['Main_OnCommand', 42230, 0]]);
  });

  it('lists every FX that differs with what was expected and what was found, and renders nothing', () => {
    const { result } = cases.fxMismatch;
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/3 FX differ from expected_fx/);
    expect(result.fx_errors).toEqual([
      { track_index: 0, fx_index: 1, name: 'VST: ReaComp (Cockos)', expected: 'ReaXcomp (Cockos)' },
      { track_index: 1, fx_index: 3, name: null, expected: 'JS: Saturation' },
      { track_index: 7, fx_index: 0, name: null, expected: 'ReaVerb' },
    ]);
    expect(callsNamed(cases.fxMismatch, 'SetMediaTrackInfo_Value')).toEqual([]);
    expect(callsNamed(cases.fxMismatch, 'Main_OnCommand')).toEqual([]);
  });

  it('answers a missing project with an error naming rpp_path, before asking REAPER to open it', () => {
    expect(cases.missingProject.result.status).toBe('error');
    expect(cases.missingProject.result.message).toBe(`rpp_path ${join(dir, 'gone.rpp')} does not exist`);
    expect(callsNamed(cases.missingProject, 'Main_openProject')).toEqual([]);
  });

  it('answers a project REAPER did not open with an error, not with the FX of whatever project was open', () => {
    expect(cases.unopenedProject.result.status).toBe('error');
    expect(cases.unopenedProject.result.message).toMatch(/REAPER did not open rpp_path .*not-a-project\.rpp/);
    expect(callsNamed(cases.unopenedProject, 'CountTracks')).toEqual([]);
  });

  it('applies the calibration: volume, pan and a send at its level on the right tracks, and renders nothing', () => {
    const c = cases.calibrate;
    expect(c.result.status, c.result.message).toBe('ok');
    const writes = c.standIn.calls.filter((call) => ['SetMediaTrackInfo_Value', 'CreateTrackSend', 'SetTrackSendInfo_Value'].includes(call[0] as string));
    expect(writes).toEqual([
      ['SetMediaTrackInfo_Value', track(1), 'D_VOL', 0.5],
      ['SetMediaTrackInfo_Value', track(1), 'D_PAN', -0.25],
      ['CreateTrackSend', track(1), track(3)],
      ['SetTrackSendInfo_Value', track(1), 0, 0, 'D_VOL', 0.7],
      ['SetMediaTrackInfo_Value', track(2), 'D_VOL', 1.25],
    ]);
    expect(c.standIn.state.tracks.map((t) => [t.D_VOL, t.D_PAN])).toEqual([[0.5, -0.25], [1.25, 0], [1, 0]]);
    expect(callsNamed(c, 'Main_OnCommand')).toEqual([]);
  });

  it('refuses to start when REAPER lacks an API function, naming it', () => {
    expect(cases.missingApi.result.status).toBe('error');
    expect(cases.missingApi.result.message).toBe('this REAPER lacks API functions: CreateTrackSend');
    expect(callsNamed(cases.missingApi, 'Main_openProject')).toEqual([]);
  });

  it('turns a REAPER call that returns failure or raises into an error naming the call', () => {
    expect(cases.failingCall.result.status).toBe('error');
    expect(cases.failingCall.result.message).toMatch(/^SetMediaTrackInfo_Value\(.*'D_VOL', 0\.5\) returned false$/);
    expect(cases.raisingCall.result.status).toBe('error');
    expect(cases.raisingCall.result.message).toMatch(/^Main_OnCommand\(42230, 0\) failed: Main_OnCommand: stand-in failure$/);
  });

  it('times out when REAPER never answers: a result of status timeout naming the file, and the command withdrawn', async () => {
    const resourceDir = join(dir, 'silent');
    mkdirSync(resourceDir);
    const t0 = performance.now();
    const { result } = await runReaperCommand(parseCommandFile({ action: 'verify_fx', rpp_path: rpp }, 'silent.json'), { resourceDir, timeoutSeconds: TIMEOUT_SECONDS, pollIntervalMs: 20 });
    const elapsedSeconds = (performance.now() - t0) / 1000;
    expect(result.status).toBe('timeout');
    expect(result.message).toContain(join(resourceDir, RESULT_FILE));
    expect(elapsedSeconds).toBeGreaterThanOrEqual(TIMEOUT_SECONDS);
    expect(elapsedSeconds).toBeLessThan(TIMEOUT_SECONDS + 2);
    expect(readdirSync(resourceDir)).toEqual([]);
  });

  it('a watching script, started before any command, answers one command after another (REAPER owns the timing)', async () => {
    const resourceDir = join(dir, 'watching');
    mkdirSync(resourceDir);
    const watchScript = join(dir, 'studio_rig_reaper_watch.py');
    writeFileSync(watchScript, generateReaScript({ watch: true }));
    const stopFile = join(dir, 'stop-watching');
    const standIn = runStandIn(watchScript, spec({ watch_seconds: 20, watch_stop_file: stopFile }), resourceDir, dir);
    const run = (command: Record<string, unknown>) =>
      runReaperCommand(parseCommandFile(command, 'watch.json'), { resourceDir, timeoutSeconds: 15, pollIntervalMs: 10 });
    const first = await run({ action: 'verify_fx', rpp_path: rpp, expected_fx: [{ track_index: 1, fx_index: 0, name: 'Saturation' }] });
    const second = await run({ action: 'calibrate', rpp_path: rpp, track_calibration: [{ track_index: 2, pan: 0.5 }] });
    writeFileSync(stopFile, '');
    const watched = await standIn;
    expect(watched.code, watched.stderr).toBe(0);
    expect([first.result.status, second.result.status]).toEqual(['ok', 'ok']);
    expect(watched.calls.filter((c) => c[0] === 'Main_openProject')).toHaveLength(2);
    expect(watched.calls.filter((c) => c[0] === 'defer').length).toBeGreaterThan(2);
    expect(watched.state.tracks[2].D_PAN).toBe(0.5);
    expect(readdirSync(resourceDir)).toEqual([RESULT_FILE]);
  });

  it('a script of another protocol version refuses the command, and the harness raises ProtocolVersionError naming both', async () => {
    const resourceDir = join(dir, 'version');
    mkdirSync(resourceDir);
    const future = join(dir, 'future.py');
    writeFileSync(future, generateReaScript().replace(/^PROTOCOL_VERSION = 1$/m, 'PROTOCOL_VERSION = 2'));
    const [outcome, standIn] = await Promise.allSettled([
      runReaperCommand(parseCommandFile({ action: 'verify_fx', rpp_path: rpp }, 'v.json'), { resourceDir, timeoutSeconds: 15, pollIntervalMs: 10 }),
      answerWhenCommandAppears(future, spec(), resourceDir, dir),
    ]);
    expect(outcome.status).toBe('rejected');
    const error = (outcome as PromiseRejectedResult).reason as Error;
    expect(error).toBeInstanceOf(ProtocolVersionError);
    expect(error.message).toMatch(/fl_control_result\.json: protocol version 2, this harness speaks version 1/);
    expect(standIn.status === 'fulfilled' && standIn.value.calls.some((c) => c[0] === 'Main_openProject')).toBe(false);
  });
});
