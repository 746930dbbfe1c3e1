/**
 * The flood probe (issue 13's "input that cannot hurt the audio", measured on a running server):
 * starts `rig serve` in its own process on a real-time rig, measures an idle phase, then floods it
 * from this process — malformed datagrams, 64 KiB datagrams, socket fuzz, far-future timestamps — and
 * after each flood sends a panic. Per phase it reports the server's late periods (percentage of the
 * periods in the phase the rig flagged), how long the panic waited (arrival → the callback that applied it), the
 * server's RSS growth, and whether every bad input reached a counter (UDP datagrams the kernel dropped
 * before the server saw them are read from /proc/net/udp and listed apart).
 *
 * Bounded in count and time, 127.0.0.1 only. Targets: late periods within 1 percentage point of idle,
 * panic within one period, RSS growth ≤ 50 MB, every bad input counted.
 *
 *   npx tsx hil/flood/floodProbe.ts [--rig virtual] [--idle-seconds 5] [--json]
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCommandFrame } from '../../src/protocols/ipc/ipcFrame.ts';
import { writeOscPacket } from '../../src/protocols/osc/oscCodec.ts';
import { mulberry32 } from '../../src/analysis/signal/seededNoise.ts';
import type { ServerStatus } from '../../src/host/serverStatus.ts';
import { connectFrames, type FrameClient } from '../../src/host/testClients.ts';

export interface FloodPhase {
  name: string;
  sent: number;
  /** Bad inputs the server counted in this phase (the counters the phase feeds). */
  counted: number;
  /** Datagrams the kernel dropped before the server read them (UDP receive buffer full). */
  kernelDropped: number;
  periods: number;
  latePeriods: number;
  latePercent: number;
  /** Wall-clock ms from the panic's arrival to the callback that applied it (≤ one period is the target). */
  panicWaitMs: number | null;
  rssMb: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The "drops" column of /proc/net/udp for a local port (0 where unreadable). */
function kernelUdpDrops(port: number): number {
  try {
    const hex = port.toString(16).toUpperCase().padStart(4, '0');
    for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`)) return Number(f[f.length - 1]);
    }
  } catch { /* not Linux */ }
  return 0;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function status(c: FrameClient): Promise<ServerStatus> {
  await c.send(encodeCommandFrame({ type: 'status', seq: 1 }));
  for (;;) {
    const f = await c.nextFrame(5000);
    if (f.type === 0x81) return JSON.parse(Buffer.from(f.payload).toString()) as ServerStatus;
  }
}

export async function runFloodProbe(options: { rig?: string; idleSeconds?: number } = {}): Promise<{ rig: string; periodFrames: number; periodMs: number; phases: FloodPhase[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'rig-flood-'));
  const socketPath = join(dir, 'rig.sock');
  const port = await freeUdpPort();
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'rig.js');
  const child = spawn(process.execPath, [bin, 'serve', '--rig', options.rig ?? 'virtual', '--osc-port', String(port), '--socket', socketPath, '--engine', 'haptic'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let serverLog = '';
  child.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-4000); });
  const phases: FloodPhase[] = [];
  try {
    let control: FrameClient | undefined;
    for (let i = 0; i < 200 && !control; i++) {
      try { control = await connectFrames(socketPath); } catch { await sleep(50); }
    }
    if (!control) throw new Error(`rig serve did not start: ${serverLog}`);
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const rand = mulberry32(13);
    const first = await status(control);

    const measure = async (name: string, sent: number, counters: (s: ServerStatus) => number, flood: () => Promise<void>) => {
      const before = await status(control as FrameClient);
      const drops0 = kernelUdpDrops(port);
      const t0 = performance.now();
      await flood();
      await sleep(200); // let the server read what is queued
      udp.send(writeOscPacket({ address: '/haptic/panic', args: [] }), port, '127.0.0.1');
      let after = await status(control as FrameClient);
      for (let i = 0; i < 100 && (after.lastPanic?.appliedFrame ?? null) === null; i++) { await sleep(10); after = await status(control as FrameClient); }
      const periods = after.load.blocks - before.load.blocks;
      const late = after.counts.underruns - before.counts.underruns;
      const p = after.lastPanic;
      phases.push({
        name, sent, counted: counters(after) - counters(before), kernelDropped: kernelUdpDrops(port) - drops0,
        periods, latePeriods: late, latePercent: periods > 0 ? (100 * late) / periods : 0,
        panicWaitMs: p?.waitMs ?? null,
        rssMb: rssMb(child.pid as number), seconds: (performance.now() - t0) / 1000,
      });
    };
    const badOsc = (s: ServerStatus) => s.counts.malformedOscPackets + s.counts.unknownOscAddresses + s.counts.badOscArguments;

    await measure('idle', 0, () => 0, async () => { await sleep((options.idleSeconds ?? 5) * 1000); });
    await measure('100k malformed datagrams', 100_000, badOsc, async () => {
      const junk = Buffer.from('\x00\x01 not an OSC packet');
      for (let i = 0; i < 100_000; i++) {
        udp.send(junk, port, '127.0.0.1');
        if (i % 500 === 499) await sleep(0);
      }
    });
    await measure('300 datagrams of 64 KiB', 300, badOsc, async () => {
      const big = Buffer.alloc(65_000);
      for (let i = 0; i < 300; i++) {
        for (let j = 0; j < big.length; j++) big[j] = (rand() * 256) | 0;
        big[0] = 0x2f; // "/": an address, then garbage
        udp.send(big, port, '127.0.0.1');
        await sleep(1);
      }
    });
    await measure('socket fuzz (8 × 1 MB of random bytes)', 8, (s) => s.counts.malformedSocketFrames + s.counts.socketDesyncs + s.counts.truncatedSocketFrames, async () => {
      await Promise.all(Array.from({ length: 8 }, async () => {
        const sock = connect(socketPath);
        await new Promise<void>((r, j) => { sock.once('connect', () => r()); sock.once('error', j); });
        sock.on('data', () => {});
        sock.on('error', () => {});
        const junk = Buffer.alloc(1 << 20);
        for (let j = 0; j < junk.length; j++) junk[j] = (rand() * 256) | 0;
        await new Promise<void>((r) => sock.write(junk, () => r()));
        await sleep(100);
        sock.destroy();
      }));
    });
    await measure('5000 far-future timestamps', 5000, (s) => s.counts.rejectedTimestamps, async () => {
      const far = performance.timeOrigin + performance.now() + 10_000;
      const frames = Buffer.concat(Array.from({ length: 5000 }, (_, i) => encodeCommandFrame({ type: 'noteOn', channel: 0, note: 60, velocity: 100, seq: i + 2, timestamp: { kind: 'epochMs', epochMs: far } })));
      await (control as FrameClient).send(frames);
    });
    udp.close();
    await control.close();
    return { rig: first.rig.name, periodFrames: first.rig.periodFrames, periodMs: (first.rig.periodFrames * 1000) / first.rig.sampleRate, phases };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('floodProbe.ts')) {
  const args = process.argv.slice(2);
  const arg = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const result = await runFloodProbe({ rig: arg('--rig'), idleSeconds: arg('--idle-seconds') ? Number(arg('--idle-seconds')) : undefined });
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const idle = result.phases[0];
    process.stdout.write(`flood probe on ${result.rig} (${result.periodFrames} frames)\n`);
    for (const p of result.phases) {
      const lateOk = p.latePercent <= idle.latePercent + 1;
      const panicOk = p.panicWaitMs !== null && p.panicWaitMs <= result.periodMs;
      const rssOk = p.rssMb - idle.rssMb <= 50;
      const countOk = p.counted + p.kernelDropped >= p.sent;
      process.stdout.write(`${p.name.padEnd(40)} late ${p.latePercent.toFixed(1).padStart(5)} % ${lateOk ? 'ok ' : 'OVER'}  panic waited ${p.panicWaitMs?.toFixed(2) ?? '—'} ms ${panicOk ? 'ok ' : 'OVER'}  RSS ${p.rssMb.toFixed(0)} MB ${rssOk ? 'ok ' : 'OVER'}  counted ${p.counted}/${p.sent}${p.kernelDropped ? ` (+${p.kernelDropped} dropped by the kernel)` : ''} ${countOk ? 'ok' : 'MISSING'}  ${p.seconds.toFixed(1)} s\n`);
    }
  }
}
