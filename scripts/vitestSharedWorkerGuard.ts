import { afterAll, beforeAll } from 'vitest';
import { SignalHistory } from '../src/analysis/dropouts/signalHistory.ts';
import { prepareWarmUpEnabled, setPrepareWarmUp } from '../src/engine/prepareWarmUp.ts';
import { engineNames } from '../src/presets/engineRegistry.ts';
import { workspace } from '../src/presets/workspace.ts';

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
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function processState(): Record<string, unknown> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    engines: engineNames(), workspace: { ...workspace }, env, cwd: process.cwd(), exitCode: process.exitCode,
    poisonDiscarded: SignalHistory.poisonDiscarded, poisonAhead: String(SignalHistory.poisonAhead), prepareWarmUp: prepareWarmUpEnabled(),
    // A handler left on a signal acts in the next file that sends one (rig hil's called process.exit in
    // serve.test.ts, which emits SIGTERM to test its own stop).
    signalListeners: Object.fromEntries(SIGNALS.map((s) => [s, process.listenerCount(s)])),
    exitListeners: process.listenerCount('exit'),
  };
}

let before: Record<string, unknown>;
beforeAll(() => {
  before = processState();
});
afterAll(() => {
  const after = processState();
  const changes: string[] = [];
  for (const key of Object.keys(after)) {
    const [was, is] = [before[key], after[key]];
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    if (key === 'env') {
      const [a, b] = [was as Record<string, string>, is as Record<string, string>];
      for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[name] !== b[name]) changes.push(`env.${name}: ${a[name]} → ${b[name]}`);
    } else changes.push(`${key}: ${JSON.stringify(was)} → ${JSON.stringify(is)}`);
  }
  if (changes.length > 0) {
    throw new Error(`this file left process-wide state changed for the files after it in its worker (${changes.join('; ')}): restore it, or give the file a worker of its own (OWN_WORKER in vitest.config.ts)`);
  }
});
