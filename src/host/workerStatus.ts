import type { Engine } from '../engine/engine.ts';
import { type NumericShape, decodeNumeric, hasNumericStatus, shapeSize } from '../engine/numericStatus.ts';
import type { RenderAhead, RenderAheadStats } from './jack/renderAhead.ts';
import type { PeriodTap } from './periodTap.ts';
import type { StatusSlotWriter } from './statusSlot.ts';

/**
 * What the render worker publishes in its status slot (statusSlot.ts) and how the control side reads it
 * back. The JSON part is written once, at start: the shapes of the engine's numeric status and stats
 * (numericStatus.ts). Every snapshot then writes one row of numbers, copied without allocating: the
 * render counters (RENDER_STAT_KEYS), the tap's drops, the engine's status, its stats. An engine without
 * a numeric status but with getStatus()/getStats() (a module engine) has them written as JSON at every
 * snapshot instead (that allocates on the render thread).
 */
export interface HostWorkerStatus {
  status: unknown;
  stats: unknown;
  render: RenderAheadStats & { tapDropped: number };
}

export interface HostWorkerStatusJson {
  statusShape: NumericShape | null;
  statsShape: NumericShape | null;
  status?: unknown;
  stats?: unknown;
}

/** The render counters at the head of the row, in order; then tapDropped, then the engine's numbers. */
export const RENDER_STAT_KEYS = ['blocks', 'lateBlocks', 'inputGaps', 'unfilledGaps', 'repeatedFrames'] as const satisfies readonly (keyof RenderAheadStats)[];
const STATUS_AT = RENDER_STAT_KEYS.length + 1;

/** Worker side: writes the shapes now and returns the snapshot to call every SNAPSHOT_MS (allocation-free for a numeric engine). */
export function statusPublisher(slot: StatusSlotWriter, engine: Engine, ahead: RenderAhead, tap: PeriodTap | undefined): () => void {
  const numeric = hasNumericStatus(engine) ? engine : undefined;
  const e = engine as Engine & { getStatus?: () => unknown; getStats?: () => unknown };
  // An empty shape is no status (null, as getStatus() of an engine without one gives), not {}.
  const nonEmpty = (shape: NumericShape | undefined) => (shape !== undefined && shape.length > 0 ? shape : null);
  const statusShape = nonEmpty(numeric?.statusShape());
  const statsShape = nonEmpty(numeric?.statsShape());
  const statsAt = STATUS_AT + (statusShape ? shapeSize(statusShape) : 0);
  const row = new Float64Array(statsAt + (statsShape ? shapeSize(statsShape) : 0));
  const jsonEachTime = !numeric && (typeof e.getStatus === 'function' || typeof e.getStats === 'function');
  slot.write({ statusShape, statsShape, status: null, stats: null } satisfies HostWorkerStatusJson);
  const stats = ahead.stats;
  return () => {
    row[0] = stats.blocks;
    row[1] = stats.lateBlocks;
    row[2] = stats.inputGaps;
    row[3] = stats.unfilledGaps;
    row[4] = stats.repeatedFrames;
    row[5] = tap !== undefined ? tap.dropped : 0;
    if (numeric !== undefined) {
      numeric.writeStatus(row, STATUS_AT);
      numeric.writeStats(row, statsAt);
    } else if (jsonEachTime) {
      slot.write({ statusShape, statsShape, status: e.getStatus?.() ?? null, stats: e.getStats?.() ?? null } satisfies HostWorkerStatusJson);
    }
    slot.writeNumbers(row);
  };
}

/** Control side: the status from the slot's JSON and numbers (undefined before the first snapshot). */
export function decodeWorkerStatus(json: HostWorkerStatusJson | undefined, numbers: Float64Array): HostWorkerStatus | undefined {
  if (json === undefined || numbers.length < STATUS_AT) return undefined;
  const render = { blocks: 0, lateBlocks: 0, inputGaps: 0, unfilledGaps: 0, repeatedFrames: 0, tapDropped: numbers[RENDER_STAT_KEYS.length] };
  RENDER_STAT_KEYS.forEach((k, i) => { render[k] = numbers[i]; });
  const statsAt = STATUS_AT + (json.statusShape ? shapeSize(json.statusShape) : 0);
  return {
    status: json.statusShape ? decodeNumeric(json.statusShape, numbers, STATUS_AT) : json.status ?? null,
    stats: json.statsShape ? decodeNumeric(json.statsShape, numbers, statsAt) : json.stats ?? null,
    render,
  };
}
