/**
 * Where a page's round trip through the bridge goes, hop by hop (a probe, not a test or a benchmark):
 *
 *   node --import tsx src/bridge/chromiumHopsProbe.ts [--seconds 10] [--repeat n] [--variant main-timer …]
 *       [--native <latencyQuanta> …] [--chromium-rr <priority>] [--chromium-arg <flag> …]
 *
 * Runs a BridgeServer in this process at real-time priority, as `rig bridge` does (main thread SCHED_RR 6,
 * instances SCHED_RR 5 where permitted), its connections patched to timestamp each chunk's arrival and
 * the moment its reply is written, on the epoch clock (performance.timeOrigin + performance.now()) the
 * page reads too; and Debian's Chromium, at normal scheduling unless `--chromium-rr`.
 * - `--variant` (default: all of pageRoundTrip.ts's): paced round trips from a page's main thread or a
 *   dedicated worker; per chunk page → bridge (the page's thread, Chromium's network service, the
 *   kernel), the bridge (arrival → reply written), bridge → page, p50/p99/max. The two clocks are aligned
 *   by the minimum one-way delays (NTP's assumption: the fastest trip up takes as long as the fastest
 *   trip down), so the split between up and down is good to ~0.1 ms; the round trip is exact.
 * - `--native N|default` (`--latency-hint` for the AudioContext): NativePluginNode at N quanta of declared
 *   latency or its default (nativePlayScript.ts, its trace()):
 *   how the worker takes the quanta (per wake-up: the audio thread renders one callback's quanta back to
 *   back), worker → bridge → worker, and each reply's slack before its quantum is played.
 * - `--raise-process network|renderer|audio|browser` (repeatable): every thread of those Chromium
 *   processes raised to SCHED_RR 4 once the page is loaded (threads started later, such as a page's
 *   worker, inherit it), to see whose waiting the round trip's tail is.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { BridgeConnection } from './bridgeConnection.ts';
import { BridgeServer } from './bridgeServer.ts';
import { describeRealtime, releaseRealtime, requestRealtime } from './realtimePriority.ts';
import { type NativePlayResult, playThroughBridge, silentFractionByLatency } from './nativePlayScript.ts';
import { PAGE_VARIANTS, type PageVariant, pageRoundTrips, serveRoundTripSite } from './pageRoundTrip.ts';

const epochMs = () => performance.timeOrigin + performance.now();

/** Arrival and send times at the bridge, by sequence number (one stream at a time). */
const arrivedAt = new Map<number, number>();
const repliedAt = new Map<number, number>();

function instrument(): void {
  const proto = BridgeConnection.prototype as unknown as {
    onChunk(data: Buffer): void;
    output(id: number, sequence: number, frames: number, samples: Float32Array): void;
  };
  const onChunk = proto.onChunk;
  proto.onChunk = function (this: unknown, data: Buffer) {
    if (data.length >= 8) arrivedAt.set(data.readUInt32LE(4), epochMs());
    onChunk.call(this, data);
  };
  const output = proto.output;
  proto.output = function (this: unknown, id, sequence, frames, samples) {
    output.call(this, id, sequence, frames, samples);
    repliedAt.set(sequence, epochMs());
  };
}

/**
 * Chromium's processes of one kind, by their command line: `network` (the network service), `renderer`,
 * `audio` (the audio service), `browser` (no --type). Linux /proc.
 */
function chromiumProcesses(kind: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.startsWith('/usr/lib/chromium/chromium')) continue;
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
    const sub = /--utility-sub-type=([\w.]+)/.exec(cmd)?.[1] ?? '';
    const k = type === undefined ? 'browser' : type === 'utility' ? (sub.includes('Network') ? 'network' : sub.includes('audio') ? 'audio' : sub) : type;
    if (k === kind) pids.push(Number(d));
  }
  return pids;
}

/** Every thread of Chromium's processes of each kind to SCHED_RR `priority` (util-linux chrt -a). */
function raiseChromium(kinds: readonly string[], priority: number): string {
  const done: string[] = [];
  for (const kind of kinds) {
    for (const pid of chromiumProcesses(kind)) {
      execFileSync('chrt', ['-a', '--rr', '-p', String(priority), String(pid)]);
      done.push(`${kind} ${pid}`);
    }
  }
  return done.join(', ');
}

const q = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${q(s, 0.5).toFixed(2)} p99 ${q(s, 0.99).toFixed(2)} max ${s[s.length - 1].toFixed(2)}`;
};

/**
 * Each chunk's hops from the page's send and reply times and the bridge's timestamps, the two clocks
 * aligned by the minimum one-way delays; printed as p50/p99/max lines.
 */
function printHops(sequence: number[], sentMs: number[], receivedMs: number[], labels: { up: string; down: string }): void {
  const up: number[] = [];
  const inBridge: number[] = [];
  const down: number[] = [];
  const rtt: number[] = [];
  for (let i = 0; i < sequence.length; i++) {
    const a = arrivedAt.get(sequence[i]);
    const b = repliedAt.get(sequence[i]);
    if (!Number.isFinite(receivedMs[i])) continue;
    rtt.push(receivedMs[i] - sentMs[i]);
    if (a === undefined || b === undefined) continue;
    up.push(a - sentMs[i]);
    inBridge.push(b - a);
    down.push(receivedMs[i] - b);
  }
  const offset = (Math.min(...up) - Math.min(...down)) / 2;
  console.log(`  round trip      ${stats(rtt)}`);
  console.log(`  ${labels.up.padEnd(15)} ${stats(up.map((x) => x - offset))}`);
  console.log(`  bridge          ${stats(inBridge)}`);
  console.log(`  ${labels.down.padEnd(15)} ${stats(down.map((x) => x + offset))}`);
}

/**
 * NativePluginNode's quanta: how the worker takes them from the ring (wake-ups, quanta per wake-up: the
 * audio thread renders a callback's worth of quanta back to back), the hops of each chunk, and each reply's
 * slack: the time from its arrival in the worker to the taking of the input `latencyQuanta` later (rendered
 * in the same process() call that plays this reply, so a negative slack is a quantum played as silence).
 */
function reportNative(latencyQuanta: number, r: NativePlayResult): void {
  const t = r.trace as NonNullable<NativePlayResult['trace']>;
  const wakes: number[] = [];
  const perWake: number[] = [];
  for (let i = 0; i < t.sequence.length; i++) {
    if (i > 0 && t.takenMs[i] - t.takenMs[i - 1] < 0.2) perWake[perWake.length - 1]++;
    else {
      if (i > 0) wakes.push(t.takenMs[i] - t.takenMs[i - 1]);
      perWake.push(1);
    }
  }
  const histogram = new Map<number, number>();
  for (const n of perWake) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  const taken: number[] = [];
  const slack: number[] = [];
  for (let i = 0; i < t.sequence.length; i++) {
    taken.push(t.sentMs[i] - t.takenMs[i]);
    if (i + latencyQuanta < t.sequence.length && Number.isFinite(t.repliedMs[i])) slack.push(t.takenMs[i + latencyQuanta] - t.repliedMs[i]);
  }
  const c = r.counts;
  console.log(`native ${latencyQuanta} quanta (${t.sequence.length} traced, load ${loadavg()[0].toFixed(2)}; baseLatency ${r.baseLatencyMs.toFixed(2)} ms, outputLatency ${r.outputLatencyMs.toFixed(2)} ms): quanta ${c.quanta} played ${c.played} missing ${c.missing} (${((100 * c.missing) / Math.max(1, c.quanta)).toFixed(2)} %) late ${c.lateDiscarded}`);
  console.log(`  quanta per wake ${[...histogram].sort((x, y) => x[0] - y[0]).map(([n, k]) => `${n}:${k}`).join(' ')}; between wakes ${stats(wakes)}`);
  console.log(`  worker take→send ${stats(taken)}`);
  printHops(t.sequence, t.sentMs, t.repliedMs, { up: 'send → bridge', down: 'bridge → worker' });
  console.log(`  slack           ${stats(slack)}; negative ${slack.filter((x) => x < 0).length} of ${slack.length}`);
  const silent = silentFractionByLatency(r, 16);
  console.log(`  silent at N     ${[2, 3, 4, 5, 6, 8, 12, 16].map((n) => `${n}: ${(100 * silent[n - 1]).toFixed(2)} %`).join(', ')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '10' },
    variant: { type: 'string', multiple: true },
    'chromium-arg': { type: 'string', multiple: true },
    repeat: { type: 'string', default: '1' },
    native: { type: 'string', multiple: true },
    'chromium-rr': { type: 'string' },
    'raise-process': { type: 'string', multiple: true },
    'latency-hint': { type: 'string' },
  } });
  const variants = (values.variant ?? (values.native ? [] : PAGE_VARIANTS)) as PageVariant[];
  const natives = (values.native ?? []).map((n) => (n === 'default' ? undefined : Number(n)));
  const hint = values['latency-hint'];
  const latencyHint = hint === undefined || Number.isNaN(Number(hint)) ? hint : Number(hint);
  instrument();
  // Chromium first: started after the bridge raised this thread, it would inherit SCHED_RR 6. With
  // --chromium-rr N it is started from this thread at SCHED_RR N, so every thread of it inherits that
  // (a user's browser would not run so; its audio threads raise themselves to SCHED_RR 8 either way).
  const chromiumRr = values['chromium-rr'] === undefined ? undefined : Number(values['chromium-rr']);
  if (chromiumRr !== undefined) console.log(`chromium launched at ${describeRealtime(await requestRealtime(chromiumRr))}`);
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required', ...(values['chromium-arg'] ?? [])] });
  if (chromiumRr !== undefined) await releaseRealtime();
  const site = await serveRoundTripSite();
  const bridge = new BridgeServer({ port: 0, realtime: true, allowOrigins: [site.origin], log: (line) => console.log('  bridge:', line) });
  await bridge.start();
  console.log(`bridge ${bridge.describeScheduling()}`);
  try {
    for (let r = 0; r < Number(values.repeat); r++) {
      for (const variant of variants) {
        arrivedAt.clear();
        repliedAt.clear();
        const page = await browser.newPage();
        page.on('console', (m) => console.log('  page:', m.text()));
        page.on('pageerror', (e) => console.log('  page error:', e.message));
        await page.goto(`${site.origin}/`);
        if (values['raise-process']) console.log(`  raised to SCHED_RR 4: ${raiseChromium(values['raise-process'], 4)}`);
        const t = await pageRoundTrips(page, variant, { wsUrl: bridge.wsUrl, token: bridge.token, chunks: Math.round((Number(values.seconds) * 48000) / 128) });
        await page.close();
        console.log(`${variant} (${t.sequence.length} chunks, load ${loadavg()[0].toFixed(2)})`);
        printHops(t.sequence, t.sentMs, t.receivedMs, { up: 'page → bridge', down: 'bridge → page' });
      }
      for (const latencyQuanta of natives) {
        arrivedAt.clear();
        repliedAt.clear();
        const page = await browser.newPage();
        await page.goto(bridge.url);
        if (values['raise-process']) console.log(`  raised to SCHED_RR 4: ${raiseChromium(values['raise-process'], 4)}`);
        const r = await playThroughBridge(page, { wsUrl: bridge.wsUrl, seconds: Number(values.seconds), latencyQuanta, trace: true, latencyHint });
        await page.close();
        reportNative(r.latencyQuanta, r);
      }
    }
  } finally {
    await browser.close();
    await bridge.stop();
    await site.close();
  }
}

await main();
