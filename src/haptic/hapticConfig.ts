import { z } from 'zod';
import { parseParams } from '../engine/params.ts';

/**
 * Configuration of the haptic stimulus engine: the ONE place where the transducer layout, the pool
 * sizes and the stimulus defaults are defined. Every object is strict (unknown keys are errors) and
 * every field has a default, so `parseHapticConfig({}, …)` gives the reference rig: 32 transducers
 * in 4 rows × 8 columns at 5 cm, 8 travelling-wave and 4 standing-wave stimuli. Every key changes the
 * output (hapticConfigKeys.test.ts checks one by one): a key the engine does not read is removed, not kept
 * (the output is always clipped to ±1; MPE bend arrives normalised to ±1).
 */

/** A point on the plate in metres; x grows along a row (columns), y across rows. */
export const pointSchema = z.strictObject({
  xM: z.number().min(-10).max(10),
  yM: z.number().min(-10).max(10),
});
export type PointM = z.output<typeof pointSchema>;

export const layoutSchema = z.strictObject({
  rows: z.number().int().min(1).max(16).default(4),
  columns: z.number().int().min(1).max(16).default(8),
  /** Centre-to-centre spacing of the grid. */
  spacingM: z.number().min(0.001).max(1).default(0.05),
  /** Explicit transducer positions; when given they replace the rows × columns grid. */
  positionsM: z.array(pointSchema).min(1).max(64).optional(),
});

export const STEAL_POLICIES = ['drop', 'oldest', 'quietest'] as const;
export type StealPolicy = (typeof STEAL_POLICIES)[number];

export const hapticConfigSchema = z
  .strictObject({
    layout: layoutSchema.prefault({}),
    pools: z
      .strictObject({
        /** Capacity of the travelling-wave pool (velocity below `velocitySplit`). */
        travelling: z.number().int().min(0).max(32).default(8),
        /** Capacity of the standing-wave pool (velocity at or above `velocitySplit`). */
        standing: z.number().int().min(0).max(32).default(4),
        velocitySplit: z.number().int().min(1).max(128).default(64),
        /** What a note-on does when its pool is full: drop the new note, or steal a stimulus. */
        stealPolicy: z.enum(STEAL_POLICIES).default('oldest'),
      })
      .prefault({}),
    envelope: z
      .strictObject({
        /** Linear rise from 0 to 1. */
        attackMs: z.number().min(0).max(10_000).default(100),
        /** Linear fall from the level at note-off to 0. */
        releaseMs: z.number().min(0).max(20_000).default(500),
      })
      .prefault({}),
    /** Propagation speed of the travelling wave on the plate. */
    waveSpeedMps: z.number().min(20).max(500).default(100),
    /** Output gain after the mix, before the limiter. */
    masterGainDb: z.number().min(-60).max(12).default(0),
    /**
     * Pitch bend ±1 moves the source ±positionRangeM in x, timbre 0…1 moves it −…+positionRangeM in y.
     * (Bend arrives normalised, so no bend range in semitones enters the engine: there is no such key.)
     */
    positionRangeM: z.number().min(0).max(1).default(0.2),
    /** Time constant of the source's glide towards a new MPE position (0 = jump). */
    positionGlideMs: z.number().min(0).max(1000).default(20),
    interpolation: z.enum(['linear', 'cubic']).default('linear'),
    /** Per-transducer gains of the standing wave (one per transducer); default all 1, in phase. */
    standingModeShape: z.array(z.number().min(-4).max(4)).optional(),
  })
  .superRefine((c, ctx) => {
    const count = c.layout.positionsM?.length ?? c.layout.rows * c.layout.columns;
    if (count > 64) ctx.addIssue({ code: 'custom', path: ['layout'], message: `expected at most 64 transducers, got ${count}` });
    if (c.standingModeShape && c.standingModeShape.length !== count) {
      ctx.addIssue({
        code: 'custom',
        path: ['standingModeShape'],
        message: `expected one gain per transducer (${count}), got ${c.standingModeShape.length}`,
      });
    }
  });

export type HapticConfig = z.output<typeof hapticConfigSchema>;
export type HapticConfigInput = z.input<typeof hapticConfigSchema>;

/** Validates a haptic configuration; throws a ParamError naming `source`, the key, the value and the range. */
export function parseHapticConfig(input: unknown, source = 'haptic config'): HapticConfig {
  return parseParams(hapticConfigSchema, input ?? {}, source);
}

/**
 * Transducer positions in metres, in output-channel order. The grid is row-major: channel
 * r·columns + c sits at (c·spacing, r·spacing).
 */
export function transducerPositions(config: HapticConfig): PointM[] {
  const { layout } = config;
  if (layout.positionsM) return layout.positionsM.map((p) => ({ ...p }));
  const out: PointM[] = [];
  for (let r = 0; r < layout.rows; r++) {
    for (let c = 0; c < layout.columns; c++) out.push({ xM: c * layout.spacingM, yM: r * layout.spacingM });
  }
  return out;
}

/** Centre of the layout's bounding box: the origin of the MPE position range. */
export function layoutCentre(positions: readonly PointM[]): PointM {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const p of positions) {
    x0 = Math.min(x0, p.xM); x1 = Math.max(x1, p.xM);
    y0 = Math.min(y0, p.yM); y1 = Math.max(y1, p.yM);
  }
  return { xM: (x0 + x1) / 2, yM: (y0 + y1) / 2 };
}

/**
 * The largest source-to-transducer distance possible: from any transducer to the farthest corner of
 * the square of sources (layout centre ± positionRangeM). Sizes the delay lines.
 */
export function maxSourceDistanceM(config: HapticConfig): number {
  const positions = transducerPositions(config);
  const c = layoutCentre(positions);
  const r = config.positionRangeM;
  let max = 0;
  for (const p of positions) {
    const dx = Math.abs(p.xM - c.xM) + r;
    const dy = Math.abs(p.yM - c.yM) + r;
    max = Math.max(max, Math.hypot(dx, dy));
  }
  return max;
}

/** Engine parameters addressable by Param events, in `paramIndex` order, with their ranges. */
export const HAPTIC_PARAMS = [
  { name: 'waveSpeedMps', min: 20, max: 500 },
  { name: 'masterGainDb', min: -60, max: 12 },
] as const;
export const HAPTIC_PARAM_NAMES: readonly string[] = HAPTIC_PARAMS.map((p) => p.name);
export const HapticParam = { waveSpeedMps: 0, masterGainDb: 1 } as const;
