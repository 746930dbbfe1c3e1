import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Event timeline: one lane per source (channel, detector, device), events as ticks on a time axis,
 * coloured by kind, optional spans (e.g. a glitch's extent) as bars in their lane.
 */
export interface TimelineEvent {
  timeSeconds: number;
  lane: string;
  kind?: string;
  label?: string;
}

export interface TimelineSpan {
  startSeconds: number;
  endSeconds: number;
  lane: string;
  kind?: string;
}

export interface TimelineOptions {
  events: TimelineEvent[];
  spans?: TimelineSpan[];
  title?: string;
  timeUnit?: 's' | 'ms';
  /** Lane order, top to bottom (default: order of first appearance). */
  lanes?: string[];
  width?: number;
  /** Height of one lane in pixels (default 28). */
  laneHeight?: number;
}

export async function timelineSvg(options: TimelineOptions): Promise<string> {
  const spans = options.spans ?? [];
  if (options.events.length === 0 && spans.length === 0) throw new RangeError('timelineSvg: no events to plot');
  const unit = options.timeUnit ?? 's';
  const scale = unit === 'ms' ? 1000 : 1;
  const lanes = options.lanes ?? [...new Set([...options.events.map((e) => e.lane), ...spans.map((s) => s.lane)])];
  const events = options.events.map((e) => ({ t: e.timeSeconds * scale, lane: e.lane, kind: e.kind ?? 'event', label: e.label ?? '' }));
  const spanRows = spans.map((s) => ({ t: s.startSeconds * scale, t2: s.endSeconds * scale, lane: s.lane, kind: s.kind ?? 'span' }));
  const kinds = [...new Set([...events.map((e) => e.kind), ...spanRows.map((s) => s.kind)])];
  const x = { field: 't', type: 'quantitative' as const, title: `Time (${unit})`, scale: { zero: false, nice: false, padding: 24 } };
  const y = { field: 'lane', type: 'nominal' as const, sort: lanes, title: null };
  const color = { field: 'kind', type: 'nominal' as const, title: null, scale: { domain: kinds, scheme: 'category10' }, legend: kinds.length > 1 ? { orient: 'top' as const } : null };
  const layers: object[] = [];
  if (spanRows.length > 0) {
    layers.push({ data: { values: spanRows }, mark: { type: 'bar', opacity: 0.45, height: { band: 0.6 } }, encoding: { x, x2: { field: 't2' }, y, color } });
  }
  if (events.length > 0) {
    layers.push(
      { data: { values: events }, mark: { type: 'tick', thickness: 2, bandSize: 18 }, encoding: { x, y, color, tooltip: [{ field: 'label' }] } },
      {
        data: { values: events.filter((e) => e.label) },
        mark: { type: 'text', align: 'left', dx: 3, dy: -10, fontSize: 10, color: '#333' },
        encoding: { x, y, text: { field: 'label' } },
      },
    );
  }
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 720,
    height: { step: options.laneHeight ?? 28 },
    layer: layers,
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
