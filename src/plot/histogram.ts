import type { TopLevelSpec } from 'vega-lite';
import { percentile } from '../analysis/statistics/percentile.ts';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Histogram of measured values (e.g. round-trip latency in ms) with vertical rules at chosen percentiles,
 * labelled on the rule and listed with their values in the subtitle.
 * Percentiles are computed here (src/analysis/statistics/percentile.ts: linear interpolation between order
 * statistics, as numpy's default), so the labels carry exact numbers; binning is Vega-Lite's ("nice" bin edges, about maxBins bins).
 */
export interface HistogramOptions {
  values: ArrayLike<number>;
  title?: string;
  /** Axis title with unit (default 'Latency (ms)'). */
  xTitle?: string;
  /** Unit appended to the percentile labels (default 'ms'). */
  unit?: string;
  /** Percentiles to mark, 0…100 (default 50, 95, 99). */
  percentiles?: number[];
  maxBins?: number;
  width?: number;
  height?: number;
}

export async function histogramSvg(options: HistogramOptions): Promise<string> {
  const finite = Array.from(options.values).filter(Number.isFinite);
  if (finite.length === 0) throw new RangeError('histogramSvg: no finite values to plot');
  const sorted = Float64Array.from(finite).sort();
  const unit = options.unit ?? 'ms';
  const marks = (options.percentiles ?? [50, 95, 99]).map((p) => {
    const value = percentile(sorted, p);
    return { value, name: `P${p}`, label: `P${p} ${value.toPrecision(4)} ${unit}`.trim() };
  });
  const subtitle = `${marks.map((m) => m.label).join('   ·   ')}   (n = ${finite.length})`;
  const spec = {
    title: { text: options.title ?? '', subtitle, subtitleFontSize: 12, subtitleColor: '#b22222' },
    width: options.width ?? 600,
    height: options.height ?? 240,
    layer: [
      {
        data: { values: finite.map((v) => ({ v })) },
        mark: { type: 'bar', color: '#4c78a8', binSpacing: 1 },
        encoding: {
          x: { field: 'v', type: 'quantitative', bin: { maxbins: options.maxBins ?? 40 }, title: options.xTitle ?? 'Latency (ms)' },
          y: { aggregate: 'count', type: 'quantitative', title: 'Count' },
        },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', color: '#d62728', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: marks },
        mark: { type: 'text', angle: 270, align: 'right', baseline: 'bottom', dx: -4, dy: -3, y: 0, fontSize: 11, fontWeight: 'bold', color: '#d62728' },
        encoding: { x: { field: 'value', type: 'quantitative' }, text: { field: 'name' } },
      },
    ],
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
