/**
 * The push worker of MetricsSubscribers: keeps each subscriber's grid of push times (start + k·interval,
 * no drift), computes the metrics from the signal rings (shared memory, read in place) when a push is
 * due, and sends the bundle from its own UDP socket — so neither the audio side nor the control thread
 * (which on the in-thread rigs runs the audio callback, and whose GC pauses and catch-up bursts
 * measured 40–200 ms of push jitter) stands between a push and its time. The RT60 estimate arrives
 * from the control thread (`rt60` messages, computed on a worker of its own) and rides along.
 */
import { type Socket, createSocket } from 'node:dgram';
import { parentPort, workerData } from 'node:worker_threads';
import { type OscMessage, writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { computeLiveMetrics } from './liveMetrics.ts';
import { SignalRing, type SignalRingBuffers } from './signalRing.ts';
import { loadJackAddon } from './jack/jackAddon.ts';
import { METRICS_WORKER_READY } from './metricsSubscribers.ts';

export interface MetricsWorkerData {
  engine: string;
  input: SignalRingBuffers;
  output: SignalRingBuffers;
  sampleRate: number;
  /** 'push': the push worker (this file's main role); 'rt60': answers RT60 requests. */
  role: 'push' | 'rt60';
  /** SCHED_FIFO priority to run at (the push worker beside a raised control thread), 0 = normal. */
  realtimePriority?: number;
}

export type MetricsWorkerMessage =
  | { type: 'subscribe'; key: string; address: string; port: number; intervalMs: number }
  | { type: 'unsubscribe'; key: string }
  | { type: 'rt60'; value: number | null }
  | { type: 'estimate'; id: number }
  /** The push worker's SCHED_FIFO priority, set once the stream runs (the control thread's is known then). */
  | { type: 'priority'; value: number };

const d = workerData as MetricsWorkerData;
if ((d.realtimePriority ?? 0) > 0) loadJackAddon().setRealtime(d.realtimePriority ?? 0, 'rig-metrics');
const input = new SignalRing(d.input);
const output = new SignalRing(d.output);

if (d.role === 'rt60') {
  parentPort?.on('message', (m: MetricsWorkerMessage) => {
    if (m.type !== 'estimate') return;
    const v = computeLiveMetrics(input, output, d.sampleRate, 100, true).rt60_estimate;
    parentPort?.postMessage({ id: m.id, value: v ?? null });
  });
} else {
  const sockets: { udp4?: Socket; udp6?: Socket } = {};
  const socketFor = (address: string): Socket => {
    const kind = address.includes(':') ? 'udp6' : 'udp4';
    let s = sockets[kind];
    if (!s) {
      s = createSocket(kind);
      s.on('error', () => {}); // a client that went away: the next push tries again
      sockets[kind] = s;
    }
    return s;
  };
  const subs = new Map<string, { address: string; port: number; intervalMs: number; nextMs: number; timer: NodeJS.Timeout | undefined }>();
  let rt60: number | null = null;
  const push = (key: string) => {
    const s = subs.get(key);
    if (!s) return;
    const now = performance.now();
    do s.nextMs += s.intervalMs; while (s.nextMs <= now);
    s.timer = setTimeout(() => push(key), s.nextMs - now);
    const m = computeLiveMetrics(input, output, d.sampleRate, s.intervalMs, false);
    if (rt60 !== null) m.rt60_estimate = rt60;
    const packets: OscMessage[] = Object.entries(m).map(([name, v]) => ({ address: `/${d.engine}/metrics/${name}`, args: [{ type: 'f', value: v }] }));
    socketFor(s.address).send(writeOscPacket({ timeTag: { raw: [0, 1] }, packets }), s.port, s.address);
  };
  parentPort?.on('message', (m: MetricsWorkerMessage) => {
    if (m.type === 'rt60') rt60 = m.value;
    else if (m.type === 'priority') loadJackAddon().setRealtime(m.value, 'rig-metrics');
    else if (m.type === 'unsubscribe') {
      clearTimeout(subs.get(m.key)?.timer);
      subs.delete(m.key);
    } else if (m.type === 'subscribe') {
      clearTimeout(subs.get(m.key)?.timer);
      const s = { address: m.address, port: m.port, intervalMs: m.intervalMs, nextMs: performance.now() + m.intervalMs, timer: undefined as NodeJS.Timeout | undefined };
      subs.set(m.key, s);
      s.timer = setTimeout(() => push(m.key), m.intervalMs);
    }
  });
  // Compiled before the first push is due.
  computeLiveMetrics(input, output, d.sampleRate, 200, false);
}
parentPort?.postMessage(METRICS_WORKER_READY);
