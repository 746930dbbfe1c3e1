import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { DEFAULT_OUT_DIR, ensurePageBuilt } from '../src/browser/devServer/buildPage.ts';
import { type DevServer, type DevServerOptions, startDevServer } from '../src/browser/devServer/devServer.ts';

/**
 * Builds the page when stale (once per worker), then starts a dev server on `port` (0 = any), its saved presets in a
 * temporary folder that its close() removes.
 */
export async function devServer(port = 0, extra: Partial<DevServerOptions> = {}): Promise<DevServer> {
  await ensurePageBuilt(DEFAULT_OUT_DIR);
  const userPresetsDir = mkdtempSync(join(tmpdir(), 'e2e-presets-'));
  const server = await startDevServer({ port, userPresetsDir, log: () => {}, ...extra });
  const close = server.close.bind(server);
  return Object.assign(server, { close: async () => { await close(); rmSync(userPresetsDir, { recursive: true, force: true }); } });
}

/** Attaches a full-page screenshot to the Playwright report. */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}
