import { SignalHistory } from '../src/analysis/dropouts/signalHistory.ts';
import { prepareWarmUpEnabled, setPrepareWarmUp } from '../src/engine/prepareWarmUp.ts';
import { engineNames } from '../src/presets/engineRegistry.ts';
import { workspace } from '../src/presets/workspace.ts';
import { failFileThatChanges, processWideState } from './workerStateGuard.ts';

/**
 * Setup file of the test project whose files share their worker and module instances (isolate: false in
 * vitest.config.ts). A file there that leaves process-wide state changed would change what the files after
 * it in the same worker see — which files those are depends on the scheduling, so the failure would move
 * about. This fails the file that left it changed instead, naming what changed: the engine registry
 * (it only grows), the workspace folders, the environment, the working directory, process.exitCode,
 * the listeners on process signals and exit, SignalHistory's test switches and the engines' warm-up switch.
 * Such a file belongs in OWN_WORKER (vitest.config.ts), or should restore what it changed.
 *
 * It also turns the engines' prepare() warm-ups off (src/engine/prepareWarmUp.ts): they change no output,
 * only V8's readiness for an audio thread, and no file here measures allocation or an audio thread's
 * timing (those get a worker each). Measured on sim/reverb/fdnReverb.conformance.test.ts's checks: the
 * warm-ups were 62 % of its CPU. A test about a warm-up itself turns it on and back off.
 */
setPrepareWarmUp(false);

function sharedState(): Record<string, unknown> {
  return {
    engines: engineNames(), workspace: { ...workspace }, ...processWideState(),
    poisonDiscarded: SignalHistory.poisonDiscarded, poisonAhead: String(SignalHistory.poisonAhead), prepareWarmUp: prepareWarmUpEnabled(),
  };
}

failFileThatChanges(sharedState, 'process-wide state', 'restore it, or give the file a worker of its own (OWN_WORKER in vitest.config.ts)');
