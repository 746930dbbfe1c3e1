/**
 * The worker of NativePluginNode that holds the bridge's WebSocket: greets the bridge, loads the engine,
 * then sends every quantum the processor puts in the input ring as a chunk (its quantum index as the
 * sequence number) and puts every reply in the output ring. Sleeps on the input ring's write counter
 * (Atomics.waitAsync, which the processor notifies) — it never polls. Keeps the last RTT_KEPT round
 * trips (send → reply, performance.now()) for `roundTrip`.
 */
import { SpscRing } from '../../dsp/spscRing.ts';
import { type FromNativeWorker, NativeCounter, QUANTUM_FRAMES, type ToNativeWorker } from './nativePluginShared.ts';

const RTT_KEPT = 16_384;
const scope = globalThis as unknown as { onmessage: ((e: { data: ToNativeWorker }) => void) | null; postMessage(m: FromNativeWorker): void };

let ws: WebSocket | undefined;
let instance = 0;
let inputChannels = 0;
let outputChannels = 0;
/** Per sequence (modulo TRACE_KEPT), epoch ms (performance.timeOrigin + performance.now()): input taken from the ring, chunk sent, reply received. */
const TRACE_KEPT = 4096;
const takenAt = new Float64Array(TRACE_KEPT);
const sentAt = new Float64Array(TRACE_KEPT);
const repliedAt = new Float64Array(TRACE_KEPT).fill(Number.NaN);
let lastSequence = -1;
const epochMs = () => performance.timeOrigin + performance.now();
const rtts = new Float64Array(RTT_KEPT);
let rttCount = 0;
let stopped = false;

function reply(type: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    (ws as WebSocket).onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      const m = JSON.parse(e.data) as Record<string, unknown>;
      if (m.type === type) resolve(m);
      else reject(new Error(`the bridge answered ${String(m.type)}: ${String(m.message ?? '')}`));
    };
  });
}

async function load(m: Extract<ToNativeWorker, { type: 'load' }>): Promise<void> {
  ws = new WebSocket(m.wsUrl);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    (ws as WebSocket).onopen = resolve;
    (ws as WebSocket).onerror = () => reject(new Error(`the bridge at ${m.wsUrl} did not answer (is \`rig bridge\` running?)`));
  });
  ws.send(JSON.stringify({ type: 'HELLO', protocol: 'studio-rig-bridge', version: 1, token: m.token }));
  await reply('WELCOME');
  ws.send(JSON.stringify({ type: 'LOAD_PLUGIN', engine: m.engine, preset: m.preset, params: m.params, sampleRate: m.sampleRate, channels: m.channels }));
  const loaded = await reply('LOADED');
  instance = loaded.instance as number;
  inputChannels = m.channels;
  outputChannels = loaded.numOutputs as number;
  scope.postMessage({ type: 'loaded', instance, numInputs: loaded.numInputs as number, numOutputs: outputChannels, paramNames: loaded.paramNames as string[] });
}

function start(m: Extract<ToNativeWorker, { type: 'start' }>): void {
  const inRing = new SpscRing(m.inRing);
  const outRing = new SpscRing(m.outRing);
  const counters = new Int32Array(m.counters);
  const socket = ws as WebSocket;
  const outRecord = new Float32Array(1 + outputChannels * QUANTUM_FRAMES);
  socket.onmessage = (e) => {
    if (typeof e.data === 'string') {
      if ((JSON.parse(e.data) as { type?: string }).type === 'ERROR') Atomics.add(counters, NativeCounter.bridgeErrors, 1);
      return;
    }
    const view = new DataView(e.data as ArrayBuffer);
    const sequence = view.getUint32(4, true);
    const now = epochMs();
    repliedAt[sequence % TRACE_KEPT] = now;
    rtts[rttCount++ % RTT_KEPT] = now - sentAt[sequence % TRACE_KEPT];
    outRecord[0] = sequence;
    outRecord.set(new Float32Array(e.data as ArrayBuffer, 16, outputChannels * QUANTUM_FRAMES), 1);
    if (!outRing.push(outRecord)) Atomics.add(counters, NativeCounter.outputDropped, 1);
  };
  const header = new Int32Array(m.inRing, 0, 1);
  const record = new Float32Array(1 + inputChannels * QUANTUM_FRAMES);
  const pump = async () => {
    while (!stopped) {
      const seen = Atomics.load(header, 0);
      while (inRing.pop(record)) {
        const sequence = record[0];
        takenAt[sequence % TRACE_KEPT] = epochMs();
        repliedAt[sequence % TRACE_KEPT] = Number.NaN;
        lastSequence = sequence;
        const bytes = new ArrayBuffer(16 + inputChannels * QUANTUM_FRAMES * 4);
        const h = new DataView(bytes);
        h.setUint32(0, instance, true);
        h.setUint32(4, sequence, true);
        h.setUint16(8, QUANTUM_FRAMES, true);
        h.setUint16(10, inputChannels, true);
        new Float32Array(bytes, 16).set(record.subarray(1));
        sentAt[sequence % TRACE_KEPT] = epochMs();
        socket.send(bytes);
      }
      const wait = Atomics.waitAsync(header, 0, seen, 1000);
      if (wait.async) await wait.value;
    }
  };
  void pump();
}

function roundTrip(): FromNativeWorker {
  const n = Math.min(rttCount, RTT_KEPT);
  const sorted = Array.from(rtts.subarray(0, n)).sort((a, b) => a - b);
  const q = (p: number) => (n ? sorted[Math.min(n - 1, Math.floor(p * n))] : Number.NaN);
  return { type: 'roundTrip', count: rttCount, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: n ? sorted[n - 1] : Number.NaN };
}

/** The last TRACE_KEPT quanta's times (epoch ms; repliedMs NaN: no reply yet or none). */
function trace(): FromNativeWorker {
  const first = Math.max(0, lastSequence - TRACE_KEPT + 1);
  const t: Extract<FromNativeWorker, { type: 'trace' }> = { type: 'trace', sequence: [], takenMs: [], sentMs: [], repliedMs: [] };
  for (let s = first; s <= lastSequence; s++) {
    t.sequence.push(s);
    t.takenMs.push(takenAt[s % TRACE_KEPT]);
    t.sentMs.push(sentAt[s % TRACE_KEPT]);
    t.repliedMs.push(repliedAt[s % TRACE_KEPT]);
  }
  return t;
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'load') load(m).catch((err: Error) => scope.postMessage({ type: 'error', message: err.message }));
  else if (m.type === 'start') start(m);
  else if (m.type === 'setParam') ws?.send(JSON.stringify({ type: 'SET_PARAM', instance, name: m.name, value: m.value }));
  else if (m.type === 'roundTrip') scope.postMessage(roundTrip());
  else if (m.type === 'trace') scope.postMessage(trace());
  else if (m.type === 'close') {
    stopped = true;
    ws?.close();
  }
};
