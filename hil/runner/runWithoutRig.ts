import { parseHapticConfig } from '../../src/haptic/hapticConfig.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import { type ServerStatus, zeroCounts } from '../../src/host/serverStatus.ts';
import type { LoadedScenario } from '../scenario/loadScenario.ts';
import { planCommands } from './plannedCommands.ts';
import { type ScenarioRun, scenarioEngine } from './runScenario.ts';

/**
 * A haptic scenario's run as a perfect rig would have made it, for the analysis benchmarks: every command sent at its
 * planned frame and applied at the start of the next period, half a second past the scenario's end recorded, no
 * capture yet (the caller makes it: in `capture`, or spilled to `captureFile`), a clean status.
 */
export function runWithoutRig(loaded: LoadedScenario, sampleRate: number, periodFrames: number, captureFile: string | null = null): ScenarioRun {
  const config = parseHapticConfig(loaded.scenario.engine);
  const engine = new HapticEngine(config);
  const frames = loaded.durationFrames + sampleRate / 2;
  const sent = planCommands(loaded, engine.paramNames).map((planned) => {
    const applied = Math.ceil((planned.atFrame + 1) / periodFrames) * periodFrames;
    return { planned, sendFrame: planned.atFrame, sendEpochMs: 0, entry: null, arrivalFrame: planned.atFrame, appliedFrame: applied, clockStallMs: 0 };
  });
  return {
    loaded, entry: scenarioEngine(loaded).entry, config, sent, capture: [], captureFile, frames, recordedFrames: frames,
    periodFlags: new Int32Array(Math.ceil(frames / periodFrames) + 1), status: { counts: zeroCounts() } as ServerStatus, engineStats: engine.getStats(),
    serverLog: [], wallSeconds: 0, captureCopyMs: 0, interrupted: false, serverXruns: { client: null, driver: null }, effect: null,
  };
}
