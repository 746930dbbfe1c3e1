import { existsSync } from 'node:fs';
import { type Browser, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeServer } from './bridgeServer.ts';
import { playThroughBridge } from './nativePlayScript.ts';

/**
 * NativePluginNode in Chromium on the bridge's own page (cross-origin isolated): an oscillator through
 * the bridge's reverb and back, for 1 s of a real-time AudioContext. Every quantum is accounted for —
 * sent, played from a reply, or played as counted silence — and replies do come back and play.
 * 1 s (375 quanta) passes the rings' length (RING_QUANTA, 256), so their indices wrap; the run was 3 s, a fixed
 * wait that was most of the file. At load 4–5, 1 s: 376–380 quanta, 229–366 played, 6–143 missing, every
 * assertion held (3 s: 82–213 missing); red, 11 quanta unaccounted, when the processor stops counting missing
 * quanta after its 64th.
 */
const CHROMIUM = '/usr/bin/chromium';
const SECONDS = 1;

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
    expect(r.isolated).toBe(true);
    expect(c.quanta).toBeGreaterThan(0.5 * (SECONDS * 48000) / 128);
    expect(c.sent + c.inputDropped).toBe(c.quanta);
    // Counters are read while the context runs: allow the quanta of one read's worth of drift.
    expect(Math.abs(c.played + c.missing - (c.quanta - r.latencyQuanta))).toBeLessThanOrEqual(2);
    // How many quanta come back in time depends on the machine's load (a benchmark's figure:
    // bridge_native_node_chromium); that audio does come back through the bridge does not.
    expect(c.played).toBeGreaterThan(0);
    expect(r.roundTrip.count).toBeGreaterThan(0);
    expect(c.outputDropped).toBe(0);
    // What the stream would have played as silence at its own latency is what it did (read in one task, a quantum apart at most).
    expect(Math.abs(r.silentByLatency[r.latencyQuanta] - c.missing)).toBeLessThanOrEqual(1);
    expect(r.silentByLatency[2]).toBeGreaterThanOrEqual(r.silentByLatency[r.latencyQuanta]);
    await page.close();
  });
});
