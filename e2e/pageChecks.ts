import type { Page } from '@playwright/test';
import { fmt, valueAtPath } from '../hil/report/html.ts';

/** One `[data-figure]` element as the page shows it, and the JSON file (relative to the page) it refers to. */
export interface ShownFigure {
  path: string;
  digits: number;
  text: string;
  jsonUrl: string;
}

export interface FigureMismatch extends ShownFigure {
  expected: string;
}

/** Reads every figure on the page; its JSON is the nearest `[data-json]` ancestor's, else report.json beside the page. */
export async function shownFigures(page: Page): Promise<ShownFigure[]> {
  return page.$$eval('[data-figure]', (elements) =>
    elements.map((e) => ({
      path: e.getAttribute('data-figure') ?? '',
      digits: Number(e.getAttribute('data-digits')),
      text: e.textContent ?? '',
      jsonUrl: new URL(e.closest('[data-json]')?.getAttribute('data-json') ?? 'report.json', document.baseURI).href,
    })),
  );
}

/** Figures whose text differs from the JSON value at their path formatted with their digits (the reports' own `fmt`). */
export async function figureMismatches(figures: ShownFigure[], loadJson: (url: string) => Promise<unknown>): Promise<FigureMismatch[]> {
  const cache = new Map<string, Promise<unknown>>();
  const mismatches: FigureMismatch[] = [];
  for (const f of figures) {
    if (!cache.has(f.jsonUrl)) cache.set(f.jsonUrl, loadJson(f.jsonUrl));
    const value = valueAtPath(await cache.get(f.jsonUrl), f.path);
    const expected = typeof value === 'number' || value === null ? fmt(value as number | null, f.digits) : `<no number at ${f.path}: ${JSON.stringify(value)}>`;
    if (f.text !== expected) mismatches.push({ ...f, expected });
  }
  return mismatches;
}

/** Every picture (top-level SVG, IMG) with its rendered size; an IMG also needs decoded pixels. */
export async function pictureSizes(page: Page): Promise<{ tag: string; index: number; width: number; height: number; decoded: boolean }[]> {
  return page.$$eval('svg, img', (elements) =>
    elements
      .filter((e) => e.tagName.toLowerCase() === 'img' || !e.parentElement?.closest('svg'))
      .map((e, index) => {
        const box = e.getBoundingClientRect();
        const decoded = e instanceof HTMLImageElement ? e.complete && e.naturalWidth > 0 : true;
        return { tag: e.tagName.toLowerCase(), index, width: box.width, height: box.height, decoded };
      }),
  );
}

/**
 * Watches a page from before it loads: console errors, uncaught page errors, and every request. Requests
 * to any origin other than the report server are recorded and aborted (so nothing leaves the machine).
 */
export async function watchPage(page: Page, allowedOrigin: string): Promise<{ consoleErrors: string[]; requests: string[]; foreignRequests: string[] }> {
  const watch = { consoleErrors: [] as string[], requests: [] as string[], foreignRequests: [] as string[] };
  page.on('console', (msg) => { if (msg.type() === 'error') watch.consoleErrors.push(msg.text()); });
  page.on('pageerror', (error) => watch.consoleErrors.push(`page error: ${error.message}`));
  page.on('request', (request) => watch.requests.push(request.url()));
  await page.context().route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || new URL(url).origin === allowedOrigin) return route.continue();
    watch.foreignRequests.push(url);
    return route.abort('blockedbyclient');
  });
  return watch;
}
