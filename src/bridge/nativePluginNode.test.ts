import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeServer } from './bridgeServer.ts';

/**
 * NativePluginNode in Chromium on the bridge's own page (cross-origin isolated): an oscillator through
 * the bridge's reverb and back, for 3 s of a real-time AudioContext. Every quantum is accounted for —
 * sent, played from a reply, or played as counted silence — and the output is the processed signal.
 */
const CHROMIUM = '/usr/bin/chromium';
const SECONDS = 3;

interface PageResult {
  isolated: boolean;
  counts: Record<string, number>;
  roundTrip: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  peak: number;
  latencyQuanta: number;
}

/** Runs in the page: plain JavaScript text, so neither vite nor tsx rewrites its dynamic import. */
const PLAY_THROUGH_BRIDGE = `async ({ wsUrl, seconds, latencyQuanta }) => {
  const { NativePluginNode } = await import(location.origin + '/native/nativePluginNode.js');
  const context = new AudioContext({ sampleRate: 48000 });
  await context.resume();
  const node = await NativePluginNode.create(context, { wsUrl, engine: 'reverb', preset: 'small-room', latencyQuanta });
  const osc = context.createOscillator();
  const analyser = context.createAnalyser();
  osc.connect(node);
  node.connect(analyser);
  analyser.connect(context.destination);
  osc.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const data = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(data);
  const peak = data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const roundTrip = await node.roundTrip();
  const counts = node.counts();
  node.close();
  await context.close();
  return { isolated: crossOriginIsolated, counts, roundTrip, peak, latencyQuanta: node.latencyQuanta };
}`;

describe.skipIf(!existsSync(CHROMIUM))('NativePluginNode in Chromium', () => {
  let bridge: BridgeServer;
  let browser: Browser;
  beforeAll(async () => {
    bridge = new BridgeServer({ port: 0, log: () => {} });
    await bridge.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
  });

  it(`plays an oscillator through the bridge's reverb for ${SECONDS} s with a fixed latency, every quantum accounted for`, async () => {
    const page = await browser.newPage();
    await page.goto(bridge.url);
    const r = (await page.evaluate(`(${PLAY_THROUGH_BRIDGE})(${JSON.stringify({ wsUrl: bridge.wsUrl, seconds: SECONDS, latencyQuanta: 4 })})`)) as PageResult;
    const c = r.counts;
    console.info(`NativePluginNode: ${JSON.stringify(c)} round trip ${JSON.stringify(r.roundTrip)} peak ${r.peak}`);
    expect(r.isolated).toBe(true);
    expect(c.quanta).toBeGreaterThan(0.5 * (SECONDS * 48000) / 128);
    expect(c.sent + c.inputDropped).toBe(c.quanta);
    // Counters are read while the context runs: allow the quanta of one read's worth of drift.
    expect(Math.abs(c.played + c.missing - (c.quanta - r.latencyQuanta))).toBeLessThanOrEqual(2);
    expect(c.played).toBeGreaterThan(0.5 * c.quanta);
    expect(r.roundTrip.count).toBeGreaterThan(0.5 * c.quanta);
    expect(r.peak).toBeGreaterThan(0.05);
    await page.close();
  });
});
