/**
 * Measures structural changes on a live reverb on a real-time rig (figures for the README, not a test): the
 * engine runs in the render worker on the native JACK rig, which builds each change's engine between its
 * cycles (workerEngineBuilds.ts). Prints one JSON line: the underruns per second with no change (baseline)
 * and inside each change's window (request → 0.5 s after its Swap was applied), the machine's stalls seen by the
 * rig's sentinel in the same windows, and what each build cost (steps, cycles, its own time, its longest slice,
 * wall time) — for a network shape the worker had not built yet and for one it had.
 *
 *   node --import tsx src/host/structuralProbe.ts [rig=jack-native] [rounds=4] [baselineSeconds=20] [reverb|lossy]
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadRig } from '../../hil/rigs/loadRig.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { parseParams } from '../engine/params.ts';
import { type EngineSpec, createEngine } from './engineSpec.ts';
import { RigServer } from './rigServer.ts';
import { workspace } from '../presets/workspace.ts';

const rigName = process.argv[2] ?? 'jack-native';
const rounds = Number(process.argv[3] ?? 4);
const baselineSeconds = Number(process.argv[4] ?? 20);
const engineName = process.argv[5] === 'lossy' ? 'lossy' : 'reverb';
const config = engineName === 'reverb' ? { lines: 8, rt60Seconds: 1.5, wetDry: 0.4 } : {};
const rig = loadRig(rigName, { clock: 'realtime' });
const spec: EngineSpec = { kind: 'entry', engine: engineName, config };
const entry = engineEntry(engineName);
const dir = mkdtempSync(join(tmpdir(), 'structural-probe-'));
const server = new RigServer({
  rig, engine: await createEngine(spec), engineSpec: spec, osc: false, socketPath: false, log: () => {},
  source: { kind: 'noise', seed: 1, amplitude: 0.25 },
  effect: { entry, params: parseParams(entry.paramsSchema, config, 'probe'), shippedPresetsDir: workspace.presetsDir, userPresetsDir: dir, snapshotsDir: join(dir, 'snapshots') },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fs = rig.sampleRate;
const P = rig.periodFrames;
type Probed = typeof rig & {
  ringCounters?: () => Record<string, number>;
  underrunFramesSince?: (from: number) => { frames: number[] };
  machineStalls?: () => { stalls: { frame: number | null; lateUs: number }[] } | null;
};
const probed = rig as Probed;
if (!probed.ringCounters || !probed.underrunFramesSince) {
  console.error(`structuralProbe: rig "${rig.name}" has no callback ring to place underruns on the stream clock (use jack-native)`);
  process.exit(2);
}
const nowFrame = () => (probed.ringCounters?.().cycles ?? 0) * P;
const underrunsIn = (from: number, to: number) => (probed.underrunFramesSince?.(0).frames ?? []).filter((f) => f >= from && f < to).length;
const stallsIn = (from: number, to: number) => (probed.machineStalls?.()?.stalls ?? []).filter((s) => s.frame !== null && s.frame >= from && s.frame < to).length;
const peer = { address: '127.0.0.1', port: 1 };
/** How long after its switch a change's window runs: the fade, the new engine's first blocks, and a collection of the old one if it comes. */
const AFTER_MS = 500;

await server.start();
await sleep(1500);
const b0 = nowFrame();
await sleep(baselineSeconds * 1000);
const b1 = nowFrame();
const baseline = { seconds: (b1 - b0) / fs, underruns: underrunsIn(b0, b1), machineStalls: stallsIn(b0, b1) };

// Each round, reverb: lines 16, damping 0.5, lines 8, damping 0.2; lossy: shipped presets of other stages and codecs.
type Change = { kind: 'param'; name: string; values: number[] } | { kind: 'preset'; name: string };
const changes: Change[] = engineName === 'reverb'
  ? [{ kind: 'param', name: 'lines', values: [16] }, { kind: 'param', name: 'damping_coeffs', values: [0.5] }, { kind: 'param', name: 'lines', values: [8] }, { kind: 'param', name: 'damping_coeffs', values: [0.2] }]
  : ['voip-5pct-loss', 'am-radio', 'walkie-talkie', 'stream-128kbps'].map((name) => ({ kind: 'preset', name }));
const windows: Record<string, unknown>[] = [];
for (let r = 0; r < rounds; r++) {
  for (const c of changes) {
    const logged = server.eventLog.size;
    const from = nowFrame();
    server.effect?.bridge.handle(c.kind === 'param' ? c : { kind: 'presetLoad', name: c.name }, peer);
    let applied: number | undefined;
    for (let waited = 0; waited < 10_000 && applied === undefined; waited += 10) {
      await sleep(10);
      applied = server.eventLog.since(logged).find((e) => e.type === 'engineSwitch' && e.appliedFrame != null)?.appliedFrame ?? undefined;
    }
    await sleep(AFTER_MS + 100);
    const to = applied === undefined ? nowFrame() : applied + Math.round((AFTER_MS / 1000) * fs);
    const cost = server.effect?.structure?.lastBuildCost ?? { steps: 0, cycles: 0, stepsMs: Number.NaN, maxSliceMs: Number.NaN, wallMs: Number.NaN };
    windows.push({
      round: r, change: c.kind === 'param' ? `${c.name} ${c.values.join(' ')}` : `preset ${c.name}`, applied: applied !== undefined, windowMs: Math.round(((to - from) * 1000) / fs),
      underruns: underrunsIn(from, to), machineStalls: stallsIn(from, to),
      // Split at the switch: while it was built, and after (the crossfade, the new engine alone).
      underrunsBuilding: applied === undefined ? null : underrunsIn(from, applied), underrunsAfter: applied === undefined ? null : underrunsIn(applied, to),
      build: { steps: cost.steps, cycles: cost.cycles, stepsMs: +cost.stepsMs.toFixed(1), maxSliceMs: +cost.maxSliceMs.toFixed(2), wallMs: Math.round(cost.wallMs) },
    });
    await sleep(1000);
  }
}
const status = server.status();
await server.stop();
rmSync(dir, { recursive: true, force: true });
const inWindows = windows.reduce((n, w) => n + (w.underruns as number), 0);
const windowSeconds = windows.reduce((n, w) => n + (w.windowMs as number) / 1000, 0);
console.log(JSON.stringify({
  rig: rig.name, loadAverage: +loadavg()[0].toFixed(2), periodMs: +((P * 1000) / fs).toFixed(2),
  baseline: { ...baseline, perSecond: +(baseline.underruns / baseline.seconds).toFixed(3) },
  changes: { count: windows.length, seconds: +windowSeconds.toFixed(2), underruns: inWindows, perSecond: +(inWindows / windowSeconds).toFixed(3) },
  windows, totalUnderruns: status.counts.underruns, engineSwitches: server.effect?.structure?.counts,
}));
