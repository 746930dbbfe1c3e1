import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from '../../src/plot/renderVegaLite.ts';
import type { BudgetBreakdown } from './runReport.ts';

export const BREAKDOWN_STAGES = [
  { key: 'transportMs', short: 'transport', label: 'transport (send → receive)' },
  { key: 'schedulingMs', short: 'scheduling', label: 'scheduling (receive → effective sample)' },
  { key: 'bufferingMs', short: 'buffering', label: 'buffering (→ DAC)' },
  { key: 'pathMs', short: 'path', label: 'path (calibrated)' },
] as const;

/**
 * The latency budget breakdown as one horizontal stacked bar (a segment per stage, in path order) with
 * the scenario's own budget drawn as a dashed red rule, so the headroom left is visible at a glance (no
 * rule when the scenario has no latency budget).
 * Stages without a measurement are left out of the bar (their table row shows '—').
 */
export async function breakdownBarSvg(breakdown: BudgetBreakdown, width = 560): Promise<string> {
  const rows = BREAKDOWN_STAGES.flatMap((s, order) => {
    const ms = breakdown[s.key];
    return ms !== null && Number.isFinite(ms) && ms > 0 ? [{ stage: s.short, order, ms }] : [];
  });
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const spec = {
    width,
    height: 34,
    layer: [
      {
        data: { values: rows },
        mark: { type: 'bar', height: 26 },
        encoding: {
          x: { field: 'ms', type: 'quantitative', stack: 'zero', title: 'Event-to-transducer latency (ms)', scale: { domain: [0, Math.max(breakdown.budgetMs ?? 0, total) * 1.05] } },
          color: { field: 'stage', type: 'nominal', title: null, sort: BREAKDOWN_STAGES.map((s) => s.short), scale: { domain: BREAKDOWN_STAGES.map((s) => s.short), scheme: 'tableau10' }, legend: { orient: 'bottom', direction: 'horizontal' } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
      ...(breakdown.budgetMs === null ? [] : [{
        data: { values: [{ budget: breakdown.budgetMs, label: `budget ${breakdown.budgetMs} ms` }] },
        layer: [
          { mark: { type: 'rule', color: '#d62728', strokeDash: [5, 3], strokeWidth: 2 }, encoding: { x: { field: 'budget', type: 'quantitative' } } },
          { mark: { type: 'text', color: '#d62728', align: 'right', dx: -3, y: -6, fontSize: 11 }, encoding: { x: { field: 'budget', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      }]),
    ],
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
