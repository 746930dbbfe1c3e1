import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeServer } from './bridgeServer.ts';
import { playThroughBridge } from './nativePlayScript.ts';

/**
 * NativePluginNode in Chromium on the bridge's own page (cross-origin isolated): an oscillator through
 * the bridge's reverb and back, for 3 s of a real-time AudioContext. Every quantum is accounted for —
 * sent, played from a reply, or played as counted silence — and the output is the processed signal.
 */
const CHROMIUM = '/usr/bin/chromium';
const SECONDS = 3;

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
    const r = await playThroughBridge(page, { wsUrl: bridge.wsUrl, seconds: SECONDS, latencyQuanta: 4 });
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
