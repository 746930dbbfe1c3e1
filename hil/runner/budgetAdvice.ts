import type { BudgetBreakdown } from '../report/runReport.ts';

/** Smallest period the advice suggests (PortAudio and JACK rarely run below it). */
const MIN_PERIOD_FRAMES = 16;

const ms = (v: number) => `${v.toFixed(2)} ms`;

/**
 * Why a latency budget failed, and what to change, in one sentence for the budgets table.
 *
 * An event without a timestamp waits for the next engine block (up to one period, less the rig's render
 * delay: a block is rendered that long after its cycle began, so commands arriving meanwhile make it), then
 * the rig's stream buffering, then the output path (half the calibrated loop): the path's bound at a period
 * of N frames is
 *   boundMs = periodMs − renderDelayMs + bufferingMs + pathMs,
 * buffering and path from the run (the breakdown's medians). Buffering and the path's driver periods scale
 * with N (the render delay, a share of the period, too), so the largest power-of-two period whose scaled
 * bound plus the measured transport and scheduling fits the limit is the one to use. When the bound already
 * fits, the excess is transport and scheduling, and the advice points there instead.
 */
export function latencyBudgetAdvice(limitMs: number, periodFrames: number, sampleRate: number, b: BudgetBreakdown, renderDelayFrames = 0): string | undefined {
  if (b.bufferingMs === null || b.pathMs === null) return undefined;
  const periodMs = (1000 * periodFrames) / sampleRate;
  const waitMs = (1000 * (periodFrames - renderDelayFrames)) / sampleRate;
  const boundMs = waitMs + b.bufferingMs + b.pathMs;
  const extraMs = (b.transportMs ?? 0) + Math.max(0, (b.schedulingMs ?? 0) - waitMs);
  const wait = renderDelayFrames > 0
    ? `up to one period less the render delay waiting for the next block ${ms(periodMs)} − ${ms(periodMs - waitMs)}`
    : `up to one period waiting for the next block ${ms(periodMs)}`;
  const bound = `the ${periodFrames}-frame path's bound is ${ms(boundMs)} (${wait} + stream buffering ${ms(b.bufferingMs)} + output path ${ms(b.pathMs)})`;
  if (boundMs + extraMs <= limitMs) {
    return `${bound}, inside the ${limitMs} ms budget: the excess is transport (${ms(b.transportMs ?? 0)}) and scheduling (${ms(b.schedulingMs ?? 0)}) — see the breakdown and the late events in the timeline`;
  }
  for (let n = 2 ** Math.floor(Math.log2(periodFrames - 1)); n >= MIN_PERIOD_FRAMES; n /= 2) {
    if ((boundMs * n) / periodFrames + extraMs <= limitMs) return `${bound}, above the ${limitMs} ms budget; use ≤ ${n}-frame periods (bound ${ms((boundMs * n) / periodFrames)})`;
  }
  return `${bound}, above the ${limitMs} ms budget, and no period of ${MIN_PERIOD_FRAMES} frames or more fits it: send events with timestamps ahead of time (they then wait for no block)`;
}
