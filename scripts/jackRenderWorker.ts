/**
 * The live render worker on the native JACK rig (`jack-native`: jackd started by the rig, asynchronous dummy
 * driver), under the load src/host/workerAllocation.ts measures on the JS ring rig (loadFor, untimestamped) for N
 * seconds — the haptic instrument: a note-on, an MPE update and a note-off every period, a master-gain move every 16;
 * an effect (fdn16, lossy): a live parameter moved every other period, on a looped seeded noise source — reading
 * the render thread's young-generation bytes per window (the heap probe, heapProbe.ts) and
 * its render counters. Run it under `node --trace-deopt-verbose --import tsx` to list what the render thread
 * deoptimises live: everything printed after "=== live" whose position is in dist/workers/hostWorker-*.mjs.
 *   node --trace-deopt-verbose --import tsx scripts/jackRenderWorker.ts haptic|fdn16|lossy [seconds=60] [windows=3]
 * (src/host/README.md: 2026-12-06, what it found.)
 */
import { loadRig } from '../hil/rigs/loadRig.ts';
import { parseParams } from '../src/engine/params.ts';
import { engineEntry } from '../src/presets/engineRegistry.ts';
import { createEngine } from '../src/host/engineSpec.ts';
import { HeapProbeReader, createHeapProbe } from '../src/host/heapProbe.ts';
import { RigServer } from '../src/host/rigServer.ts';
import { seededRecording } from '../src/host/seededRecording.ts';
import { LOAD_ENGINES, type LoadEngineName, loadFor } from '../src/host/workerAllocation.ts';
import type { WorkerHostRunner } from '../src/host/workerHostRunner.ts';

const name = (process.argv[2] ?? 'haptic') as LoadEngineName;
if (!(name in LOAD_ENGINES)) throw new Error(`engine must be one of ${Object.keys(LOAD_ENGINES).join(', ')}`);
const seconds = Number(process.argv[3] ?? 60);
const windows = Number(process.argv[4] ?? 3);
const spec = LOAD_ENGINES[name];
const engine = await createEngine(spec);
const entry = spec.kind === 'entry' ? engineEntry(spec.engine) : undefined;
const params = entry && spec.kind === 'entry' ? parseParams(entry.paramsSchema, spec.config ?? {}, 'load') : undefined;
const probeBuffers = createHeapProbe(false);
const probe = new HeapProbeReader(probeBuffers);
const server = new RigServer({
  rig: loadRig('jack-native') as ConstructorParameters<typeof RigServer>[0]['rig'], engine, engineSpec: spec, osc: false, socketPath: false,
  log: () => {}, heapProbe: probeBuffers,
  ...(entry && params ? {
    source: { kind: 'loop', channels: [seededRecording(13)], name: 'seeded noise' },
    effect: { entry, params, shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent' },
  } : {}),
});
/** Period n's commands, untimestamped: this stream's frames run on JACK's clock, not on n. */
const load = loadFor(spec, engine.paramNames, 64, 13, false);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mark = async () => {
  const m = probe.request();
  while (probe.read().marks < m) await sleep(5);
  return probe.read();
};

await server.start();
console.log('=== live');
const periodMs = (64 * 1000) / 48000;
const t0 = performance.now();
let n = 0;
const timer = setInterval(() => {
  for (const due = Math.floor((performance.now() - t0) / periodMs); n < due; n++) for (const c of load(n, 0)) server.submit(c);
}, 2);
try {
  // The probe's first mark calibrates it (and deoptimises the worker's loop once: outside the windows).
  await sleep(5000);
  await mark();
  await sleep(2000);
  let last = await mark();
  for (let w = 0; w < windows; w++) {
    await sleep((seconds * 1000) / windows);
    const now = await mark();
    console.log(`window ${w + 1}: young ${now.youngBytes - last.youngBytes} B, heap ${now.heapBytes - last.heapBytes} B, scavenges ${now.scavenges - last.scavenges}`);
    last = now;
  }
} finally {
  clearInterval(timer);
  const status = server.status();
  await server.stop();
  console.log(JSON.stringify({ render: (server.runner as WorkerHostRunner).renderStats, applied: status.counts.applied, underruns: status.counts.underruns }));
}
