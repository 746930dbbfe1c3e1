import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../report/runReport.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { calibrate } from './calibrate.ts';
import { runScenario } from './runScenario.ts';
import { SCENARIOS_DIR } from './runHil.ts';

const FS = 48000;
const P = 128;
const ALL = Array.from({ length: 32 }, (_, k) => k);
const sweep = () => loadScenario(join(SCENARIOS_DIR, 'sweep-32.json'));
/** 34 channels: the 32 transducers and a spare pair (index 33) that carries the pilot. */
const OPTIONS = { latencySamples: 128, inputChannels: 34, outputChannels: 34 };
const PILOT = { output: 33, input: 33 };
const withPilot = (rig: VirtualRig) => Object.create(rig, { pilot: { value: PILOT } }) as VirtualRig;

/**
 * One run with injected faults and one clean run of the sweep, each analysed once — the faulty one with
 * both detectors (the prediction residual on the 32 transducers and the pilot tone on the spare pair), the
 * clean one for the pilot's verdict — and every test reads its detector's findings from them.
 */
describe('the HIL dropout measurement, proven by injection on the virtual rig', () => {
  // Inside bursts of the sweep (burst k sounds from 50 + 61.7·k ms for 35 ms); input frames count from
  // the stream's start, and the scenario starts one period in.
  const inBurst = (k: number) => P + Math.round((50 + 61.7 * k + 12) * FS / 1000) + 128 + P;
  const faults = [
    { kind: 'zero' as const, atFrame: inBurst(4), lengthFrames: 64 },
    { kind: 'repeat' as const, atFrame: inBurst(12), lengthFrames: 128 },
    { kind: 'drop' as const, atFrame: inBurst(21), lengthFrames: 1 },
    { kind: 'repeat' as const, atFrame: inBurst(30), lengthFrames: 1 },
    { kind: 'zero' as const, atFrame: inBurst(40), lengthFrames: 1 },
  ];
  /** The loop played 256 frames of silence and went on where it was (an output that underran and played on late). */
  const stall = { kind: 'stall' as const, atFrame: inBurst(46), lengthFrames: 256 };
  /** Where a report of the stall may lie: from its start to one stall length after its end (see the test). */
  const inStall = (frame: number) => frame >= stall.atFrame - P - FS / 1000 && frame <= stall.atFrame - P + 2 * stall.lengthFrames + FS / 1000;
  let faulty: ScenarioResult;
  let clean: ScenarioResult;

  beforeAll(async () => {
    const cal = await calibrate(new VirtualRig(OPTIONS), ALL);
    const faultyRig = withPilot(new VirtualRig({ ...OPTIONS, faults: [...faults, stall] }));
    const cleanRig = withPilot(new VirtualRig(OPTIONS));
    faulty = analyzeScenario(await runScenario(faultyRig, sweep()), cal.paths, P, faultyRig.streamBufferingFrames, PILOT).result;
    // Only the pilot's verdict is read from the clean run, and the pilot detector does not depend on the
    // transducer paths: one path is analysed, not 32 (the residual on 32 clean channels: hilMeasurement).
    clean = analyzeScenario(await runScenario(cleanRig, sweep()), cal.paths.slice(0, 1), P, cleanRig.streamBufferingFrames, PILOT).result;
  }, 120_000);

  it('finds every injected zeroed block, repeated block, dropped and inserted sample within 1 ms, and flags the content', () => {
    const found = faulty.dropouts.filter((d) => d.detector === 'residual');
    const kindOf = { zero: 'zeroed', repeat: 'inserted', drop: 'dropped' } as const;
    for (const f of faults) {
      const scenarioFrame = f.atFrame - P;
      const near = found.filter((d) => Math.abs(d.startFrame - scenarioFrame) <= FS / 1000);
      // Once on each of the 32 channels, as what it was (a zeroed block never reads as a shift).
      expect(near.length, `${f.kind} at ${scenarioFrame}`).toBe(ALL.length);
      expect(new Set(near.map((d) => d.channelIndex)).size).toBe(ALL.length);
      expect(near.filter((d) => d.kind !== kindOf[f.kind]), `${f.kind} at ${scenarioFrame}`).toEqual([]);
    }
    // Every report is near an injected fault (no false positive), on any channel.
    for (const d of found) expect(faults.some((f) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000) || inStall(d.startFrame)).toBe(true);
    expect(faulty.status).toBe('failed');
  });

  it('finds the stall on every channel as a shift of its length within it, the silence around the split as zeroed runs', () => {
    // The split between the two alignments lies somewhere in the silence (it fits either), so the shift's report
    // starts within the stall and the silence on either side of it reads as zeroed.
    const near = faulty.dropouts.filter((d) => d.detector === 'residual' && inStall(d.startFrame));
    const shifts = near.filter((d) => d.kind === 'inserted');
    expect(shifts.map((d) => d.channelIndex).sort((a, b) => a - b)).toEqual(ALL);
    for (const d of shifts) {
      expect(d.lengthFrames).toBe(stall.lengthFrames);
      expect(d.startFrame).toBeLessThanOrEqual(stall.atFrame - P + stall.lengthFrames + FS / 1000);
    }
    expect(near.filter((d) => d.kind !== 'inserted' && d.kind !== 'zeroed')).toEqual([]);
  });

  it('finds the same faults with the pilot tone on a spare pair, and nothing on a clean run', () => {
    const pilotFindings = (r: ScenarioResult) => r.dropouts.filter((d) => d.detector === 'pilot');
    const found = pilotFindings(faulty);
    for (const f of [...faults, stall]) {
      expect(found.some((d) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000), `${f.kind} at ${f.atFrame - P}`).toBe(true);
    }
    for (const d of found) expect(faults.some((f) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000) || inStall(d.startFrame)).toBe(true);
    expect(pilotFindings(clean)).toEqual([]);
  });
});
