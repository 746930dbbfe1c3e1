import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('the HIL dropout measurement, proven by injection on the virtual rig', () => {
  it('finds every injected zeroed block, repeated block, dropped and inserted sample within 1 ms, and flags the content', async () => {
    const clean = new VirtualRig({ latencySamples: 128 });
    const cal = await calibrate(clean, ALL);
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
    const rig = new VirtualRig({ latencySamples: 128, faults });

    const run = await runScenario(rig, sweep());
    const { result } = analyzeScenario(run, cal.paths, P, rig.streamBufferingFrames);

    const found = result.dropouts.filter((d) => d.detector === 'residual');
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
    for (const d of found) expect(faults.some((f) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000)).toBe(true);
    expect(result.status).toBe('failed');
  });

  it('finds the same faults with the pilot tone on a spare pair, and nothing on a clean run', async () => {
    // 34 channels: the 32 transducers and a spare pair (33) that carries the pilot.
    const options = { latencySamples: 128, inputChannels: 34, outputChannels: 34 };
    const withPilot = (rig: VirtualRig) => Object.create(rig, { pilot: { value: { output: 33, input: 33 } } }) as VirtualRig;
    const cal = await calibrate(new VirtualRig(options), ALL);
    const inBurst = (k: number) => P + Math.round((50 + 61.7 * k + 12) * FS / 1000) + 128 + P;
    const faults = [
      { kind: 'zero' as const, atFrame: inBurst(4), lengthFrames: 64 },
      { kind: 'repeat' as const, atFrame: inBurst(12), lengthFrames: 128 },
      { kind: 'drop' as const, atFrame: inBurst(21), lengthFrames: 1 },
      { kind: 'repeat' as const, atFrame: inBurst(30), lengthFrames: 1 },
    ];
    const faulty = withPilot(new VirtualRig({ ...options, faults }));
    const clean = withPilot(new VirtualRig(options));

    const faultyRun = await runScenario(faulty, sweep());
    const cleanRun = await runScenario(clean, sweep());
    const pilotFindings = (run: typeof faultyRun) => analyzeScenario(run, cal.paths, P, P, { output: 33, input: 33 }).result.dropouts.filter((d) => d.detector === 'pilot');

    const found = pilotFindings(faultyRun);
    for (const f of faults) {
      expect(found.some((d) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000), `${f.kind} at ${f.atFrame - P}`).toBe(true);
    }
    for (const d of found) expect(faults.some((f) => Math.abs(d.startFrame - (f.atFrame - P)) <= FS / 1000)).toBe(true);
    expect(pilotFindings(cleanRun)).toEqual([]);
  });
});
