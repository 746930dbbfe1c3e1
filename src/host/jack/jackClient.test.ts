import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { jackToolsMissing } from '../../../hil/jack/jackToolsMissing.ts';
import { pairXruns, type ServerXrun } from '../../../hil/jack/serverXruns.ts';
import { startTsWorker } from '../tsWorker.ts';
import { JACK_ADDON_PATH, type JackAddon } from './jackAddon.ts';
import { Ctl, PeriodRings, RingState, type XrunRecord } from './periodRings.ts';
import { MachineStalls } from './machineStalls.ts';
import type { RenderAheadStats } from './renderAhead.ts';
import { fileTestServer, withTestClient } from './testJackClient.ts';

/** Limits of the no-block property (period 128 frames = 2.67 ms at 48 kHz; the stall is 50 ms). */
const LIMITS = {
  stallMs: 50,
  /** The callback's own time, ms: copying 2 ports — a callback that waited for the stalled worker takes the stall. */
  maxCallbackMs: 10,
  /** Longest time between two callback entries (jack_get_time at each), ms: in sync mode a waiting callback stretches its cycle by the stall. */
  maxCycleGapMs: 25,
  /** Underruns the stall must produce at least: stall / period − fill − 2. */
  minUnderruns: Math.floor(50 / (128 / 48)) - 2 - 2,
} as const;
const FILL_PERIODS = 2;
/**
 * The jackd of this file's tests: 128-frame periods, synchronous (-S). One for all of them (each its own client):
 * the stall runs read its xrun log only around their own records (pairXruns), the sentinel tests not at all.
 */
const SERVER = fileTestServer('jackclient', { periodFrames: 128, sync: true });
/** Where the worker stalls (and, in the waiting variant, where the callback first waits). */
const STALL_AT_FRAME = 0.5 * 48000;
/**
 * The run: 0.2 s on after the stall's 50 ms (0.5–0.55 s), every period of it checked for silence. All a stall did,
 * in 6 runs of each variant (7 Dec, load 6): its 17 underruns ended at 0.549 s and its silent periods at 0.552 s;
 * the waiting callback's xrun came at 0.509–0.51 s. The run was 1 s until then: 0.25 s more of quiet stream checked.
 */
const SECONDS = 0.75;

/** Skipped only where jackd is absent; a machine with jackd but without the built addon fails (loadJackAddon says how to build it). */
const skip = jackToolsMissing('jack_lsp');
if (skip) console.warn(`native JACK client test skipped: ${skip}`);

interface StallRun {
  underruns: number;
  underrunFrames: number[];
  /** Stream frames (steady part) where the loopback captured silence instead of the rendered 0.5. */
  silentFrames: number[];
  maxCallbackMs: number;
  maxCycleGapMs: number;
  lateCycles: number;
  cycles: number;
  worker: RenderAheadStats;
  periodFrames: number;
  /** JACK's xrun notifications: counted, and recorded with their stream frames (the xrun ring). */
  xrunCount: number;
  xruns: XrunRecord[];
  /** Their kinds, from jackd's log (serverXruns.ts pairs the two). */
  kinds: ServerXrun['kind'][];
  /** Frames the stream had reached when the run ended. */
  endFrame: number;
}

/**
 * The file's jackd (SERVER: dummy, synchronous, realtime where permitted, 2 loopback ports) + the native client + a worker
 * rendering 0.5 on both outputs that stalls once for 50 ms; input 0 listens to loopback output 0.
 */
async function stallRun(faultWaitUs: number): Promise<StallRun> {
  return withTestClient(SERVER, 'stall-test', async ({ addon, client, server }) => {
    const handle = client.handle;
    const P = client.periodFrames;
    const rings = PeriodRings.create({ inputs: 2, outputs: 2, periodFrames: P, ringPeriods: 64, underrunCapacity: 256 });
    // NaN marks frames whose input never reached the worker (a lost input period is not a silent one).
    const capture = new Float32Array(new SharedArrayBuffer(4 * Math.ceil(SECONDS * 48000 + 8 * P))).fill(Number.NaN);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const worker = startTsWorker(new URL('./jackClient.stallFixture.ts', import.meta.url), {
      handle, rings: rings.buffers, fillPeriods: FILL_PERIODS, capture, stallAtFrame: STALL_AT_FRAME, stallMs: LIMITS.stallMs, stop,
    });
    const messages: unknown[] = [];
    worker.on('message', (m) => messages.push(m));
    const exited = once(worker, 'exit');
    while (messages.length === 0) await new Promise((r) => setTimeout(r, 10));
    addon.activate(handle, {
      ...rings.buffers, faultWaitUs,
      connectInputs: ['loopback:capture_1', 'loopback:capture_2'], connectOutputs: ['loopback:playback_1', 'loopback:playback_2'],
    });
    Atomics.store(rings.ctl, Ctl.STATE, RingState.RUNNING);
    while (rings.count(Ctl.CYCLES) * P < SECONDS * 48000) await new Promise((r) => setTimeout(r, 20));
    Atomics.store(stop, 0, 1);
    await exited;
    const stats = (messages.find((m) => (m as { stats?: unknown }).stats) as { stats: RenderAheadStats }).stats;
    const underrunFrames = rings.underrunFramesSince(0).frames;
    const silentFrames: number[] = [];
    // From 0.25 s (the worker has warmed up) to the last complete period captured.
    for (let f = Math.ceil((0.25 * 48000) / P) * P; f + P <= (rings.count(Ctl.CYCLES) - 2) * P; f += P) if (capture[f] === 0) silentFrames.push(f);
    return {
      underruns: rings.count(Ctl.UNDERRUNS), underrunFrames, silentFrames, periodFrames: P,
      maxCallbackMs: rings.count(Ctl.MAX_CALLBACK_NS) / 1e6, maxCycleGapMs: rings.count(Ctl.MAX_CYCLE_GAP_US) / 1e3,
      lateCycles: rings.count(Ctl.LATE_CYCLES), cycles: rings.count(Ctl.CYCLES), worker: stats,
      xrunCount: rings.count(Ctl.XRUNS), xruns: rings.xrunsSince(0).records, endFrame: rings.count(Ctl.CYCLES) * P,
      kinds: pairXruns(rings.xrunsSince(0).records, server.xrunLog()).map((x) => x.kind),
    };
  });
}

describe.skipIf(skip !== undefined)('native JACK client: a callback that never waits (jackd dummy, sync mode)', () => {
  it('a worker stalled for 50 ms costs counted underruns of silence, never a blocked callback or a stretched cycle', async () => {
    const r = await stallRun(0);
    console.info(`native jack stall: ${r.underruns} underruns, max callback ${r.maxCallbackMs.toFixed(3)} ms, max cycle gap ${r.maxCycleGapMs.toFixed(2)} ms, late cycles ${r.lateCycles}/${r.cycles}, worker late blocks ${r.worker.lateBlocks}`);
    expect(r.underruns).toBeGreaterThanOrEqual(LIMITS.minUnderruns);
    // Every underrun is heard as a silent period one loop (1 period) later, and nothing else is silent.
    expect(r.silentFrames).toEqual(r.underrunFrames.map((f) => f + r.periodFrames).filter((f) => f >= 0.25 * 48000 && f <= r.silentFrames.at(-1)!));
    expect(r.maxCallbackMs).toBeLessThan(LIMITS.maxCallbackMs);
    expect(r.maxCycleGapMs).toBeLessThan(LIMITS.maxCycleGapMs);
    expect(r.xruns).toHaveLength(r.xrunCount); // every xrun notified is recorded (the machine may cause some)
  });

  it('the same checks catch a callback that waits for its block (the fault this client exists to avoid)', async () => {
    const r = await stallRun(60_000);
    console.info(`native jack stall, waiting callback: ${r.underruns} underruns, max callback ${r.maxCallbackMs.toFixed(3)} ms, max cycle gap ${r.maxCycleGapMs.toFixed(2)} ms, xruns ${r.xrunCount}: ${JSON.stringify(r.xruns)} ${r.kinds}`);
    expect(r.maxCallbackMs).toBeGreaterThan(LIMITS.maxCallbackMs);
    expect(r.maxCycleGapMs).toBeGreaterThan(LIMITS.maxCycleGapMs);
    // The waiting callback made jackd's cycle late: JACK notified an xrun, recorded on the stream clock where
    // the wait happened (the stall at 0.5 s, within the wait's 60 ms and a period) and given its kind from jackd's log.
    expect(r.xrunCount).toBeGreaterThanOrEqual(1);
    expect(r.xruns).toHaveLength(r.xrunCount);
    // Another xrun may come first on a loaded machine (a late dummy driver), and the 60 ms wait may cost more than
    // one (seen in a full suite run: frames 36 500 and 38 027, 10 and 42 ms into the wait): one must lie at the wait.
    const atWait = r.xruns.filter((x) => x.frame >= STALL_AT_FRAME && x.frame <= STALL_AT_FRAME + 0.06 * 48000 + r.periodFrames);
    expect(atWait.length, JSON.stringify(r.xruns)).toBeGreaterThanOrEqual(1);
    expect(r.kinds.filter((k) => k === 'unknown')).toEqual([]);
  });
});

describe.skipIf(skip !== undefined)('native JACK client: its clock without a client', () => {
  // libjack's clock exists only while a client is open: read without one it crashed the process
  // (SIGSEGV, exit 139). Run in a child so that a crash is a failed test, not a lost test runner.
  it('jackTimeUs() with no client open throws a clear error instead of crashing the process', async () => {
    const { spawnSync } = await import('node:child_process');
    // The addon itself, as loadJackAddon requires it, in a plain Node (~0.05 s to start; through tsx, to import
    // jackAddon.ts, ~0.3 s).
    const script = `try { require(${JSON.stringify(JACK_ADDON_PATH)}).jackTimeUs(); console.log('no error'); } catch (e) { console.log('threw: ' + e.message); }`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^threw: jackClient\.jackTimeUs: no JACK client is open/);
  }, 30_000);
});

/** An active client with no ports, its callbacks running, and its sentinel started at priority 1 (below a FIFO 2 spinner): after 40 cycles. */
async function runningWithSentinel(addon: JackAddon, client: { handle: number; periodFrames: number }): Promise<{ rings: PeriodRings; stalls: MachineStalls }> {
  const rings = PeriodRings.create({ inputs: 1, outputs: 1, periodFrames: client.periodFrames, ringPeriods: 8, underrunCapacity: 256 });
  addon.activate(client.handle, { ...rings.buffers, connectInputs: [], connectOutputs: [] });
  Atomics.store(rings.ctl, Ctl.STATE, RingState.RUNNING);
  const stalls = MachineStalls.create(256);
  addon.startSentinel(client.handle, { ...stalls, priority: 1, intervalUs: 500, thresholdUs: 250 });
  while (rings.count(Ctl.CYCLES) < 40) await new Promise((r) => setTimeout(r, 10));
  return { rings, stalls };
}

describe.skipIf(skip !== undefined)('native JACK client: the machine-stall sentinel', () => {
  // A stall of the machine made on purpose: one process per CPU, pinned there at SCHED_FIFO 2 (above the sentinel,
  // started at priority 1 here, 80 in use), spins over the same 30 ms of CLOCK_MONOTONIC, so nothing at or below
  // 2 runs anywhere — what a descheduled vCPU does to every thread. The sentinel must record it, late by about
  // that long, on the stream clock. The spinners are python processes that start at normal priority, take their
  // CPU and priority, and once every one has, sleep to a common start 100 ms ahead, spin to its end and leave real time
  // before exiting (python's own exit took 6–7 ms more at FIFO 2). Until session 22 they were Node worker threads
  // meeting at a barrier, and the record held 7–18 ms stalls instead of one of 30 ms in 2 of 7 CI runs and in 2 of 5
  // runs here beside other work (15.6 ms) — a collection or compilation in a spinner waiting on Node's
  // normal-priority helper threads may free the cores mid-spin (not traced). A common start fixed ahead of time
  // (0.6 s) instead of the barrier failed too: under load 8 python's start-up took longer than that.
  it('records a stall it could not run through, with its lateness and stream frame, and stops with close()', async (ctx) => {
    const { availableParallelism } = await import('node:os');
    const { spawn } = await import('node:child_process');
    await withTestClient(SERVER, 'sentinel-test', async ({ addon, client, close }) => {
      const { rings, stalls } = await runningWithSentinel(addon, client);
      // Spinner k takes the k-th CPU this process may use and its priority, says so, and sleeps reading its start (CLOCK_MONOTONIC, s) from stdin.
      const script = (k: number) => `import os, sys, time\nos.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[${k}]})\nos.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(2))\n` +
        'print("ready", flush=True)\nstart = float(sys.stdin.readline())\ntime.sleep(max(0, start - time.monotonic()))\n' +
        'while time.monotonic() < start + 0.03: pass\nos.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))\n';
      const spinners = Array.from({ length: availableParallelism() }, (_, k) => spawn('python3', ['-c', script(k)], { stdio: ['pipe', 'pipe', 'ignore'] }));
      for (const p of spinners) p.stdin.on('error', () => {}); // a spinner that could not start: its exit code says so
      const exited = spinners.map((p) => new Promise<number | null>((resolve) => p.once('exit', resolve).once('error', () => resolve(-1))));
      const ready = await Promise.all(spinners.map((p, k) => Promise.race([exited[k].then(() => false), new Promise<boolean>((resolve) => p.stdout.once('data', () => resolve(true)))])));
      const now = new Float64Array(1);
      addon.monotonicNowMs(now);
      for (const p of spinners) p.stdin.end(ready.every(Boolean) ? `${(now[0] + 100) / 1000}\n` : '\n');
      const codes = await Promise.all(exited);
      if (!codes.every((c) => c === 0)) ctx.skip(); // real-time priority (or python3) not available here: no stall can be made
      expect(stalls.realtime).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      const { stalls: seen } = stalls.since(0);
      const longest = seen.reduce((a, b) => (b.lateUs > a.lateUs ? b : a), { frame: -1, lateUs: 0, jackUs: 0 });
      expect(longest.lateUs).toBeGreaterThan(20_000);
      expect(longest.lateUs).toBeLessThan(200_000);
      expect(stalls.maxLateUs).toBe(longest.lateUs);
      expect(longest.frame).toBeGreaterThan(40 * client.periodFrames);
      expect(longest.frame).toBeLessThanOrEqual((rings.count(Ctl.CYCLES) + 1) * client.periodFrames);
      close();
      const wakeups = stalls.wakeups;
      await new Promise((r) => setTimeout(r, 20));
      expect(stalls.wakeups).toBe(wakeups);
    });
  }, 30_000);

  // One CPU alone stops running real-time threads (a thread of another process in a long system call on a
  // non-preemptible kernel, a vCPU the hypervisor took): here a process pinned to the last CPU spins for 60 ms
  // at SCHED_FIFO 2. A sentinel on another CPU sees nothing; the one pinned to that CPU must record it.
  it('records a stall of one CPU only (a sentinel on every CPU)', async (ctx) => {
    const { availableParallelism } = await import('node:os');
    const { spawn } = await import('node:child_process');
    const cpus = availableParallelism();
    if (cpus < 2) ctx.skip();
    await withTestClient(SERVER, 'sentinel-cpu-test', async ({ addon, client, close }) => {
      const { stalls } = await runningWithSentinel(addon, client);
      const script = 'import time\ne = time.monotonic() + 0.06\nwhile time.monotonic() < e: pass\n';
      const spawnedMs = performance.now();
      const code = await new Promise<number | null>((resolve) => {
        spawn('chrt', ['-f', '2', 'taskset', '-c', String(cpus - 1), 'python3', '-c', script], { stdio: 'ignore' }).once('exit', resolve).once('error', () => resolve(-1));
      });
      // The spinner's whole life on that CPU (python's start-up runs there at FIFO 2 too: 60 ms of spin plus
      // 30–150 ms of start-up, more on a busy VM — a fixed 200 ms bound failed at 204 and 314 ms).
      const lifeUs = (performance.now() - spawnedMs) * 1000;
      if (code !== 0) ctx.skip(); // real-time priority (or chrt, taskset, python3) not available: no stall can be made
      expect(stalls.realtime).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
      const longest = stalls.since(0).stalls.reduce((a, b) => Math.max(a, b.lateUs), 0);
      expect(longest).toBeGreaterThan(20_000);
      // No longer than the stalling process lived (the sentinel's own interval of 0.5 ms aside): a lateness the
      // spinner cannot explain would be a wrong record.
      expect(longest).toBeLessThan(lifeUs + 1_000);
      close();
    });
  }, 30_000);
});
