import { test as base, type Page } from '@playwright/test';
import { DEFAULT_BROWSER_OUT_DIR, ensureBrowserBuild } from '../scripts/build-browser.mjs';
import { serveDirectory } from './staticServer.ts';

export interface WorkletPage {
  /** http://127.0.0.1:<port> serving dist/browser (the bundled engines and the page modules). */
  url: string;
  /** One page for the worker, on blank.html; tests import /engineNode.js into it. */
  page: Page;
  /** Console errors and failed requests seen on the page so far. */
  consoleErrors: string[];
  /** Requests the page made to anywhere but the server (must stay empty: nothing leaves localhost). */
  foreignRequests: string[];
}

/**
 * The worklet specs' shared, worker-scoped page: the browser bundle is rebuilt when a source changed
 * (scripts/build-browser.mjs), served over http from 127.0.0.1 (an AudioWorklet needs a secure
 * context: localhost is one), and one page is opened for every test of the worker.
 */
export const test = base.extend<object, { worklet: WorkletPage }>({
  worklet: [
    async ({ browser }, use) => {
      await ensureBrowserBuild();
      const server = await serveDirectory(DEFAULT_BROWSER_OUT_DIR);
      const page = await browser.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      const foreignRequests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(`${server.url}/`) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
      });
      await page.goto(`${server.url}/blank.html`);
      await use({ url: server.url, page, consoleErrors, foreignRequests });
      await page.close();
      await server.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

export { expect } from '@playwright/test';

/** Float32 channels ⇄ base64 (little-endian), to move audio in and out of page.evaluate cheaply. */
export const toBase64 = (x: Float32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
export const fromBase64 = (text: string) => {
  const b = Buffer.from(text, 'base64');
  const out = new Float32Array(b.length / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
};
