import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import IsolatedProjectsFirst from './scripts/vitestSequencer.ts';

/**
 * Test files that start jackd and time real-time threads (the 'realtime' project): every test file in the
 * JACK folders but those of plain functions, which start no server and need not wait for the rest of the
 * suite nor run one at a time (they were ~2 s of the realtime group's one-core tail at load 13), and those
 * that start a jackd but time nothing (JACK_UNTIMED).
 */
const JACK_WITHOUT_SERVER = [
  'hil/jack/jackServer.test.ts', // jackd's arguments
  'hil/jack/serverXruns.test.ts', // jackd's log lines
  'hil/jack/foreignWriters.test.ts', // a map of connections
  'src/host/jack/recordsSince.test.ts', // a ring of records
  'src/host/jack/renderAhead.test.ts', // the callback protocol, in JavaScript
  'src/host/jack/machineStalls.test.ts', // the sentinel's priority
  'hil/jack/deviceList.test.ts', // jack_lsp's output, and `rig devices` with JACK_NO_START_SERVER
  'hil/jack/jackRegistry.test.ts', // the registry's bytes, and /proc
  'hil/jack/jackServerName.test.ts', // names refused before a client opens or jackd starts
  'hil/jack/cpuDmaLatency.test.ts', // /dev/cpu_dma_latency held and released
  'hil/jack/jackIodelay.test.ts', // jack_iodelay's output
];
/**
 * Test files that start a jackd but time nothing, and open no JACK client in the test process: their clients and
 * servers run in child processes. They run with the hil project: in the realtime group, one at a time, they were
 * 3.0–3.7 s (jackRig) and 0.8 s (orphan) of its tail, mostly waiting on their children.
 * The files that open a JACK client in the test process (the native addon) stay in the realtime group even where
 * they time nothing (foreign, noChild, controlThreadRealtime): libjack keeps per-process state, and two clients of
 * different servers open at once in one process break each other (controlThreadRealtime beside foreign, each in a
 * worker thread of the same vitest process: jack_activate failed and "jack_sem… already deallocated!!", 4 runs of 4).
 */
const JACK_UNTIMED = [
  'hil/jack/jackServer.orphan.test.ts', // a jackd outlives no killed parent (5 s allowed); its own named server
  // PortAudio's 32-channel round trip against jack_iodelay, in frames: green 26 of 26 beside two busy processes
  // (load 9–13; 6 of them with PortAudio messages, 3 with jackd xruns). It uses the default server name, as no
  // other test outside the realtime group does (deviceList.test.ts accepts a running server).
  'hil/jack/jackRig.test.ts',
];
const REALTIME = ['src/host/jack', 'hil/jack'].flatMap((dir) =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f))
    .filter((f) => !JACK_WITHOUT_SERVER.includes(f) && !JACK_UNTIMED.includes(f)));
/**
 * The realtime files share one worker thread, file after file (isolate: false): a fresh worker each was ~0.1 s
 * between files (~1 s over the group, one file at a time) and each file's imports evaluated again.
 * scripts/vitestRealtimeWorkerGuard.ts fails a file that leaves that thread real-time, pinned or renamed. A worker
 * each still for noChild (its node:child_process mock sees no process where jackNativeRig is already loaded),
 * jackClockMap (it measures allocation: HEAP_MEASURING below) and sinceIdle (it pins its thread to a CPU and names
 * it, which the addon's setRealtime cannot undo).
 */
const REALTIME_OWN_WORKER = ['hil/jack/jackNativeRig.noChild.test.ts', 'src/host/jack/jackClockMap.test.ts', 'src/host/jack/sinceIdle.test.ts'];

/**
 * Test files of src/, sim/ and hil/ that get a fresh worker each (the '…-own-worker' projects); the rest share
 * their worker and its module instances, file after file (isolate: false). A fresh worker costs a file
 * ~0.2 s of CPU to start and to evaluate its imports again: sharing took the unit files from 161.6 s of CPU
 * to 107.4 s (208 files) and sim/ from 47.9 s to 36.9 s (28 files; load 9–12). Kept apart:
 * - files that measure the heap (allocation tests, the conformance suite's no-allocation level, memory
 *   bounds, HeapProbe's own test): a full GC on a heap shared with every earlier file costs 10–20× more
 *   (biquad's allocation test: 0.22 s alone, 4.0 s shared) and would count the other files' garbage
 *   (heapProbe.test.ts, shared, once read its empty windows as 3.9 KB each in CI — a calibration of ~0 — where
 *   it passes alone 8 of 8; the shared heap is the likely cause, not proven);
 * - OWN_WORKER: files that change process-wide state on purpose (the engine registry only grows), hold
 *   hundreds of MB of signal for the whole file (every later file's GCs would trace it again), or time
 *   threads against each other and failed shared.
 * scripts/vitestSharedWorkerGuard.ts fails a shared file that leaves process-wide state changed.
 * hil/ shares too (it was isolated, its long captures once ran 2× slower shared): with the 32 MB semi-space
 * below, sharing took the hil project from 38.1–38.7 s of CPU to 28.1–29.7 s (182 tests, load 2–5).
 */
const HEAP_MEASURING = /\b(measureAllocation|checkNoAllocation|runConformance|describeConformance|fullGc|getHeapStatistics|memoryUsage|heapUsed|HeapProbe)\b/;
const OWN_WORKER = [
  // Register the bridge's faulty test engine ('bridge-faulty') in the engine registry.
  'src/bridge/bridgeIsolation.test.ts',
  'src/bridge/bridgeProtocol.test.ts',
  // rig serve/dev in this process: untilStopped keeps its SIGINT/SIGTERM handlers by design (a second
  // signal must not kill a server that is closing its stream).
  'src/cli/commands/serve.test.ts',
  'src/cli/commands/dev.test.ts',
  // Time one thread or process against another and failed once each shared at load 12–14 (a reader that
  // saw none of a writer thread's 20 000 statuses; a Chromium slider move not at the bridge within 20 s).
  'src/host/statusSlot.test.ts',
  'src/bridge/bridgePage.test.ts',
  // 10 minutes of pilot and programme at 48 kHz, with their faulty copies.
  'sim/analysis/dropouts.test.ts',
];
function ownWorkerFiles(dir: string): string[] {
  const heapMeasuring = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts') && HEAP_MEASURING.test(readFileSync(join(dir, f), 'utf8')))
    .map((f) => join(dir, f));
  return [...OWN_WORKER.filter((f) => f.startsWith(`${dir}/`)), ...heapMeasuring];
}

/**
 * Every project's setup: each worker's temporary files in a folder of its own, removed at the end of the run, and a
 * file that leaves any there fails (scripts/vitestTempDirGuard.ts); toEqual decides byte-identical typed arrays in
 * one comparison (the file says why).
 */
const EVERY_PROJECT_SETUP = ['scripts/vitestTempDirGuard.ts', 'scripts/vitestTypedArrayEquality.ts'];
/**
 * The property tests' setup, in every project that has them: the run's fast-check seed (FC_SEED replays it), and
 * with FC_SWEEP=<n> each fc.assert under n fresh seeds (scripts/property-seed-sweep.sh).
 */
const FAST_CHECK = ['scripts/vitestFastCheckSeed.ts', ...(process.env.FC_SWEEP ? ['scripts/vitestFastCheckSweep.ts'] : [])];

/** Two projects over `include`: its files that need a worker each, and the rest sharing theirs. */
function sharedAndOwnWorker(name: string, dir: string, test: { exclude?: string[]; setupFiles?: string[] }) {
  const own = ownWorkerFiles(dir);
  const include = [`${dir}/**/*.test.ts`];
  const exclude = test.exclude ?? [];
  const setupFiles = [...EVERY_PROJECT_SETUP, ...(test.setupFiles ?? [])];
  return [
    { extends: true as const, test: { name, include, exclude: [...exclude, ...own], isolate: false, setupFiles: [...setupFiles, 'scripts/vitestSharedWorkerGuard.ts'] } },
    { extends: true as const, test: { name: `${name}-own-worker`, include: own, exclude, setupFiles } },
  ];
}

/**
 * The young generation of every test worker: a V8 flag set here, before vitest creates its worker threads
 * (a thread's heap is sized when it starts, from the process's flags; the main thread's is already made).
 * The tests allocate signals and analysis buffers by the megabyte; V8's default 16 MB semi-space scavenges
 * them out and promotes them several times over. Measured (sim/ + hil/runner, 447 tests, user CPU, load ~9
 * of niced work beside): 16 MB 59.4–60.9 s, 32 MB 56.9 s, 64 MB 57.9 s. STUDIO_RIG_TEST_SEMI_SPACE_MB
 * overrides it (to measure again).
 */
setFlagsFromString(`--max-semi-space-size=${Number(process.env.STUDIO_RIG_TEST_SEMI_SPACE_MB ?? 32)}`);

export default defineConfig({
  // `studio-rig/*` (package.json "exports") resolves to the TypeScript sources in tests, as in tsconfig's
  // customConditions: the examples import the package by its name without a build.
  resolve: { conditions: ['studio-rig-source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['studio-rig-source', ...defaultServerConditions], externalConditions: ['studio-rig-source'] } },
  test: {
    projects: [
      ...sharedAndOwnWorker('unit', 'src', { exclude: ['src/**/*.pack.test.ts', ...REALTIME], setupFiles: FAST_CHECK }),
      ...sharedAndOwnWorker('sim', 'sim', { setupFiles: FAST_CHECK }),
      ...sharedAndOwnWorker('hil', 'hil', { exclude: REALTIME, setupFiles: FAST_CHECK }),
      // Tests that measure a real-time thread on a real JACK server (a callback's duration, lost cycles)
      // run after every other project, so no other test file competes with them for the 2 cores (one ran
      // a 21 ms callback beside the rest of the suite; ≤ 0.05 ms alone). Within the group, one at a time.
      { extends: true, test: { name: 'realtime', include: REALTIME, exclude: REALTIME_OWN_WORKER, isolate: false, setupFiles: [...EVERY_PROJECT_SETUP, 'scripts/vitestRealtimeWorkerGuard.ts'], sequence: { groupOrder: 1 }, fileParallelism: false } },
      { extends: true, test: { name: 'realtime-own-worker', include: REALTIME_OWN_WORKER, setupFiles: EVERY_PROJECT_SETUP, sequence: { groupOrder: 1 }, fileParallelism: false } },
      { extends: true, test: { name: 'examples', include: ['examples/**/*.test.ts'], setupFiles: EVERY_PROJECT_SETUP } },
      // `npm run test:package` (CI, after npm test): packs and builds the package (~15 s CPU), so it is
      // kept out of the everyday run.
      ...(process.env.RIG_TEST_PACKAGE ? [{ extends: true as const, test: { name: 'package', include: ['src/**/*.pack.test.ts'], setupFiles: EVERY_PROJECT_SETUP } }] : []),
    ],
    // Threads start faster than forks, and vitest's default (cores − 1) runs one file at a time on this
    // 2-core machine: two workers take the suite from ~100 s to ~60 s, inside the 90 s budget.
    pool: 'threads',
    // The TypeScript worker modules the tests start are bundled after their first start, and started from
    // the bundle while it is current (src/host/workerBundle.ts): ~0.2 s of CPU less per worker.
    env: { STUDIO_RIG_WORKER_BUNDLES: 'build' },
    sequence: { sequencer: IsolatedProjectsFirst },
    globalSetup: ['scripts/vitestGlobalSetup.ts'],
    // With CI set, JUnit XML as well (reports/junit/vitest.xml) for CI viewers; the console output is the same.
    reporters: process.env.CI ? ['default', ['junit', { outputFile: 'reports/junit/vitest.xml' }]] : ['default'],
    // STUDIO_RIG_TEST_WORKERS=1 runs one file at a time (each file's CPU time is then the difference of
    // scripts/vitestFileTimes.mjs's cpuEndS between consecutive files): the CLI's --maxWorkers does not reach
    // the projects, each of which inherits this value.
    maxWorkers: Number(process.env.STUDIO_RIG_TEST_WORKERS ?? 2),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
