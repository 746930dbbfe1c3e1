import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { CHUNK_FRAMES } from './protocol.ts';

const PERIOD_MS = (CHUNK_FRAMES / 48000) * 1000;

/**
 * A page's round trips through the bridge, measured in Debian's Chromium: a page (or its worker) opens
 * the bridge's WebSocket as a web app's code would, greets (with the pairing token), loads the stereo
 * reverb and sends 128-frame chunks paced at `periodMs` (after `warmUp` unpaced ones), one in flight,
 * timing each send and reply on the epoch clock (performance.timeOrigin + performance.now(), which the
 * bridge can read too: chromiumHopsProbe.ts). Where the page holds the socket and how it waits for the
 * next chunk's due time:
 * - main-timer: the page's main thread, sleeping with setTimeout;
 * - worker-wait: a dedicated Worker (as NativePluginNode holds the socket), sleeping with Atomics.wait;
 * - worker-timer: a dedicated Worker, sleeping with setTimeout;
 * - main-spin: the page's main thread, yielding through a MessageChannel until the due time — a busy
 *   wait, how bridge_round_trip_chromium measured before 05 Dec: the reply's task then waits behind the
 *   page's own yields (bridge → page p99 4–5 ms more than main-timer with Chromium at real-time
 *   priority, where nothing else waits: chromiumHopsProbe.ts). Kept to show that, not to measure with.
 * The page is served by serveRoundTripSite (another origin than the bridge's, whose CSP allows only its
 * own workers): the bridge must allow its origin (`--allow-origin`). The scripts are plain JavaScript
 * text, serialised into the page (neither tsx nor vite rewrites them).
 */
export const PAGE_VARIANTS = ['main-timer', 'worker-wait', 'worker-timer', 'main-spin'] as const;
export type PageVariant = (typeof PAGE_VARIANTS)[number];

/** Per paced chunk: its sequence number, and when it was sent and its reply received (epoch ms). */
export interface PageRoundTrips {
  sequence: number[];
  sentMs: number[];
  receivedMs: number[];
}

/** `roundTrips(o, sleepUntil)`: connect, load the reverb, warm up, then `chunks` paced round trips. */
const CORE = `
const epochMs = () => performance.timeOrigin + performance.now();
async function roundTrips(o, sleepUntil) {
  const ws = new WebSocket(o.wsUrl);
  ws.binaryType = 'arraybuffer';
  const texts = [];
  let onText, onChunk;
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') { texts.push(JSON.parse(e.data)); onText && onText(); }
    else onChunk && onChunk(new DataView(e.data).getUint32(4, true));
  };
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('the WebSocket did not open')); });
  const reply = (type) => new Promise((resolve, reject) => {
    onText = () => { const m = texts.shift(); if (m.type === type) resolve(m); else reject(new Error('expected ' + type + ', got ' + JSON.stringify(m))); };
  });
  ws.send(JSON.stringify({ type: 'HELLO', protocol: 'studio-rig-bridge', version: 1, token: o.token }));
  await reply('WELCOME');
  ws.send(JSON.stringify({ type: 'LOAD_PLUGIN', engine: 'reverb', sampleRate: 48000, channels: 2 }));
  const instance = (await reply('LOADED')).instance;
  const frames = 128;
  const bytes = new ArrayBuffer(16 + 2 * frames * 4);
  const header = new DataView(bytes);
  const samples = new Float32Array(bytes, 16);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.1 * Math.sin(i * 0.07);
  header.setUint32(0, instance, true);
  header.setUint16(8, frames, true);
  header.setUint16(10, 2, true);
  let sequence = 0;
  const once = () => new Promise((resolve) => {
    const want = sequence;
    onChunk = (s) => { if (s === want) resolve(epochMs()); };
    header.setUint32(4, sequence++, true);
    ws.send(bytes);
  });
  for (let k = 0; k < o.warmUp; k++) await once();
  const out = { sequence: [], sentMs: [], receivedMs: [] };
  const t0 = performance.now();
  for (let k = 0; k < o.chunks; k++) {
    await sleepUntil(t0 + k * o.periodMs);
    out.sequence.push(sequence);
    out.sentMs.push(epochMs());
    out.receivedMs.push(await once());
  }
  ws.close();
  return out;
}
const timerSleep = (t) => new Promise((resolve) => { const ahead = t - performance.now(); if (ahead > 0) setTimeout(resolve, ahead); else resolve(); });
`;

const WORKER = `${CORE}
const cell = new Int32Array(new SharedArrayBuffer(4));
const waitSleep = async (t) => { const ahead = t - performance.now(); if (ahead > 0) Atomics.wait(cell, 0, 0, ahead); };
postMessage('ready');
onmessage = async (e) => postMessage(await roundTrips(e.data, e.data.mode === 'wait' ? waitSleep : timerSleep));
`;

const WORKER_PATH = '/roundTripWorker.js';

/**
 * The measuring page and its worker on 127.0.0.1 (a free port), cross-origin isolated (Atomics.wait
 * needs a SharedArrayBuffer). Its `origin` is the one to allow on the bridge.
 */
export async function serveRoundTripSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin', 'cache-control': 'no-store' };
  const server = createServer((req, res) => {
    if (req.url === WORKER_PATH) res.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(WORKER);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end('<!doctype html><title>bridge probe</title>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

const PAGE = `async (o) => {
  ${CORE}
  if (o.variant === 'main-spin') {
    const channel = new MessageChannel();
    let yielded;
    channel.port1.onmessage = () => yielded();
    const spin = async (t) => { while (performance.now() < t) await new Promise((r) => { yielded = r; channel.port2.postMessage(0); }); };
    return roundTrips(o, spin);
  }
  if (o.variant === 'main-timer') return roundTrips(o, timerSleep);
  const worker = globalThis.probeWorker;
  const result = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => resolve(e.data);
    worker.onerror = (e) => reject(new Error('the worker failed: ' + (e.message || 'no message')));
    worker.postMessage({ ...o, mode: o.variant === 'worker-wait' ? 'wait' : 'timer' }); });
  worker.terminate();
  return result;
}`;

/** Runs one variant in `page`, which shows serveRoundTripSite's page; `chunks` paced at 48 kHz after 1000 unpaced. */
export async function pageRoundTrips(page: Page, variant: PageVariant, o: { wsUrl: string; token: string; chunks: number }): Promise<PageRoundTrips> {
  if (variant.startsWith('worker')) {
    await page.evaluate(`new Promise((resolve, reject) => {
      const worker = new Worker(location.origin + '${WORKER_PATH}');
      globalThis.probeWorker = worker;
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = () => reject(new Error('the worker did not start'));
    })`);
  }
  const args = { variant, wsUrl: o.wsUrl, token: o.token, chunks: o.chunks, warmUp: 1000, periodMs: PERIOD_MS };
  const evaluation = page.evaluate(`(${PAGE})(${JSON.stringify(args)})`) as Promise<PageRoundTrips>;
  // A page that never answers (a worker that did not start) must not hang the benchmark.
  const limitMs = 2 * o.chunks * PERIOD_MS + 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${variant}: no result within ${limitMs} ms`)), limitMs); });
  try {
    return await Promise.race([evaluation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

