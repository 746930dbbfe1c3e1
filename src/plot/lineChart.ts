import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Trends across runs: one line with points per series; x is a run label (ordinal, in the given order),
 * a date (temporal) or a number (quantitative). Optional horizontal limit lines (e.g. a target) are
 * drawn dashed with their label.
 */
export interface LinePoint {
  x: string | number | Date;
  y: number;
}

export interface LineChartOptions {
  series: { name: string; points: LinePoint[] }[];
  title?: string;
  xTitle: string;
  /** y axis title with unit, e.g. 'Latency (ms)'. */
  yTitle: string;
  /** Default: 'temporal' if the first x is a Date, 'quantitative' if a number, else 'ordinal'. */
  xType?: 'ordinal' | 'temporal' | 'quantitative';
  limits?: { value: number; label: string }[];
  /** Start the y axis at zero (default false). */
  yZero?: boolean;
  width?: number;
  height?: number;
}

export async function lineChartSvg(options: LineChartOptions): Promise<string> {
  const rows = options.series.flatMap((s) =>
    s.points.map((p) => ({ series: s.name, x: p.x instanceof Date ? p.x.toISOString() : p.x, y: p.y })),
  );
  if (rows.length === 0) throw new RangeError('lineChartSvg: no points to plot');
  const first = options.series.find((s) => s.points.length > 0)!.points[0].x;
  const xType = options.xType ?? (first instanceof Date ? 'temporal' : typeof first === 'number' ? 'quantitative' : 'ordinal');
  const order = [...new Set(rows.map((r) => r.x))];
  const x = {
    field: 'x',
    type: xType,
    title: options.xTitle,
    ...(xType === 'ordinal' ? { sort: order, axis: { labelAngle: order.length > 8 ? -40 : 0 } } : {}),
    ...(xType === 'quantitative' ? { scale: { zero: false } } : {}),
  };
  const names = options.series.map((s) => s.name);
  const layers: object[] = [
    {
      data: { values: rows },
      mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
      encoding: {
        x,
        y: { field: 'y', type: 'quantitative', title: options.yTitle, scale: { zero: options.yZero ?? false } },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: names }, legend: names.length > 1 ? { orient: 'top' } : null },
      },
    },
  ];
  if (options.limits?.length) {
    layers.push(
      { data: { values: options.limits }, mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4] }, encoding: { y: { field: 'value', type: 'quantitative' } } },
      {
        data: { values: options.limits },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, x: 'width', color: '#d62728', fontSize: 11 },
        encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 600,
    height: options.height ?? 240,
    layer: layers,
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
