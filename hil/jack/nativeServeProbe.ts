/**
 * Load probe of the native JACK backend: RigServer with the haptic engine in a worker on a
 * jack-native rig for N seconds, 200 note-ons and 200 note-offs a second (the pools stay full), then
 * one JSON line: underruns of the output ring, JACK frame jumps, late callback entries, input
 * overflows, stale blocks, JACK xrun callbacks, callback and cycle-gap maxima, the worker's late blocks
 * and gaps, engine load, jackd's own xrun counts and the first underrun frames.
 *
 *   node --single-threaded-gc --import tsx hil/jack/nativeServeProbe.ts [rig=jack-native] [seconds=40]
 *
 * (Start busy loops beside it, e.g. two `yes > /dev/null`, for the loaded figures.)
 */
import { loadRig } from '../rigs/loadRig.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { RigServer } from '../../src/host/rigServer.ts';
import { createEngine, type EngineSpec } from '../../src/host/engineSpec.ts';
import { WorkerHostRunner } from '../../src/host/workerHostRunner.ts';

const rig = loadRig(process.argv[2] ?? 'jack-native');
if (!(rig instanceof JackNativeRig)) throw new Error(`${rig.name} is not a jack-native rig`);
const seconds = Number(process.argv[3] ?? 40);
const spec: EngineSpec = { kind: 'haptic' };
const server = new RigServer({ rig, engine: await createEngine(spec), engineSpec: spec, osc: false, socketPath: false, log: () => {} });
await server.start();
let n = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 4; i++) {
    n++;
    server.submit({ type: 'noteOn', channel: n % 16, note: 36 + (n % 48), velocity: 100 });
    server.submit({ type: 'noteOff', channel: (n + 8) % 16, note: 36 + ((n + 24) % 48), velocity: 0 });
  }
}, 20);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
const status = server.status();
const c = rig.ringCounters();
const underrunFrames = rig.underrunFramesSince(0).frames.slice(0, 20);
const runner = server.runner instanceof WorkerHostRunner ? server.runner : undefined;
await server.stop();
console.log(JSON.stringify({
  rig: rig.name, seconds, loadAverage: (await import('node:os')).loadavg()[0], ...c,
  render: runner?.renderStats, workerRealtime: runner?.realtime, engineLoad: status.load,
  serverXruns: rig.stats.serverXruns, driverXruns: rig.stats.serverDriverXruns, underrunFrames,
}));
