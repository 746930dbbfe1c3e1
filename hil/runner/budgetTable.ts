import type { Budgets } from '../scenario/scenarioSchema.ts';
import { type BudgetCheck, type ScenarioResult, isBackendFlag } from '../report/runReport.ts';
import { latencyBudgetAdvice } from './budgetAdvice.ts';
import { dropoutEvents } from './dropoutEvents.ts';
import type { ScenarioRun } from './runScenario.ts';

/** What a budget is checked against: the run, its summarised result and the figures only the analysis has. */
export interface BudgetContext {
  run: ScenarioRun;
  result: ScenarioResult;
  periodFrames: number;
  /** Samples beyond ±1 in the render of what the server applied (engines that do not count their own), or null. */
  renderClippedSamples: number | null;
}

/**
 * What a budget needs from the run to apply at all (as pluginval's tests declare their requirements): a
 * budget whose requirement the scenario does not meet is not checked — an effect scenario has no
 * note-on onsets, an instrument scenario no effect latency.
 */
export type BudgetRequirement = 'instrument' | 'effect';

/**
 * One budget: its name and key in the report, its unit, what it needs, where its limit is in the
 * scenario's `budgets` (undefined: not set, not checked) and how its figure is read from the result.
 * Every budget is an upper bound (measured ≤ limit); a figure that could not be measured fails.
 */
export interface BudgetRow {
  name: string;
  key: string;
  unit: string;
  requires?: BudgetRequirement;
  limit(b: Budgets): number | undefined;
  measured(c: BudgetContext): number | null;
  /** Shown with the check: always, or (given the limit) only when it failed. */
  detail?(c: BudgetContext, limit: number, passed: boolean): string | undefined;
}

/** A failed latency budget says why (the path's bound at this period) and what to change. */
const latencyDetail = (c: BudgetContext, limit: number, passed: boolean): string | undefined => {
  const left = c.result.latency.atEnvironmentOnsetCount;
  const leftNote = left ? `${left} onset(s) left out: an environment event (driver xrun, frame jump or machine stall) in their capture search` : undefined;
  if (c.result.latency.onsetCount === 0) return ['no onset could be measured', leftNote].filter(Boolean).join('; ');
  const advice = passed ? undefined : latencyBudgetAdvice(limit, c.periodFrames, c.run.loaded.scenario.sampleRate, c.result.breakdown, c.run.renderDelayFrames ?? 0);
  return [advice, leftNote].filter(Boolean).join('; ') || undefined;
};

/** The content decides (residual on every channel, pilot); the backend's flags are the second witness. */
function dropoutCount(c: BudgetContext): { content: number; flagged: number; events: number } {
  const content = c.result.dropouts.filter((d) => !isBackendFlag(d));
  return { content: content.length, flagged: c.result.dropouts.length - content.length, events: dropoutEvents(content, c.run.loaded.scenario.sampleRate) };
}

/** Every budget a scenario may set, in report order; the runner loops over it (checkBudgets). */
export const BUDGETS: readonly BudgetRow[] = [
  { name: 'latency p50', key: 'p50Ms', unit: 'ms', requires: 'instrument', limit: (b) => b.latency.p50Ms, measured: (c) => c.result.latency.p50Ms, detail: latencyDetail },
  { name: 'latency p95', key: 'p95Ms', unit: 'ms', requires: 'instrument', limit: (b) => b.latency.p95Ms, measured: (c) => c.result.latency.p95Ms, detail: latencyDetail },
  { name: 'latency p99', key: 'p99Ms', unit: 'ms', requires: 'instrument', limit: (b) => b.latency.p99Ms, measured: (c) => c.result.latency.p99Ms, detail: latencyDetail },
  { name: 'latency max', key: 'maxMs', unit: 'ms', requires: 'instrument', limit: (b) => b.latency.maxMs, measured: (c) => c.result.latency.maxMs, detail: latencyDetail },
  { name: 'jitter', key: 'jitterMs', unit: 'ms', requires: 'instrument', limit: (b) => b.jitterMs, measured: (c) => c.result.latency.jitterMs },
  { name: 'inter-channel skew', key: 'skewMs', unit: 'ms', requires: 'instrument', limit: (b) => b.skewMs, measured: (c) => c.result.latency.skewMs },
  {
    // The server's events count; those at a driver xrun of the audio server or a machine stall are the environment's, listed (dropoutAttribution.ts).
    name: 'dropouts', key: 'dropoutCount', unit: 'events', limit: (b) => b.dropouts, measured: (c) => c.result.dropoutAttribution?.serverEventCount ?? dropoutCount(c).events,
    detail: (c) => {
      if (!c.result.dropouts.length) return undefined;
      const { content, flagged, events } = dropoutCount(c);
      const flagNote = flagged ? `; ${flagged} period(s) flagged by the backend (listed; the content decides)` : '';
      const environment = c.result.dropoutAttribution?.environmentEventCount;
      const environmentNote = environment ? `; ${environment} of them at a driver xrun of the audio server or a stall of the machine (the environment's, not counted)` : '';
      return `${content} content findings (channels × events) grouped into ${events} events: findings within 1 ms of each other are one stream event${environmentNote}${flagNote}`;
    },
  },
  {
    // Every underrun of the output ring the machine does not explain (dropoutAttribution.ts), heard or not.
    name: "server's underruns", key: 'serverUnderrunCount', unit: 'periods', limit: (b) => b.serverUnderruns,
    measured: (c) => c.result.dropoutAttribution?.serverUnderrunCount ?? c.run.status.counts.underruns,
    detail: (c) => {
      const a = c.result.dropoutAttribution;
      if (!a || a.serverUnderrunCount === undefined) return `${c.run.status.counts.underruns} underrun(s) of the output ring; no record to tell the machine's apart`;
      const causes = a.serverUnderrunSlowBlockCount !== undefined
        ? ` (${a.serverUnderrunSlowBlockCount} slow block(s), ${a.serverUnderrunLateStartCount} late start(s), ${a.serverUnderrunNoRecordCount} without a record)`
        : '';
      return `${a.outputRingUnderrunCount} underrun(s) of the output ring: ${a.machineUnderrunCount ?? 0} the machine's, ${a.serverUnderrunCount} the server's${causes}`;
    },
  },
  {
    name: 'clipped samples', key: 'clippedSamples', unit: 'samples', limit: (b) => b.clippedSamples,
    measured: (c) => c.run.engineStats?.clippedSamples ?? c.renderClippedSamples,
    detail: (c) => (c.run.engineStats ? undefined : 'samples beyond ±1 full scale in the render of what the server applied'),
  },
  { name: 'content residual', key: 'worstResidualDb', unit: 'dB', limit: (b) => b.contentResidualDb, measured: (c) => c.result.content.worstResidualDb },
  {
    name: 'effect latency', key: 'effectLatencyMs', unit: 'ms', requires: 'effect', limit: (b) => b.effectLatencyMs, measured: (c) => c.result.effect?.worstLatencyMs ?? null,
    detail: (c) => {
      const e = c.result.effect;
      if (!e) return undefined;
      return e.latencyDetail ?? `programme input → capture, worst channel; the engine's own ${e.engineLatencyMs?.toFixed(3) ?? '—'} ms, the rig's path ${e.pathMs?.toFixed(3) ?? '—'} ms`;
    },
  },
  {
    name: 'click-free parameter changes', key: 'worstClickStepDb', unit: 'dB', requires: 'effect', limit: (b) => b.clickStepDb, measured: (c) => c.result.effect?.worstClickStepDb ?? null,
    detail: (c) => {
      const e = c.result.effect;
      if (!e) return undefined;
      if (!e.changes.length) return 'no parameter change was applied';
      const judged = e.changes.filter((c) => !c.atEnvironment);
      const left = e.changes.length - judged.length;
      const leftNote = left ? `; ${left} left out (an environment event in its window: driver xrun, frame jump or machine stall)` : '';
      if (!judged.length) return `${e.changes.length} parameter changes, none judged${leftNote}`;
      const worst = judged.reduce((a, b) => ((b.stepDb ?? Infinity) > (a.stepDb ?? Infinity) ? b : a));
      return `${e.changes.length} parameter changes: largest sample step over ${e.smoothingMs} ms of smoothing and a period after each, capture against the offline render; worst ${worst.paramName} → ${+worst.value.toPrecision(6)} at frame ${worst.appliedFrame}${leftNote}`;
    },
  },
];

/** The scenario's budgets checked in table order: every row whose limit is set and whose requirement the run meets. */
export function checkBudgets(c: BudgetContext, rows: readonly BudgetRow[] = BUDGETS): BudgetCheck[] {
  const b = c.run.loaded.scenario.budgets;
  const kind: BudgetRequirement = c.run.effect ? 'effect' : 'instrument';
  const out: BudgetCheck[] = [];
  for (const row of rows) {
    const limit = row.limit(b);
    if (limit === undefined || (row.requires && row.requires !== kind)) continue;
    const measured = row.measured(c);
    const passed = measured !== null && measured <= limit;
    const detail = row.detail?.(c, limit, passed);
    out.push({ name: row.name, key: row.key, limit, measured, unit: row.unit, passed, ...(detail ? { detail } : {}) });
  }
  return out;
}
