import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { CHART_CACHE_LIMIT_CHARS, chartCacheSize, renderVegaLiteSvg } from './renderVegaLite.ts';

const line = (values: { x: number; y: number | null }[], title = 'a line'): TopLevelSpec => ({
  title, width: 200, height: 80, data: { values }, mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
const points = (n: number, f = (i: number) => Math.sin(i / 7)) => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('renderVegaLiteSvg keeps the charts it drew, by their specification', () => {
  it('draws the same text for the same specification, kept or drawn again', async () => {
    const title = `drawn twice ${Math.random()}`; // a specification no other test drew in this worker
    const first = await renderVegaLiteSvg(line(points(300), title));
    const kept = chartCacheSize().charts;
    const again = renderVegaLiteSvg(line(points(300), title));
    expect(again).toBe(renderVegaLiteSvg(line(points(300), title))); // the drawing kept, not drawn again
    expect(await again).toBe(first);
    expect(chartCacheSize().charts).toBe(kept);
    expect(first).toContain(title);
  });

  it('draws a specification that differs in one value, or in a non-finite one JSON would make null, as its own chart', async () => {
    const title = `one value ${Math.random()}`;
    const a = await renderVegaLiteSvg(line(points(50), title));
    const b = await renderVegaLiteSvg(line(points(50, (i) => (i === 25 ? 5 : Math.sin(i / 7))), title));
    expect(b).not.toBe(a);
    // A text mark prints each value: null and NaN are different pictures.
    const labels = (y: number | null): TopLevelSpec => ({
      title, width: 200, height: 40, data: { values: [{ x: 1, y }] }, mark: 'text',
      encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'y', type: 'nominal' } },
    });
    const nulls = await renderVegaLiteSvg(labels(null));
    const nans = await renderVegaLiteSvg(labels(Number.NaN));
    expect(nans).not.toBe(nulls);
    expect(nans).toContain('NaN');
  });

  it('keeps no failure: an invalid specification is refused every time', async () => {
    const bad = { mark: 'no-such-mark', data: { values: [] } } as unknown as TopLevelSpec;
    await expect(renderVegaLiteSvg(bad)).rejects.toThrow();
    await expect(renderVegaLiteSvg(bad)).rejects.toThrow();
  });

  it(`keeps at most ${CHART_CACHE_LIMIT_CHARS / 2 ** 20} Mi characters of keys and pictures, dropping the oldest`, async () => {
    // The padding in usermeta, which Vega passes through without drawing: a long key, a quick chart.
    const padded = (k: number, padChars: number): TopLevelSpec => ({ ...line(points(20), `padded ${k} ${Math.random()}`), usermeta: { pad: 'x'.repeat(padChars) } });
    const fifth = CHART_CACHE_LIMIT_CHARS / 5;
    for (let k = 0; k < 6; k++) await renderVegaLiteSvg(padded(k, fifth));
    const { charts, chars } = chartCacheSize();
    expect(chars).toBeLessThanOrEqual(CHART_CACHE_LIMIT_CHARS);
    expect(chars).toBeGreaterThan(0.6 * CHART_CACHE_LIMIT_CHARS); // the newest kept
    await renderVegaLiteSvg(padded(6, CHART_CACHE_LIMIT_CHARS + 1)); // alone past the limit: not kept
    expect(chartCacheSize().chars).toBeLessThanOrEqual(CHART_CACHE_LIMIT_CHARS);
    expect(charts).toBeGreaterThan(0);
  });
});
