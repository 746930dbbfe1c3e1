import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeServer } from './bridgeServer.ts';

/**
 * The bridge from a real browser (Debian's Chromium): its own page connects without the token, lists
 * the engines and warns about the sandbox; a page from another origin cannot open the WebSocket at all,
 * and a page from an allowed origin needs the token.
 */
const CHROMIUM = '/usr/bin/chromium';
const TOKEN = 'page-token';

describe.skipIf(!existsSync(CHROMIUM))('the bridge in Chromium', () => {
  let bridge: BridgeServer;
  let browser: Browser;
  let other: ReturnType<typeof createServer>;
  let otherOrigin: string;
  /**
   * The bridge's own page, opened once: the first test reads what it shows, the second plays through it, the
   * third navigates it to the other origins (a page of its own per test was another browser context and page
   * load, ~1 s of CPU each).
   */
  let ownPage: Page;
  beforeAll(async () => {
    other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another site</title>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    bridge = new BridgeServer({ port: 0, token: TOKEN, allowOrigins: [`http://localhost:${(other.address() as AddressInfo).port}`], log: () => {} });
    await bridge.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
    ownPage = await browser.newPage();
    await ownPage.goto(bridge.url);
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.stop();
    other?.close();
  });

  it("its own page connects without the token, lists the engines and the sandbox warning", async () => {
    const page = ownPage;
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^running, bridge \d/);
    await expect.poll(() => page.locator('#engines').textContent(), { timeout: 20_000 }).toMatch(/reverb.*wetDry/s);
    expect(await page.locator('.warn').textContent()).toMatch(/outside the browser's sandbox/);
  });

  it('Native: plays a test tone through the chosen engine, one slider per parameter from its metadata, a slider move reaching the bridge', async () => {
    const page = ownPage;
    await expect.poll(() => page.locator('#native-play').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.selectOption('#native-engine', 'reverb');
    await page.click('#native-play');
    const wet = page.locator('input[data-param="wetDry"]');
    await expect.poll(() => wet.count(), { timeout: 20_000 }).toBe(1);
    expect([await wet.getAttribute('min'), await wet.getAttribute('max'), await wet.inputValue()]).toEqual(['0', '1', '0.3']);
    expect(await page.locator('input[data-param="rt60Seconds"]').getAttribute('max')).toBe('30');
    await expect.poll(async () => Number(/played (\d+)/.exec((await page.locator('#native-counts').textContent()) ?? '')?.[1] ?? 0), { timeout: 20_000 }).toBeGreaterThan(50);
    const before = bridge.stats().paramsSet ?? 0;
    await wet.fill('0.9');
    await expect.poll(() => bridge.stats().paramsSet ?? 0, { timeout: 20_000 }).toBe(before + 1);
    await page.click('#native-stop');
  });

  it('a page from another origin cannot open the WebSocket; an allowed origin can, and still needs the token', async () => {
    // The bridge's page, navigated to each origin in turn: each attempt is a WebSocket of its own, opened by a
    // document of that origin (the Origin header is the document's), so they need no page each, nor a page
    // of their own (a new page is a browser context and a renderer: ~0.5 s of CPU).
    const page = ownPage;
    const attempt = async (origin: string, token?: string) => {
      if (new URL(page.url()).origin !== origin) await page.goto(origin);
      return page.evaluate(async ({ url, token }) => new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onerror = () => resolve('refused');
        ws.onopen = () => ws.send(JSON.stringify({ type: 'HELLO', protocol: 'studio-rig-bridge', version: 1, token }));
        ws.onmessage = (e) => { resolve(JSON.parse(e.data).type === 'WELCOME' ? 'welcome' : JSON.parse(e.data).code); ws.close(); };
      }), { url: bridge.wsUrl, token });
    };
    const before = bridge.stats().origin ?? 0;
    expect(await attempt(otherOrigin, TOKEN)).toBe('refused');
    expect(bridge.stats().origin).toBe(before + 1);
    const allowed = otherOrigin.replace('127.0.0.1', 'localhost');
    expect(await attempt(allowed)).toBe('token-required');
    expect(await attempt(allowed, TOKEN)).toBe('welcome');
  });
});
