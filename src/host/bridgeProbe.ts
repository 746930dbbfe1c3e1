/**
 * Measures the OSC bridge of a live effect on a real-time rig and prints one JSON line (figures for
 * the README, not a test):
 * - param latency: an OSC `/reverb/param/wetDry` datagram sent over loopback UDP → the first output
 *   sample it affects leaves the DAC, per event: clockOffsetMs + (appliedFrame + streamBuffering)·1000/fs
 *   − the send time (epoch ms), p50/p99/max over the events, against 2 periods + 1 ms of transport; and its two
 *   parts, send → the server's decode (transport: sent from another process on one socket, as a controller sends) and decode → DAC
 *   (the server: bound a period less the render delay + the stream buffering);
 *   plus a check on the signal rings that the output first departs from the input at that frame
 *   (wetDry 0 → 0.5: before it the reverb plays its input unchanged).
 * - metrics push jitter: arrival interval − the 200 ms asked, p99 of |deviation|;
 * - snapshot: request_snapshot 3 (stereo) sent → snapshot_ready received, ten 300 ms apart: the first (the
 *   server's first, its code not yet optimised by V8), p50 and max (PROBE_DEBUG=1 prints each in order), and
 *   with PROBE_SNAPSHOT_IDLE=30,60 one after each of those seconds without a snapshot;
 * - engine share of the period: status load mean/max, for the engine served;
 * - underruns, in all and by the end of each phase (underrunsAt: start, params, metrics, snapshots).
 *
 *   node --single-threaded-gc --import tsx src/host/bridgeProbe.ts [rig=virtual] [engine=fdn16|lossy] [events=200]
 */
import { spawn } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadRig } from '../../hil/rigs/loadRig.ts';
import { percentile } from '../analysis/statistics/percentile.ts';
import { writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { parseParams } from '../engine/params.ts';
import { type EngineSpec, createEngine } from './engineSpec.ts';
import { OscListener } from './oscListener.ts';
import { RigServer } from './rigServer.ts';
import { sendUdp } from './testClients.ts';

const rigName = process.argv[2] ?? 'virtual';
const which = process.argv[3] ?? 'fdn16';
const events = Number(process.argv[4] ?? 200);
const engineName = which === 'lossy' ? 'lossy' : 'reverb';
const config = which === 'lossy' ? {} : { lines: 16, delayMinMs: 37, delayMaxMs: 113, rt60Seconds: 2, wetDry: 0 };
const rig = loadRig(rigName, { clock: 'realtime' });
const spec: EngineSpec = { kind: 'entry', engine: engineName, config };
const entry = engineEntry(engineName);
/** The lines of a child's stdout, one per call, in order. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<string> {
  const queue: string[] = [];
  let waiter: ((l: string) => void) | undefined;
  createInterface({ input: stream }).on('line', (l) => { if (waiter) { waiter(l); waiter = undefined; } else queue.push(l); });
  return () => new Promise<string>((resolve) => { const l = queue.shift(); if (l !== undefined) resolve(l); else waiter = resolve; });
}
// Both helper processes start before the server: spawning forks this process, and every page it has written
// is then copy-on-write until the child's exec — the server's first write to each page after a spawn faults
// (~25 µs a page on this VM). Spawned after the server started, they cost its first snapshot 7 ms per 1.15 MB
// file image (its first fill of an image: 7 ms, the next 0.07 ms), which `rig serve`, forking nothing, never pays.
const param = engineName === 'reverb' ? 'wetDry' : 'outputGainDb';
const values = engineName === 'reverb' ? [0.5, 0] : [-6, 0];
const sent: { sendEpochMs: number; logSize: number }[] = [];
let firstDeparture: { appliedFrame: number; departsAt: number } | undefined;
// The parameter messages come from another process, on one socket bound before the first send, as an OSC
// controller sends them: sent from this process, the send shared the main thread with the server's decode of
// it (and with everything else the server does there), so its wait for this thread was counted as transport.
// The sender stamps each send on the monotonic clock (process.hrtime, CLOCK_MONOTONIC, one clock for every
// process), mapped here onto this process's epoch ms: each process's performance.timeOrigin is its own reading
// of the wall clock, 0.2-0.5 ms apart between two processes here, which would have been counted as transport.
const epochMsPerMonotonic = () => performance.timeOrigin + performance.now() - Number(process.hrtime.bigint()) / 1e6;
const packets = values.map((value) => writeOscPacket({ address: `/${engineName}/param/${param}`, args: [{ type: 'f', value }] }));
const sender = spawn(process.execPath, ['--input-type=module', '-e', `
  import { createSocket } from 'node:dgram';
  import { createInterface } from 'node:readline';
  const packets = ${JSON.stringify(packets.map((b) => Buffer.from(b).toString('base64')))}.map((b) => Buffer.from(b, 'base64'));
  const s = createSocket('udp4');
  s.bind(0, '127.0.0.1', () => {
    process.stdout.write('ready\\n');
    let port = 0;
    createInterface({ input: process.stdin }).on('line', (l) => {
      if (port === 0) { port = Number(l); return; }
      const i = Number(l);
      const sendMonotonicNs = process.hrtime.bigint();
      s.send(packets[i % 2], port, '127.0.0.1', (err) => process.stdout.write((err ? 'error ' + err.message : String(sendMonotonicNs)) + '\\n'));
    });
    process.stdin.on('end', () => s.close());
  });
`], { stdio: ['pipe', 'pipe', 'inherit'] });
const senderLines = lineReader(sender.stdout!);
if ((await senderLines()) !== 'ready') throw new Error('the parameter sender did not start');
// The metrics pushes are timed by a listener in another process (this one's main thread also runs the server,
// whose pauses would be counted against the pushes).
const listener = spawn(process.execPath, ['--input-type=module', '-e', `
  import { createSocket } from 'node:dgram';
  const s = createSocket('udp4'); const t = [];
  s.on('message', () => t.push(performance.now()));
  s.bind(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
  process.stdin.on('data', () => { process.stdout.write(JSON.stringify(t) + '\\n'); process.exit(0); });
`], { stdio: ['pipe', 'pipe', 'inherit'] });
const nextLine = lineReader(listener.stdout!);
const dir = mkdtempSync(join(tmpdir(), 'bridge-probe-'));
const replies = await OscListener.open();
const server = new RigServer({
  rig, engine: await createEngine(spec), engineSpec: spec, osc: { port: 0 }, socketPath: false, log: () => {},
  source: { kind: 'noise', seed: 1, amplitude: 0.25 },
  effect: {
    entry, params: parseParams(entry.paramsSchema, config, 'probe'), replyTo: { address: '127.0.0.1', port: replies.port },
    shippedPresetsDir: dir, userPresetsDir: dir, snapshotsDir: join(dir, 'snapshots'),
  },
});
await server.start();
const port = Number(server.listening.osc?.split(':')[1]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r2 = (v: number) => Math.round(v * 100) / 100;
await sleep(1500);
/** Underruns counted by the end of each phase: which of the probe's loads the misses follow. */
const underrunsAt: Record<string, number> = { start: server.status().counts.underruns };

// 1. Parameter latency (reverb: wetDry; lossy: outputGainDb), alternating values 50 ms apart.
sender.stdin!.write(`${port}\n`); // the sender's first line: where to send
for (let i = 0; i < events; i++) {
  const logSize = server.eventLog.size;
  sender.stdin!.write(`${i}\n`);
  const reply = await senderLines();
  if (!/^\d+$/.test(reply)) throw new Error(`the parameter sender: ${reply}`);
  const sendEpochMs = Number(BigInt(reply)) / 1e6 + epochMsPerMonotonic();
  sent.push({ sendEpochMs, logSize });
  await sleep(50);
  if (i === 0 && engineName === 'reverb') {
    // Before the first event the output is the input itself (wetDry 0): where does it first depart?
    const e = server.eventLog.since(logSize)[0];
    await sleep(200);
    const sig = server.effect?.signals;
    if (e?.appliedFrame != null && sig) {
      const n = 48000;
      const end = Math.min(sig.input.framesWritten, sig.output.framesWritten);
      const inp = sig.input.readEnding(end, n);
      const out = sig.output.readEnding(end, n).channels[0];
      const start = inp.endFrame - n;
      let departsAt = -1;
      for (let j = 0; j < n; j++) if (Math.abs(out[j] - inp.channels[0][j]) > 1e-6) { departsAt = start + j; break; }
      firstDeparture = { appliedFrame: e.appliedFrame, departsAt };
    }
  }
}
await sleep(200);
underrunsAt.params = server.status().counts.underruns;
const fs = rig.sampleRate;
const latencies: number[] = [];
/** Send → arrival (the server's decode), and arrival → DAC: the two parts of each latency. */
const transports: number[] = [];
const serverParts: number[] = [];
for (const s of sent) {
  const e = server.eventLog.since(s.logSize).find((x) => x.type === 'param');
  if (!e || e.appliedFrame === null || e.clockOffsetMs === null) continue;
  const dacEpochMs = e.clockOffsetMs + ((e.appliedFrame + rig.streamBufferingFrames) * 1000) / fs;
  latencies.push(dacEpochMs - s.sendEpochMs);
  transports.push(e.arrivalEpochMs - s.sendEpochMs);
  serverParts.push(dacEpochMs - e.arrivalEpochMs);
}
sender.stdin!.end();
for (const xs of [latencies, transports, serverParts]) xs.sort((a, b) => a - b);
const periodMs = (rig.periodFrames * 1000) / fs;

// 2. Metrics push jitter at 200 ms, 20 s, timed by the listener (started above).
const pushPort = Number(await nextLine());
await sendUdp(port, writeOscPacket({ address: `/${engineName}/subscribe`, args: [{ type: 'i', value: pushPort }, { type: 'i', value: 200 }] }));
await replies.next(`/${engineName}/subscribed`);
await sleep(20_000);
await sendUdp(port, writeOscPacket({ address: `/${engineName}/unsubscribe`, args: [{ type: 'i', value: pushPort }] }));
listener.stdin?.write('done\n');
const arrivals = (JSON.parse(await nextLine()) as number[]).slice(1); // the first interval starts at the subscription
if (process.env.PROBE_DEBUG) console.error(arrivals.slice(1).map((t, i) => Math.round(t - arrivals[i])).join(' '));
const deviations = arrivals.slice(1).map((t, i) => Math.abs(t - arrivals[i] - 200)).sort((a, b) => a - b);

underrunsAt.metrics = server.status().counts.underruns;

// 3. Snapshot of 3 s, ten times.
const snapshotMs: number[] = [];
/** request_snapshot 3 sent → snapshot_ready received, ms. */
async function snapshotOnce(): Promise<number> {
  replies.clear();
  const t0 = performance.now();
  await sendUdp(port, writeOscPacket({ address: `/${engineName}/request_snapshot`, args: [{ type: 'f', value: 3 }] }));
  return (await replies.next(`/${engineName}/snapshot_ready`, 5000)).atMs - t0;
}
for (let i = 0; i < 10; i++) {
  snapshotMs.push(await snapshotOnce());
  await sleep(300);
}
const firstSnapshotMs = snapshotMs[0];
/** PROBE_SNAPSHOT_IDLE=30,60: then one snapshot after each of these seconds without one (does the copy go cold?). */
const snapshotAfterIdleMs: Record<string, number> = {};
for (const idleS of (process.env.PROBE_SNAPSHOT_IDLE ?? '').split(',').filter(Boolean).map(Number)) {
  await sleep(idleS * 1000);
  snapshotAfterIdleMs[`${idleS}s`] = r2(await snapshotOnce());
}
if (process.env.PROBE_DEBUG) console.error(`snapshots (ms, in order): ${snapshotMs.map((t) => t.toFixed(1)).join(' ')}`);
snapshotMs.sort((a, b) => a - b);
underrunsAt.snapshots = server.status().counts.underruns;

const status = server.status();
await server.stop();
await replies.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({
  rig: rig.name, engine: which, loadAverage: r2(loadavg()[0]), periodMs: r2(periodMs),
  paramLatencyMs: {
    events: latencies.length, p50: r2(percentile(latencies, 50)), p99: r2(percentile(latencies, 99)), max: r2(latencies[latencies.length - 1] ?? NaN), targetP99: r2(2 * periodMs + 1),
    // Its parts: the bound of the server's is a period less the render delay (the wait for the next block) + the stream buffering.
    transport: { p50: r2(percentile(transports, 50)), p99: r2(percentile(transports, 99)) },
    server: { p50: r2(percentile(serverParts, 50)), p99: r2(percentile(serverParts, 99)), boundMs: r2(((rig.periodFrames - (rig.renderDelayFrames ?? 0) + rig.streamBufferingFrames) * 1000) / fs) },
  },
  firstDeparture,
  metricsPush: { pushes: arrivals.length, jitterP50Ms: r2(percentile(deviations, 50)), jitterP90Ms: r2(percentile(deviations, 90)), jitterP99Ms: r2(percentile(deviations, 99)), jitterMaxMs: r2(deviations[deviations.length - 1] ?? NaN) },
  snapshot3sMs: { first: r2(firstSnapshotMs), p50: r2(percentile(snapshotMs, 50)), max: r2(snapshotMs[snapshotMs.length - 1]), afterIdle: snapshotAfterIdleMs },
  engineLoad: { mean: r2(status.load.meanBlock * 100), max: r2(status.load.maxBlock * 100), unit: '% of the period' },
  underruns: status.counts.underruns, underrunsAt, lateEvents: status.counts.lateEvents,
}));
