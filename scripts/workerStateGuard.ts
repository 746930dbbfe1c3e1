import { afterAll, beforeAll } from 'vitest';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The process-wide state every shared-worker guard watches: the environment (less vitest's own variables), the working
 * directory, process.exitCode, and the listeners on process signals and exit (a handler left on a signal acts in the
 * next file that sends one: rig hil's called process.exit in serve.test.ts, which emits SIGTERM to test its own stop).
 */
export function processWideState(): Record<string, unknown> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    env, cwd: process.cwd(), exitCode: process.exitCode,
    signalListeners: Object.fromEntries(SIGNALS.map((s) => [s, process.listenerCount(s)])),
    exitListeners: process.listenerCount('exit'),
  };
}

/**
 * Fails the file that leaves `state()` changed between its first and its last test, naming each change (env variable by
 * variable): `what` says what was left changed and `remedy` what to do about it.
 */
export function failFileThatChanges(state: () => Record<string, unknown>, what: string, remedy: string): void {
  let before: Record<string, unknown>;
  beforeAll(() => {
    before = state();
  });
  afterAll(() => {
    const after = state();
    const changes: string[] = [];
    for (const key of Object.keys(after)) {
      const [was, is] = [before[key], after[key]];
      if (JSON.stringify(was) === JSON.stringify(is)) continue;
      if (key === 'env') {
        const [a, b] = [was as Record<string, string>, is as Record<string, string>];
        for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) if (a[name] !== b[name]) changes.push(`env.${name}: ${a[name]} → ${b[name]}`);
      } else changes.push(`${key}: ${JSON.stringify(was)} → ${JSON.stringify(is)}`);
    }
    if (changes.length > 0) throw new Error(`this file left ${what} changed for the files after it in its worker (${changes.join('; ')}): ${remedy}`);
  });
}
