import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Waveform or envelope of one or more overlaid signals (e.g. golden / new / difference) as SVG.
 *
 * Each series is reduced to `columns` pixel columns: min and max of the samples in each column, drawn as
 * a band, so 10 minutes at 48 kHz plot as fast as one second and a single-sample spike stays visible.
 * When a series has no more samples than columns it is drawn sample by sample as a line. In 'dbfs' mode
 * the column's peak |x| is drawn as a line in dB FS, clamped at floorDb. Regions (e.g. a detected
 * dropout) are shaded spans with a label.
 */
export interface WaveformSeries {
  name: string;
  samples: Float32Array;
  /** Start of the series on the time axis, seconds (default 0). */
  offsetSeconds?: number;
}

export interface MarkedRegion {
  startSeconds: number;
  endSeconds: number;
  label?: string;
}

export interface WaveformPlotOptions {
  series: WaveformSeries[];
  sampleRate: number;
  title?: string;
  /** Plot area in CSS pixels (default 720 × 220). */
  width?: number;
  height?: number;
  /** Pixel columns per series (default: width). */
  columns?: number;
  timeUnit?: 's' | 'ms';
  yAxis?: 'amplitude' | 'dbfs';
  /** Floor of the dB FS axis (default −96 dB). */
  floorDb?: number;
  regions?: MarkedRegion[];
}

export interface Row {
  series: string;
  time: number;
  min: number;
  max: number;
}

/**
 * One series as the rows the chart draws: at most `columns` (min, max) pairs, or one row per sample
 * when the series is no longer than that. The work of the chart is bounded by this, not by the length.
 */
export function reduceToColumns(series: WaveformSeries, sampleRate: number, columns: number, timeScale = 1, dbfs = false, floorDb = -96): Row[] {
  const x = series.samples;
  const offset = series.offsetSeconds ?? 0;
  const rows: Row[] = [];
  const toDb = (v: number) => (v > 0 ? Math.max(floorDb, 20 * Math.log10(v)) : floorDb);
  if (x.length <= columns) {
    for (let i = 0; i < x.length; i++) {
      const v = dbfs ? toDb(Math.abs(x[i])) : x[i];
      rows.push({ series: series.name, time: (offset + i / sampleRate) * timeScale, min: v, max: v });
    }
    return rows;
  }
  for (let c = 0; c < columns; c++) {
    const start = Math.floor((c * x.length) / columns), end = Math.floor(((c + 1) * x.length) / columns);
    let lo = Infinity, hi = -Infinity;
    for (let i = start; i < end; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
    const time = (offset + (start + end) / 2 / sampleRate) * timeScale;
    if (dbfs) {
      const peak = toDb(Math.max(Math.abs(lo), Math.abs(hi)));
      rows.push({ series: series.name, time, min: peak, max: peak });
    } else {
      rows.push({ series: series.name, time, min: lo, max: hi });
    }
  }
  return rows;
}

export async function waveformSvg(options: WaveformPlotOptions): Promise<string> {
  if (options.series.length === 0) throw new RangeError('waveformSvg: no series to plot');
  const width = options.width ?? 720;
  const columns = options.columns ?? width;
  const unit = options.timeUnit ?? 's';
  const timeScale = unit === 'ms' ? 1000 : 1;
  const dbfs = options.yAxis === 'dbfs';
  const floorDb = options.floorDb ?? -96;
  const rows = options.series.flatMap((s) => reduceToColumns(s, options.sampleRate, columns, timeScale, dbfs, floorDb));
  const names = options.series.map((s) => s.name);
  const asLine = dbfs || options.series.every((s) => s.samples.length <= columns);
  const startSeconds = Math.min(...options.series.map((s) => s.offsetSeconds ?? 0));
  const endSeconds = Math.max(...options.series.map((s) => (s.offsetSeconds ?? 0) + s.samples.length / options.sampleRate));
  const x = {
    field: 'time',
    type: 'quantitative' as const,
    title: `Time (${unit})`,
    scale: { domain: [startSeconds * timeScale, endSeconds * timeScale], nice: false, zero: false },
  };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: names, range: ['#1f77b4', '#e4572e', '#2a9d8f', '#7b2cbf', '#6c757d'] },
    legend: names.length > 1 ? { orient: 'top' as const, direction: 'horizontal' as const, symbolOpacity: 1 } : null,
  };
  const yTitle = dbfs ? 'Peak level (dB FS)' : 'Amplitude (FS)';
  const y = dbfs
    ? { field: 'max', type: 'quantitative' as const, title: yTitle, scale: { domain: [floorDb, 0], zero: false } }
    : { field: 'min', type: 'quantitative' as const, title: yTitle };
  const regions = (options.regions ?? []).map((r) => ({
    start: r.startSeconds * timeScale,
    end: r.endSeconds * timeScale,
    label: r.label ?? '',
  }));
  const layers: object[] = [];
  if (regions.length > 0) {
    layers.push(
      { data: { values: regions }, mark: { type: 'rect', color: '#f4a261', opacity: 0.3 }, encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } } },
      {
        data: { values: regions },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, y: 0, fontSize: 11, color: '#9c4a00' },
        encoding: { x: { field: 'start', type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  layers.push(
    asLine
      ? { data: { values: rows }, mark: { type: 'line', strokeWidth: 1, clip: true }, encoding: { x, y: { ...y, field: 'max' }, color } }
      : {
          data: { values: rows },
          mark: { type: 'area', opacity: names.length > 1 ? 0.55 : 0.9, clip: true },
          encoding: { x, y, y2: { field: 'max' }, color },
        },
  );
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width,
    height: options.height ?? 220,
    layer: layers,
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
