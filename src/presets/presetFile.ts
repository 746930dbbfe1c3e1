import { z } from 'zod';
import { performanceSchema } from './performance.ts';

/** The preset file format this code reads and writes. Bump with a migration when the envelope changes. */
export const PRESET_FORMAT_VERSION = 1;

/**
 * Acoustic targets of a preset (reverb presets declare them): broadband RT60 with a tolerance, and
 * optionally per octave band (keys are centre frequencies in Hz, e.g. "250", "1000").
 */
export const presetTargetsSchema = z.strictObject({
  rt60Seconds: z.number().positive().max(60),
  tolerancePercent: z.number().positive().max(100).default(5),
  bands: z.record(z.string().regex(/^\d+$/, 'expected an octave-band centre in Hz, e.g. "1000"'), z.number().positive().max(60)).default({}),
  bandTolerancePercent: z.number().positive().max(100).default(10),
});
export type PresetTargets = z.output<typeof presetTargetsSchema>;

/**
 * The envelope of `presets/<engine>/<name>.json`, with the engine's own parameter schema inside:
 * `{ formatVersion: 1, engine?, description?, params: {…}, targets?, performance? }`.
 * Missing parameters take the engine's defaults; unknown keys anywhere are errors.
 */
export function presetFileSchema(paramsSchema: z.ZodType) {
  return z.strictObject({
    /** The JSON Schema an editor validates the file with (schemas/preset-<engine>.schema.json); ignored here. */
    $schema: z.string().optional(),
    formatVersion: z.literal(PRESET_FORMAT_VERSION),
    /** When present it must name the folder the file lives in. */
    engine: z.string().optional(),
    description: z.string().max(500).default(''),
    params: paramsSchema.prefault({}),
    targets: presetTargetsSchema.optional(),
    performance: performanceSchema.optional(),
  });
}
