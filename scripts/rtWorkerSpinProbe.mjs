/**
 * Does a Node worker thread at SCHED_FIFO stall inside its own loop? One worker per CPU takes SCHED_FIFO 2 (the JACK
 * addon's setRealtime), they meet at a barrier, and each spins 30 ms reading CLOCK_MONOTONIC through the addon into a
 * typed array (no allocation), noting its longest gap between two reads and when it came. Run it beside busy loops,
 * with the V8 flags to compare (they are the process's, so give them to node):
 *
 *   for i in 1 2 3; do (timeout 60 sh -c 'while :; do :; done' &); done
 *   node --single-threaded-gc scripts/rtWorkerSpinProbe.mjs            # 3 of 8 runs: 16–31 ms about 0.3 ms in
 *   node --single-threaded-gc --no-concurrent-osr scripts/rtWorkerSpinProbe.mjs   # 16 of 16: 2.0–2.4 ms about 2.5 ms in
 *
 * (session 22, 6 Dec 2026, this 2-core VM; the figures and what they mean for the render worker: src/host/README.md).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const addonPath = fileURLToPath(new URL('../src/host/jack/build/Release/jackClient.node', import.meta.url));
const cores = availableParallelism();
const ready = new Int32Array(new SharedArrayBuffer(4));
const spin = `const { workerData: d, parentPort } = require('node:worker_threads');
  const a = require(d.path); const ok = a.setRealtime(2) === 0;
  Atomics.add(d.ready, 0, 1); while (Atomics.load(d.ready, 0) < d.cores) {}
  const t = new Float64Array(1); a.monotonicNowMs(t); const t0 = t[0]; const end = t0 + d.ms;
  let prev = t0, gap = 0, gapAt = 0;
  while (t[0] < end) { a.monotonicNowMs(t); if (t[0] - prev > gap) { gap = t[0] - prev; gapAt = prev - t0; } prev = t[0]; }
  a.setRealtime(0); parentPort.postMessage({ ok, gap, gapAt });`;
const results = await Promise.all(Array.from({ length: cores }, () => new Promise((resolve, reject) => {
  new Worker(spin, { eval: true, workerData: { path: addonPath, ready, cores, ms: 30 } }).once('message', resolve).once('error', reject);
})));
if (!results.every((r) => r.ok)) console.log('real-time priority not permitted here: the spinners ran at normal priority');
console.log(results.map((r, k) => `worker ${k}: longest gap ${r.gap.toFixed(2)} ms, ${r.gapAt.toFixed(2)} ms into the spin`).join('; '));
