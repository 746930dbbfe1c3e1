/**
 * Whether engines run their JIT warm-up in prepare() (FdnReverb, LossyEngine, CrossfadeEngine): always in the
 * product. A warm-up runs process() through every event path and resets the engine afterwards, so it
 * changes no output (prepareWarmUp.test.ts holds that bit for bit); it only has V8 optimise those paths
 * before the audio thread needs them, so that a rare event allocates nothing there.
 *
 * The test files that share a worker (isolate: false in vitest.config.ts) measure neither allocation nor
 * an audio thread's timing — those files get a worker each — and turn it off (scripts/vitestSharedWorkerGuard.ts):
 * they prepare thousands of engines offline, and the warm-ups were most of the CPU of the files that
 * render reverbs (FdnReverb's: 75–200 ms a prepare(), 0.4–1.2 s the first of each network shape).
 * Per isolate: a worker thread an engine runs in warms up whatever its parent set.
 */
let enabled = true;

/** True unless a test turned warm-ups off in this isolate. */
export function prepareWarmUpEnabled(): boolean {
  return enabled;
}

/** Turns the warm-ups on or off in this isolate; returns the previous setting (to restore it). */
export function setPrepareWarmUp(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}
