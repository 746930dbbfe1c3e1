import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HapticConfig } from '../../src/haptic/hapticConfig.ts';
import type { AudioRig } from '../../src/host/audioRig.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { ANALYSIS_STEPS, analyzeScenario } from './analyzeScenario.ts';
import { analyzeScenarioChunked } from './analyzeScenarioChunked.ts';
import { memoryCapture } from './captureSource.ts';
import { calibrate } from './calibrate.ts';
import { runScenario } from './runScenario.ts';
import { SCENARIOS_DIR } from './runHil.ts';

const FS = 48000;
const P = 128;
const ALL = Array.from({ length: 32 }, (_, k) => k);
const sweep = () => loadScenario(join(SCENARIOS_DIR, 'sweep-32.json'));

/**
 * The calibration of a clean 128-sample loop, made once for the three tests that analyse against it
 * (0.6–1.1 s of CPU each time; calibrate() reads its rig and nothing else, and the tests only read its paths).
 */
let clean128: ReturnType<typeof calibrate> | undefined;
const cleanCalibration = () => (clean128 ??= calibrate(new VirtualRig({ latencySamples: 128 }), ALL));

/**
 * The analysis steps a test reads the figures of (analyzeScenario's `steps`; each step reads only what earlier ones
 * left): the tests that judge one figure of a 32-channel run leave out the steps that measure what they never read
 * — the latency of every onset on 32 paths and the dropout detector on 32 paths were most of this file's CPU time.
 */
const stepsNamed = (...names: string[]) => ANALYSIS_STEPS.filter((s) => names.includes(s.name));
/** The steal-policy expectation needs the render (and its gates); no other step's figures. */
const EXPECTATIONS_ONLY = stepsNamed('render', 'expectations');
/** The dropouts and their attribution need the content step (a path with a silent render is not examined), and the expectations. */
const DROPOUTS_AND_EXPECTATIONS = stepsNamed('render', 'content', 'dropouts', 'expectations');
/** The onset latencies and their budget. */
const LATENCY_ONLY = stepsNamed('render', 'latency');

/** A rig that declares `declaredMap` while its loop is really wired as its own options say. */
function declaring(rig: VirtualRig, declaredMap: number[]): AudioRig {
  const r = Object.create(rig) as AudioRig & { channelMap: number[] };
  Object.defineProperty(r, 'channelMap', { value: declaredMap });
  return r;
}

describe('the HIL measurement, proven on the virtual rig', () => {
  it('recovers a known fractional loop latency within 0.1 sample on every channel, with noise', async () => {
    const rig = new VirtualRig({ latencySamples: ALL.map((k) => 100.37 + k * 0.5), noiseFloorDbfs: -80 });

    const cal = await calibrate(rig, ALL);

    for (const c of cal.channels) {
      expect(c.status).toBe('ok');
      expect(Math.abs(c.deviceRoundTripSamples! - (100.37 + c.outputIndex * 0.5))).toBeLessThan(0.1);
      expect(c.harnessBufferSamples).toBe(P);
    }
  });

  it('reports a swapped pair as miswired and an inverted channel as inverted', async () => {
    const wired = ALL.map((k) => (k === 3 ? 4 : k === 4 ? 3 : k));
    const rig = declaring(new VirtualRig({ channelMap: wired, invertedOutputs: [9] }), ALL);

    const cal = await calibrate(rig, ALL);

    const status = (k: number) => cal.channels.find((c) => c.outputIndex === k)!;
    expect(status(3)).toMatchObject({ status: 'miswired', detail: 'input 4 hears output 5, not output 4' });
    expect(status(4)).toMatchObject({ status: 'miswired', detail: 'input 5 hears output 4, not output 5' });
    expect(status(9).status).toBe('inverted');
    expect(cal.channels.filter((c) => c.status === 'ok')).toHaveLength(29);
  });

  it('measures every onset at the latency the rig model predicts, and finds no dropout in a clean run at −3 dB with an inverted channel', async () => {
    const loopSamples = 96.25;
    const rig = new VirtualRig({ latencySamples: loopSamples, noiseFloorDbfs: -90, gainDb: -3, invertedOutputs: [9] });
    const cal = await calibrate(rig, ALL);

    const run = await runScenario(rig, sweep());
    const { result } = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames);

    // A live sender's event at frame t waits for the next period, then one period of buffering, then
    // the output half of the device loop: latency = (⌊t/P⌋ + 1)·P − t + P + L/2.
    const onsets = run.sent.filter((s) => s.planned.noteOn);
    expect(result.latency.onsetCount).toBe(onsets.length * 32);
    const expectedMs = onsets.map((s) => ((Math.floor(s.planned.atFrame / P) + 1) * P - s.planned.atFrame + P + loopSamples / 2) * 1000 / FS);
    for (const t of result.timeline.filter((e) => e.type === 'noteOn')) {
      expect(Math.abs(t.latencyMs! - expectedMs[onsets.findIndex((s) => s.planned.index === t.index)])).toBeLessThan(0.1 * 1000 / FS);
    }
    expect(result.dropouts).toEqual([]);
    expect(result.content.worstResidualDb!).toBeLessThan(-60);
  });

  it('sees the steal policy in the capture: a rig that stole the quietest note fails an "oldest" storm', async () => {
    const rig = new VirtualRig({ latencySamples: 128 });
    const cal = await cleanCalibration();
    const storm = loadScenario(join(SCENARIOS_DIR, 'pool-storm.json'));
    const pools = (storm.scenario.engine as { pools: { stealPolicy: string } }).pools;
    pools.stealPolicy = 'quietest'; // the device under test steals the quietest …

    const run = await runScenario(rig, storm);
    const config = run.config as HapticConfig;
    run.config = { ...config, pools: { ...config.pools, stealPolicy: 'oldest' } }; // … while claiming 'oldest'
    const { result } = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames, undefined, EXPECTATIONS_ONLY);

    const check = result.expectations.find((e) => e.name === 'steal policy "oldest"')!;
    expect(check.passed, check.detail).toBe(false);
  });

  /**
   * Periods the machine lost during the storm (every channel zeroed for 256 frames three times, where the
   * audio server's record has driver xruns) are the environment's: the steal policy is judged outside it, as the content
   * residual is — in the whole analysis and in the chunked one. On jack-native three such dropouts held
   * "oldest" at −18.5 dB, 19.5 dB better than the next policy against the limit 20.
   */
  it('judges the steal policy outside the environment\'s moments, whole and in chunks', async () => {
    const lost = [0.15, 0.3, 0.5].map((s) => Math.round(s * FS)); // while the storm's notes sound (50–800 ms)
    const rig = new VirtualRig({ latencySamples: 128, faults: lost.map((atFrame) => ({ kind: 'zero' as const, atFrame, lengthFrames: 256 })) });
    const cal = await cleanCalibration();
    const run = await runScenario(rig, loadScenario(join(SCENARIOS_DIR, 'pool-storm.json')));
    const policy = (r: ReturnType<typeof analyzeScenario>['result']) => r.expectations.find((e) => e.name === 'steal policy "oldest"')!;

    // No xrun record: the dropout is the server's, and it spoils the capture against every policy's render.
    const unexplained = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames, undefined, DROPOUTS_AND_EXPECTATIONS).result;
    expect(unexplained.dropoutAttribution?.serverEventCount ?? unexplained.dropouts.length).toBeGreaterThan(0);
    expect(policy(unexplained).passed, policy(unexplained).detail).toBe(false);

    // A driver xrun there: the environment's, left out of the policy's residuals too.
    run.serverXrunEvents = { placedBy: 'callback', xruns: lost.map((f) => ({ kind: 'driver' as const, frame: f - rig.streamBufferingFrames, placedBy: 'callback' as const })) };
    const whole = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames, undefined, DROPOUTS_AND_EXPECTATIONS).result;
    expect(whole.dropoutAttribution).toMatchObject({ serverEventCount: 0 });
    expect(whole.dropoutAttribution!.environmentEventCount).toBeGreaterThan(0);
    expect(policy(whole).passed, policy(whole).detail).toBe(true);
    const chunked = analyzeScenarioChunked(run, memoryCapture(run.capture), cal.paths, P, rig.streamBufferingFrames).result;
    expect(policy(chunked).passed, policy(chunked).detail).toBe(true);
    expect(policy(chunked).detail).toBe(policy(whole).detail);
  });

  it('leaves the onsets whose capture search holds an environment event out of the latency figures, counted, whole and in chunks', async () => {
    // The latency probe's bursts on every transducer; a period lost 3 ms after two of them (notes at 100 + k·81.65 ms).
    const lost = [0.1 + 0.003, 0.1 + 2 * 0.08165 + 0.003].map((s) => Math.round(s * FS) + 2 * P);
    const rig = new VirtualRig({ latencySamples: 128, faults: lost.map((atFrame) => ({ kind: 'zero' as const, atFrame, lengthFrames: P })) });
    const cal = await cleanCalibration();
    const run = await runScenario(rig, loadScenario(join(SCENARIOS_DIR, 'latency-probe.json')));
    const unexplained = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames, undefined, LATENCY_ONLY).result;
    expect(unexplained.latency.atEnvironmentOnsetCount).toBeUndefined();

    run.serverXrunEvents = { placedBy: 'callback', xruns: lost.map((f) => ({ kind: 'driver' as const, frame: f - rig.streamBufferingFrames, placedBy: 'callback' as const })) };
    const whole = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames, undefined, LATENCY_ONLY).result;
    const chunked = analyzeScenarioChunked(run, memoryCapture(run.capture), cal.paths, P, rig.streamBufferingFrames).result;
    // Three notes × 32 transducers left out — the two hit, and the one before the second, whose search runs to
    // the second's start, within the xrun's matching window (8 periods + 2 ms, ±23 ms here); every other
    // onset measured as before.
    expect(whole.latency.atEnvironmentOnsetCount).toBe(96);
    expect(whole.latency.onsetCount + 96).toBe(unexplained.latency.onsetCount);
    expect(chunked.latency.atEnvironmentOnsetCount).toBe(96);
    expect(chunked.latency.p99Ms).toBe(whole.latency.p99Ms);
    expect(whole.budgets.find((b) => b.key === 'p99Ms')!.detail).toMatch(/; 96 onset\(s\) left out: an environment event/);
  });
});
