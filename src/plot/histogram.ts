import type { TopLevelSpec } from 'vega-lite';
import { percentile } from '../analysis/statistics/percentile.ts';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Histogram of measured values (e.g. round-trip latency in ms) with vertical rules at chosen percentiles,
 * labelled on the rule and listed with their values in the subtitle.
 * Percentiles are computed here (src/analysis/statistics/percentile.ts: linear interpolation between order
 * statistics, as numpy's default), so the labels carry exact numbers.
 *
 * With `quantum` (the resolution of the measurement, e.g. one sample period in ms) values are rounded to
 * multiples of it before anything else, and bins are whole multiples of it centred on the values they
 * hold: latencies that differ only by floating-point noise (4.666666666666511 and …671) fall in one bar
 * on a readable axis. Without it, binning is Vega-Lite's ("nice" edges, about maxBins bins).
 * Percentiles closer than half a bin share one label ("P50/P99"), so labels never print over each other.
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
  /** Resolution of the values, in their unit (e.g. 1000 / sampleRate ms); see above. */
  quantum?: number;
  width?: number;
  height?: number;
}

/** Rounds to the nearest multiple of `quantum`, written with the digits the quantum needs (no 4.666666666666511). */
export function quantise(v: number, quantum: number): number {
  return tidy(Math.round(v / quantum) * quantum, quantum);
}

/** `v` written with three digits beyond the quantum's first significant one (drops 1e-13 noise). */
function tidy(v: number, quantum: number): number {
  const digits = Math.min(12, Math.max(0, Math.ceil(-Math.log10(quantum))) + 3);
  return Number(v.toFixed(digits));
}

interface Bin {
  start: number;
  end: number;
  count: number;
}

/** Bins of `m` quanta each, aligned so each bin is centred on the values it holds. */
export function quantumBins(values: readonly number[], quantum: number, maxBins: number): { bins: Bin[]; width: number } {
  const ks = values.map((v) => Math.round(v / quantum));
  const kMin = Math.min(...ks), kMax = Math.max(...ks);
  const m = Math.max(1, Math.ceil((kMax - kMin + 1) / maxBins));
  const counts = new Map<number, number>();
  for (const k of ks) {
    const j = Math.floor((k - kMin) / m);
    counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  const bins = [...counts].sort(([a], [b]) => a - b).map(([j, count]) => ({
    start: tidy((kMin + j * m - 0.5) * quantum, quantum),
    end: tidy((kMin + (j + 1) * m - 0.5) * quantum, quantum),
    count,
  }));
  return { bins, width: m * quantum };
}

/** Percentile marks with labels merged where they would overlap (closer than `minGap`). */
function percentileMarks(sorted: Float64Array, ps: number[], unit: string, minGap: number): { value: number; name: string; label: string }[] {
  const marks: { value: number; names: string[]; labels: string[] }[] = [];
  for (const p of ps) {
    const value = percentile(sorted, p);
    const label = `P${p} ${value.toPrecision(4)} ${unit}`.trim();
    const near = marks.find((m) => Math.abs(m.value - value) < minGap);
    if (near) {
      near.names.push(`P${p}`);
      near.labels.push(label);
    } else marks.push({ value, names: [`P${p}`], labels: [label] });
  }
  return marks.map((m) => ({ value: m.value, name: m.names.join('/'), label: m.labels.join('   ·   ') }));
}

export async function histogramSvg(options: HistogramOptions): Promise<string> {
  let finite = Array.from(options.values).filter(Number.isFinite);
  if (finite.length === 0) throw new RangeError('histogramSvg: no finite values to plot');
  const q = options.quantum !== undefined && options.quantum > 0 ? options.quantum : undefined;
  if (q) finite = finite.map((v) => quantise(v, q));
  const sorted = Float64Array.from(finite).sort();
  const unit = options.unit ?? 'ms';
  const maxBins = options.maxBins ?? 40;
  const binned = q ? quantumBins(finite, q, maxBins) : null;
  const span = sorted[sorted.length - 1] - sorted[0];
  const minGap = binned ? binned.width / 2 : span / maxBins / 2;
  const marks = percentileMarks(sorted, options.percentiles ?? [50, 95, 99], unit, minGap);
  const subtitle = `${marks.map((m) => m.label).join('   ·   ')}   (n = ${finite.length})`;
  const xTitle = options.xTitle ?? 'Latency (ms)';
  const digits = binned ? Math.min(6, Math.max(0, Math.ceil(-Math.log10(binned.width)) + 1)) : undefined;
  const bars = binned
    ? {
        data: { values: binned.bins },
        mark: { type: 'bar', color: '#4c78a8', binSpacing: 1 },
        encoding: {
          x: { field: 'start', type: 'quantitative', bin: { binned: true, step: binned.width }, title: xTitle, axis: { format: `.${digits}f` }, scale: { zero: false } },
          x2: { field: 'end' },
          y: { field: 'count', type: 'quantitative', title: 'Count' },
        },
      }
    : {
        data: { values: finite.map((v) => ({ v })) },
        mark: { type: 'bar', color: '#4c78a8', binSpacing: 1 },
        encoding: {
          x: { field: 'v', type: 'quantitative', bin: { maxbins: maxBins }, title: xTitle },
          y: { aggregate: 'count', type: 'quantitative', title: 'Count' },
        },
      };
  const spec = {
    title: { text: options.title ?? '', subtitle, subtitleFontSize: 12, subtitleColor: '#b22222' },
    width: options.width ?? 600,
    height: options.height ?? 240,
    layer: [
      bars,
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
