import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerStatus, zeroCounts } from '../../src/host/serverStatus.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { planEffectCommands } from './effectCommands.ts';
import { renderEffectApplied } from './effectAnalysis.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { programmeSource } from './programmeInput.ts';
import { type ScenarioRun, type SentCommand, scenarioEngine } from './runScenario.ts';

const FS = 48000;
const P = 128;
/** The rig modelled: one period of buffering and a 128-frame device loop, unity gain, stereo. */
const PATH_FRAMES = 256;
const PATHS: ChannelPath[] = [0, 1].map((k) => ({ output: k, input: k, totalDelayFrames: PATH_FRAMES, deviceDelayFrames: 128, inverted: false, gain: 1 }));
/** The programme began a period before the scenario's frame 0 (as on the simulated virtual rig). */
const SOURCE_START = -P;

/**
 * Each effect measurement against the fault it must catch: the budget (or expectation) that fails, and
 * the ones that must still pass — so a fault is blamed on the right measurement.
 */
const FAULTS: Array<{ fault: string; fails: string; passes: string[] }> = [
  { fault: 'a parameter applied a period later than the server logged', fails: 'content residual', passes: ['effect latency', 'every automation event applied'] },
  { fault: 'a period dropped (zeroed) on the way to the capture', fails: 'dropouts', passes: ['effect latency'] },
  { fault: 'a click right after a wet/dry change', fails: 'click-free parameter changes', passes: ['effect latency'] },
  { fault: '10 ms more latency than the calibrated path', fails: 'effect latency', passes: ['every automation event applied'] },
  { fault: 'a logged event that never took effect', fails: 'every automation event applied', passes: ['effect latency'] },
];

const dir = mkdtempSync(join(tmpdir(), 'rig-fx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'reverb-fx.json');
writeFileSync(file, JSON.stringify({
  formatVersion: 1, kind: 'effect', engineName: 'reverb',
  engine: { lines: 8, delayMinMs: 11, delayMaxMs: 37, rt60Seconds: 0.9, rt60HighSeconds: 0.5, preDelayMs: 5, wetDry: 0.3 },
  programme: { kind: 'noise', seed: 7, amplitude: 0.25 }, durationMs: 800,
  timeline: [
    { atMs: 150, type: 'param', name: 'wetDry', value: 0.8 },
    { atMs: 350, type: 'param', name: 'rt60Seconds', value: 2 },
    { atMs: 550, type: 'param', name: 'wetDry', value: 0.2 },
  ],
  budgets: { contentResidualDb: -60, dropouts: 0, effectLatencyMs: 10, clickStepDb: 1 },
}));

/** A run as the server would have played it: each event at the first frame of the period after its time. */
function cleanRun(): ScenarioRun {
  const loaded = loadScenario(file);
  const { entry, config } = scenarioEngine(loaded);
  const engine = entry.create(config);
  const frames = loaded.durationFrames + FS / 2;
  const sent: SentCommand[] = planEffectCommands(loaded, entry, engine.paramNames, config, undefined).map((planned) => {
    const applied = (Math.floor(planned.atFrame / P) + 1) * P;
    return { planned, sendFrame: planned.atFrame, sendEpochMs: 0, entry: null, arrivalFrame: planned.atFrame, appliedFrame: applied, clockStallMs: 0, rowFrames: planned.rows.map(() => applied) };
  });
  return {
    loaded, entry, config, sent, capture: [], captureFile: null, frames, recordedFrames: frames,
    periodFlags: new Int32Array(Math.ceil(frames / P) + 1), status: { counts: zeroCounts() } as ServerStatus, engineStats: null,
    serverLog: [], wallSeconds: 0, captureCopyMs: 0, interrupted: false, serverXruns: { client: null, driver: null },
    effect: { source: programmeSource(loaded, loaded.scenario.programme!), sourceStartFrame: SOURCE_START, errorReplies: [] },
  };
}

/** The capture of a render through the modelled path (`extra` frames more delay). */
function capture(render: readonly Float32Array[], frames: number, extra = 0): Float32Array[] {
  return render.map((r) => {
    const c = new Float32Array(frames);
    c.set(r.subarray(0, frames - PATH_FRAMES - extra), PATH_FRAMES + extra);
    return c;
  });
}

/** The run with its capture, `fault` injected (into what the rig played, or into what the server logged). */
function faultyRun(fault: string | null): ScenarioRun {
  const run = cleanRun();
  const wet = run.sent[0];
  const at = wet.rowFrames![0]!;
  if (fault === FAULTS[0].fault) {
    // The rig played the change a period late; the log says it was on time.
    const played = cleanRun();
    played.sent[1].rowFrames = [played.sent[1].rowFrames![0]! + P];
    run.capture = capture(renderEffectApplied(played, P).render, run.frames);
    return run;
  }
  run.capture = capture(renderEffectApplied(run, P).render, run.frames, fault === FAULTS[3].fault ? Math.round(0.01 * FS) : 0);
  if (fault === FAULTS[1].fault) for (const c of run.capture) c.fill(0, PATH_FRAMES + 20 * P, PATH_FRAMES + 21 * P);
  if (fault === FAULTS[2].fault) run.capture[0][at + PATH_FRAMES + 100] += 0.6;
  if (fault === FAULTS[4].fault) {
    run.sent[2].rowFrames = [null];
    run.sent[2].logProblem = `${run.sent[2].planned.origin}: 1 of its events never took effect (not applied)`;
  }
  return run;
}

const verdicts = (run: ScenarioRun) => {
  const { result } = analyzeScenario(run, PATHS, P, P);
  const all = [...result.budgets.map((b) => ({ name: b.name, passed: b.passed })), ...result.expectations.map((e) => ({ name: e.name, passed: e.passed }))];
  return { result, passed: (name: string) => all.find((v) => v.name === name)?.passed };
};

describe('the effect measurements, each shown failing on its fault', () => {
  it('passes a clean run: the capture is the render, the latency the path, every change 0 dB', () => {
    const { result } = verdicts(faultyRun(null));

    expect(result.status, JSON.stringify(result.budgets)).toBe('passed');
    expect(result.content.worstResidualDb!).toBeLessThan(-100);
    expect(result.dropouts).toEqual([]);
    expect(result.effect!.changes).toHaveLength(3);
    for (const c of result.effect!.changes) expect(Math.abs(c.stepDb!)).toBeLessThan(0.01);
    // The reverb's dry path has no latency of its own: input → output is the path, to the sample.
    expect(Math.abs(result.effect!.worstLatencyMs! - (PATH_FRAMES * 1000) / FS)).toBeLessThan(1000 / FS);
    expect(result.budgets.map((b) => b.name)).toEqual(['dropouts', 'clipped samples', 'content residual', 'effect latency', 'click-free parameter changes']);
  });

  for (const f of FAULTS) {
    it(`fails "${f.fails}" on ${f.fault}`, () => {
      const { result, passed } = verdicts(faultyRun(f.fault));

      expect(passed(f.fails), f.fails).toBe(false);
      for (const name of f.passes) expect(passed(name), name).toBe(true);
      expect(result.status).toBe('failed');
    });
  }

  it('blames the click on the change it follows, and no other', () => {
    const { result } = verdicts(faultyRun(FAULTS[2].fault));

    const loud = result.effect!.changes.filter((c) => c.stepDb! > 1);
    expect(loud.map((c) => c.index)).toEqual([0]);
  });

  it('leaves a change out of the click bound when an environment event lies in its window, and says so', () => {
    // A click right after the first wet/dry change (as a late cycle of the audio server leaves one): the
    // server's when nothing explains it …
    const run = faultyRun(FAULTS[2].fault);
    const at = run.sent[0].rowFrames![0]! + PATH_FRAMES + 100;
    expect(verdicts(run).passed('click-free parameter changes')).toBe(false);
    // … the environment's at a driver xrun of the audio server there: left out, counted, the other changes judged.
    run.serverXrunEvents = { placedBy: 'callback', xruns: [{ kind: 'driver', frame: at, placedBy: 'callback' }] };
    const { result, passed } = verdicts(run);
    expect(passed('click-free parameter changes')).toBe(true);
    expect(result.effect!.changes.map((c) => c.atEnvironment ?? false)).toEqual([true, false, false]);
    expect(result.effect!.changes[0].stepDb).toBeNull();
    expect(result.budgets.find((b) => b.name === 'click-free parameter changes')!.detail).toMatch(/; 1 left out \(an environment event in its window/);
  });

  it('does not read a latency from a tone, whose delay is ambiguous by whole periods, and says so', () => {
    const run = faultyRun(null);
    run.effect = { ...run.effect!, source: { kind: 'tone', frequencyHz: 220, amplitude: 0.25 } };
    run.capture = capture(renderEffectApplied(run, P).render, run.frames);

    const { result, passed } = verdicts(run);

    expect(result.effect!.worstLatencyMs).toBeNull();
    expect(result.effect!.latencyDetail).toMatch(/a tone is periodic/);
    expect(passed('effect latency')).toBe(false);
  });
});
