import { describe, expect, it } from 'vitest';
import { gridHeatmapSvg } from './gridHeatmap.ts';
import { mulberry32 } from '../analysis/signal/seededNoise.ts';
import { percentile } from '../analysis/statistics/percentile.ts';
import { histogramSvg, quantise, quantumBins } from './histogram.ts';
import { lineChartSvg } from './lineChart.ts';
import { svgParseError, svgTexts } from './svgTestUtils.ts';
import { timelineSvg } from './timeline.ts';

async function timed(render: () => Promise<string>): Promise<{ svg: string; ms: number }> {
  await render();
  const t0 = performance.now();
  const svg = await render();
  return { svg, ms: performance.now() - t0 };
}

const random = mulberry32(12345);
const latenciesMs = Array.from({ length: 1000 }, () => 2.6 + 0.1 * random());

describe('report charts', () => {
  it('draws a latency histogram with percentile rules and values, x in ms, in well under a second', async () => {
    const { svg, ms } = await timed(() => histogramSvg({ values: latenciesMs, title: 'Latency' }));
    const sorted = Float64Array.from(latenciesMs).sort();

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Latency (ms)', 'Count', 'P50', 'P95', 'P99']));
    expect(svgTexts(svg).join(' ')).toContain(`P95 ${percentile(sorted, 95).toPrecision(4)} ms`);
    expect(ms).toBeLessThan(1000);
  });

  it('draws the 4 × 8 transducer grid with every value printed, a grey dash for a missing one, and a legend with unit', async () => {
    const values: (number | null)[][] = Array.from({ length: 4 }, (_, r) => Array.from({ length: 8 }, (_, c) => 2 + r * 0.1 + c * 0.01));
    values[2][5] = null;

    const { svg, ms } = await timed(() => gridHeatmapSvg({ values, valueTitle: 'Latency (ms)', format: '.2f' }));
    const texts = svgTexts(svg);

    expect(svgParseError(svg)).toBeNull();
    expect(texts).toEqual(expect.arrayContaining(['Latency (ms)', '2.00', '2.37', '—']));
    expect(texts.filter((t) => /^\d\.\d\d$/.test(t)).length).toBeGreaterThanOrEqual(31);
    expect(ms).toBeLessThan(1000);
  });

  it('draws trends across runs with several series and a dashed limit', async () => {
    const runs = ['r1', 'r2', 'r3', 'r4'];

    const { svg, ms } = await timed(() =>
      lineChartSvg({
        xTitle: 'Run',
        yTitle: 'Latency (ms)',
        series: [
          { name: 'P50', points: runs.map((x, i) => ({ x, y: 2.6 + i * 0.01 })) },
          { name: 'P99', points: runs.map((x, i) => ({ x, y: 2.9 - i * 0.01 })) },
        ],
        limits: [{ value: 3, label: 'limit 3 ms' }],
      }),
    );

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Run', 'Latency (ms)', 'P50', 'P99', 'limit 3 ms', 'r1', 'r4']));
    expect(ms).toBeLessThan(1000);
  });

  it('draws an event timeline with one lane per source on a time axis', async () => {
    const { svg, ms } = await timed(() =>
      timelineSvg({
        events: [
          { timeSeconds: 1.2, lane: 'pilot', kind: 'dropout', label: 'zeroed block' },
          { timeSeconds: 3.4, lane: 'residual', kind: 'dropout' },
        ],
        spans: [{ startSeconds: 1.2, endSeconds: 1.5, lane: 'residual', kind: 'dropout' }],
        timeUnit: 'ms',
      }),
    );

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Time (ms)', 'pilot', 'residual', 'zeroed block']));
    expect(ms).toBeLessThan(1000);
  });

  it('rejects empty input with a message instead of drawing an empty chart', async () => {
    await expect(histogramSvg({ values: [Number.NaN] })).rejects.toThrow(/no finite values/);
    await expect(gridHeatmapSvg({ values: [], valueTitle: 'x' })).rejects.toThrow(/empty/);
    await expect(lineChartSvg({ series: [], xTitle: 'x', yTitle: 'y' })).rejects.toThrow(/no points/);
    await expect(timelineSvg({ events: [] })).rejects.toThrow(/no events/);
  });

  it('catches a malformed SVG (the XML check can fail)', () => {
    expect(svgParseError('<svg><g></svg>')).not.toBeNull();
    expect(svgParseError('<html></html>')).toMatch(/not <svg>/);
  });
});

describe('latency histogram quantised to the sample period', () => {
  const periodMs = 1000 / 48000;
  // 224 samples, as floating-point arithmetic delivers it: values a few 1e-13 apart.
  const noisy = Array.from({ length: 200 }, (_, i) => 224 * periodMs + (i % 7 - 3) * 5e-14).concat(Array.from({ length: 10 }, () => 226 * periodMs + 1e-13));

  const same = noisy.slice(0, 200);

  it('puts latencies that differ only by rounding noise into one bar, on an axis with readable ticks', async () => {
    const svg = await histogramSvg({ values: same, quantum: periodMs });
    const ticks = svgTexts(svg).filter((t) => /^\d+\.\d+$/.test(t));
    expect(ticks.length).toBeGreaterThan(1);
    expect(ticks.every((t) => t.length <= 7)).toBe(true);
    expect(svgTexts(svg).join(' ')).not.toMatch(/4\.666666/);
  });

  it('bins whole sample periods centred on the values', () => {
    const { bins, width } = quantumBins(noisy.map((v) => quantise(v, periodMs)), periodMs, 40);
    expect(width).toBeCloseTo(periodMs, 12);
    expect(bins.map((b) => b.count)).toEqual([200, 10]);
    expect(bins[0].start).toBeCloseTo(223.5 * periodMs, 5);
    expect(bins[1].end).toBeCloseTo(226.5 * periodMs, 5);
  });

  it('gives percentiles that coincide one label instead of printing them over each other', async () => {
    const one = svgTexts(await histogramSvg({ values: same, quantum: periodMs }));
    expect(one).toContain('P50/P95/P99');
    expect(one).not.toContain('P50');
    const two = svgTexts(await histogramSvg({ values: noisy, quantum: periodMs }));
    expect(two).toEqual(expect.arrayContaining(['P50/P95', 'P99']));
  });
});
