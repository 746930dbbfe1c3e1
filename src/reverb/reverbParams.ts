import { z } from 'zod';

/**
 * Parameters of the FDN reverb (`FdnReverb`). Every key has a default, so a preset written for an
 * older engine keeps loading; unknown keys are errors (strict object).
 *
 * Structure (fixed at construction): `lines`, `matrix`, `seed`, `delayMinMs`/`delayMaxMs`,
 * `decayMode`, `damping`, `interpolation`, `smoothingMs`.
 * Continuous (also settable by Param events, smoothed over `smoothingMs`): see `REVERB_PARAM_NAMES`.
 *
 * Decay:
 * - `decayMode: 'rt60'` — line gains by Jot's rule g_i = 10^(−3·m_i/(fs·T60)) and a one-pole absorption
 *   filter per line that meets `rt60Seconds` exactly at `RT60_MID_HZ` (500 Hz) and `rt60HighSeconds`
 *   exactly at `RT60_HIGH_HZ` (4 kHz); `damping` is ignored. See `absorptionDesign.ts`.
 * - `decayMode: 'manual'` — every line gain is `feedbackGain` and line i is low-passed by the one-pole
 *   y = (1 − d_i)·x + d_i·y with d_i from `damping` (one number for all lines, or one per line).
 * `feedbackGain` multiplies the line gains in both modes (1 in RT60 mode keeps the target).
 */
export const RT60_MID_HZ = 500;
export const RT60_HIGH_HZ = 4000;

export const reverbParamsSchema = z
  .strictObject({
    /** Number of delay lines N, 2…32 (Hadamard needs a power of two). */
    lines: z.number().int().min(2).max(32).default(8),
    matrix: z.enum(['hadamard', 'householder', 'randomOrthogonal']).default('hadamard'),
    /** Seed of the random orthogonal matrix and of the input/output sign patterns, 0…2³²−1. */
    seed: z.number().int().min(0).max(4294967295).default(1),
    /** Shortest and longest line delay in ms (scaled to the sample rate, then moved to distinct primes). */
    delayMinMs: z.number().min(3).max(200).default(23),
    delayMaxMs: z.number().min(5).max(400).default(67),
    decayMode: z.enum(['rt60', 'manual']).default('rt60'),
    /** Target RT60 at 500 Hz (RT60 mode), 0.1…30 s. */
    rt60Seconds: z.number().min(0.1).max(30).default(2),
    /** Target RT60 at 4 kHz (RT60 mode), 0.05…30 s; null = same as `rt60Seconds` (frequency-flat decay). */
    rt60HighSeconds: z.number().min(0.05).max(30).nullable().default(null),
    /** Line gain multiplier 0…1 (1 with no damping is lossless in manual mode). */
    feedbackGain: z.number().min(0).max(1).default(1),
    /** Manual-mode one-pole coefficient(s) d, 0…0.99: one for every line, or an array of one per line. */
    damping: z.union([z.number().min(0).max(0.99), z.array(z.number().min(0).max(0.99)).min(2).max(32)]).default(0.2),
    /** Pre-delay of the wet path, 0…500 ms. */
    preDelayMs: z.number().min(0).max(500).default(0),
    /** Dry/wet mix 0…1: out = (1 − wetDry)·dry + wetDry·wet. */
    wetDry: z.number().min(0).max(1).default(0.3),
    /** Peak delay modulation in ms, 0…5 (0 = the plain, unmodulated FDN). */
    modDepthMs: z.number().min(0).max(5).default(0),
    /** Delay-modulation LFO rate, 0…10 Hz (lines spread evenly in phase). */
    modRateHz: z.number().min(0).max(10).default(0.5),
    /** Fractional read of the modulated lines. */
    interpolation: z.enum(['linear', 'cubic']).default('cubic'),
    /** Linear ramp time of every parameter change, 0…1000 ms. */
    smoothingMs: z.number().min(0).max(1000).default(10),
  })
  .superRefine((p, ctx) => {
    if (p.matrix === 'hadamard' && (p.lines & (p.lines - 1)) !== 0) {
      ctx.addIssue({ code: 'custom', path: ['lines'], message: `expected a power of two for the Hadamard matrix (got ${p.lines})` });
    }
    if (p.delayMaxMs <= p.delayMinMs) {
      ctx.addIssue({ code: 'custom', path: ['delayMaxMs'], message: `expected more than delayMinMs (${p.delayMinMs})` });
    }
    if (Array.isArray(p.damping) && p.damping.length !== p.lines) {
      ctx.addIssue({ code: 'custom', path: ['damping'], message: `expected one coefficient per line (${p.lines}), got ${p.damping.length}` });
    }
  });

export type ReverbParams = z.output<typeof reverbParamsSchema>;
export type ReverbParamsInput = z.input<typeof reverbParamsSchema>;

/** Parameters that Param events may change (the engine's `paramNames`, in `paramIndex` order). */
export const REVERB_PARAM_NAMES = [
  'wetDry', 'feedbackGain', 'rt60Seconds', 'rt60HighSeconds', 'preDelayMs', 'modDepthMs', 'modRateHz',
] as const;
export type ReverbParamName = (typeof REVERB_PARAM_NAMES)[number];
