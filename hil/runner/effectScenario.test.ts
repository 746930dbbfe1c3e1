import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { calibrate } from './calibrate.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import { runScenario } from './runScenario.ts';
import { SCENARIOS_DIR } from './runHil.ts';

const P = 64;
/** The shipped effect scenarios and what each must show on the default virtual rig (64 frames, a 64-frame loop). */
const SHIPPED = [
  { name: 'reverb-automation', changes: 10, engineLatencyMs: 0 },
  { name: 'preset-morph', changes: 15, engineLatencyMs: 0 },
  { name: 'reverb-structure', changes: 3, engineLatencyMs: 0 },
  { name: 'lossy-packet-loss', changes: 8, engineLatencyMs: null },
];

describe('the shipped effect scenarios, live on the virtual rig', () => {
  const rig = new VirtualRig({ periodFrames: P, latencySamples: P });
  let paths: ChannelPath[];
  beforeAll(async () => {
    paths = (await calibrate(rig, [0, 1])).paths;
  });

  for (const s of SHIPPED) {
    it(`${s.name}: the capture is the offline render of the programme with every change at its applied frame`, async () => {
      const run = await runScenario(rig, loadScenario(join(SCENARIOS_DIR, `${s.name}.json`)));
      const { result } = analyzeScenario(run, paths, P, rig.streamBufferingFrames);

      expect(result.status, JSON.stringify([result.budgets, result.expectations, result.error])).toBe('passed');
      expect(result.content.worstResidualDb!).toBeLessThan(-100);
      expect(result.effect!.changes).toHaveLength(s.changes);
      // Input → output: the engine's own latency plus the calibrated path, to the sample.
      const own = s.engineLatencyMs ?? result.effect!.engineLatencyMs!;
      expect(Math.abs(result.effect!.worstLatencyMs! - own - result.effect!.pathMs!)).toBeLessThan(1000 / 48000);
    });
  }
});
