import { z } from 'zod';
import { RT60_BAND_KEYS, fitAnchorsToBands } from './bandTargetFit.ts';
import { lowTargetMet, reachableLowTargetSeconds } from './lowTargetReach.ts';

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
 *   exactly at `RT60_HIGH_HZ` (4 kHz); `damping` is ignored. See `absorptionDesign.ts`. With
 *   `rt60LowSeconds` the filter becomes a low shelf times that one-pole and also meets it exactly at
 *   `RT60_LOW_HZ` (250 Hz), within the limits stated in `threeAnchorAbsorption.ts` (outside them the
 *   low target is not met and the line keeps the two-anchor one-pole).
 * - `decayMode: 'manual'` — every line gain is `feedbackGain` and line i is low-passed by the one-pole
 *   y = (1 − d_i)·x + d_i·y with d_i from `damping` (one number for all lines, or one per line). d is
 *   per sample, so the damping's corner scales with the sample rate (at 96 kHz a given d removes about
 *   a quarter of the 4 kHz loss it removes at 48 kHz), and lines of unequal length decay at unequal
 *   rates (no Jot rule); `predictReverbRt60` predicts the result (presets/reverb/chamber.json).
 * `feedbackGain` multiplies the line gains in both modes (1 in RT60 mode keeps the target).
 *
 * Pre-delay: `preDelayMs` or `preDelaySamples` (whole samples, rate-independent), at most one of the
 * two; neither means 0 ms. Both are whole samples at rest (ms are rounded at the prepared rate).
 * Keys added after the first presets (`rt60LowSeconds`, `preDelaySamples`) have no default in the
 * parsed output, so the parsed params of a preset that does not use them — and the golden hash made
 * from them — are what they were.
 */
export const RT60_MID_HZ = 500;
export const RT60_HIGH_HZ = 4000;
/** Low anchor of `rt60LowSeconds`: the 250 Hz octave band, the lowest one the RT60 targets check. */
export const RT60_LOW_HZ = 250;
/** Largest `preDelaySamples` (500 ms at 48 kHz). */
export const MAX_PRE_DELAY_SAMPLES = 24000;

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
    /** Target RT60 at 500 Hz (RT60 mode), 0.1…30 s; 2 s when neither this nor `rt60BandsSeconds` is given. */
    rt60Seconds: z.number().min(0.1).max(30).optional(),
    /** Target RT60 at 4 kHz (RT60 mode), 0.05…30 s; null = same as `rt60Seconds` (frequency-flat decay). */
    rt60HighSeconds: z.number().min(0.05).max(30).nullable().default(null),
    /**
     * Target RT60 at 250 Hz (RT60 mode), 0.1…30 s; absent or null = no low anchor (the two-anchor
     * one-pole: T60 rises gently below 500 Hz as that filter's shape gives).
     */
    rt60LowSeconds: z.number().min(0.1).max(30).nullable().optional(),
    /**
     * Per-octave T60 targets (RT60 mode) instead of the three anchors, e.g. {"250": 2.8, "500": 2.2,
     * "1000": 2.1, "4000": 1.4}: three or more of 125…8000 Hz, 0.05…30 s each. Parsing fits
     * rt60LowSeconds/rt60Seconds/rt60HighSeconds to them (`fitAnchorsToBands`) and puts those in
     * their place (the parsed params carry the anchors, not the bands).
     */
    rt60BandsSeconds: z.partialRecord(z.enum(RT60_BAND_KEYS), z.number().min(0.05).max(30)).optional(),
    /** Line gain multiplier 0…1 (1 with no damping is lossless in manual mode). */
    feedbackGain: z.number().min(0).max(1).default(1),
    /** Manual-mode one-pole coefficient(s) d, 0…0.99: one for every line, or an array of one per line. */
    damping: z.union([z.number().min(0).max(0.99), z.array(z.number().min(0).max(0.99)).min(2).max(32)]).default(0.2),
    /** Pre-delay of the wet path, 0…500 ms (0 when neither this nor `preDelaySamples` is given). */
    preDelayMs: z.number().min(0).max(500).optional(),
    /** Pre-delay of the wet path in whole samples, 0…`MAX_PRE_DELAY_SAMPLES`; instead of `preDelayMs`. */
    preDelaySamples: z.number().int().min(0).max(MAX_PRE_DELAY_SAMPLES).optional(),
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
    if (p.rt60BandsSeconds !== undefined) {
      const count = Object.keys(p.rt60BandsSeconds).length;
      if (count < 3) ctx.addIssue({ code: 'custom', path: ['rt60BandsSeconds'], message: `expected at least three octave bands, got ${count}` });
      if (p.decayMode !== 'rt60') ctx.addIssue({ code: 'custom', path: ['rt60BandsSeconds'], message: "expected decayMode 'rt60' for band targets" });
      for (const key of ['rt60Seconds', 'rt60HighSeconds', 'rt60LowSeconds'] as const) {
        if (p[key] != null) ctx.addIssue({ code: 'custom', path: [key], message: 'expected either rt60BandsSeconds or the anchors rt60Seconds/rt60HighSeconds/rt60LowSeconds, not both' });
      }
    }
    if (p.decayMode === 'rt60' && p.rt60LowSeconds != null && p.rt60BandsSeconds === undefined && p.delayMaxMs > p.delayMinMs) {
      // Outside the shelf's reach the engine falls back to the two-anchor decay: say so here instead.
      const q = {
        lines: p.lines, delayMinMs: p.delayMinMs, delayMaxMs: p.delayMaxMs, rt60Seconds: p.rt60Seconds ?? 2,
        rt60HighSeconds: p.rt60HighSeconds ?? p.rt60Seconds ?? 2, midHz: RT60_MID_HZ, highHz: RT60_HIGH_HZ, lowHz: RT60_LOW_HZ,
      };
      if (!lowTargetMet(q, p.rt60LowSeconds)) {
        const reach = reachableLowTargetSeconds(q);
        const range = reach ? `${reach.minSeconds.toFixed(2)}…${reach.maxSeconds.toFixed(2)} s` : 'none';
        ctx.addIssue({ code: 'custom', path: ['rt60LowSeconds'], message: `expected a low target the lines' shelf can meet with rt60Seconds ${q.rt60Seconds} and rt60HighSeconds ${q.rt60HighSeconds} (at 48 kHz: ${range})` });
      }
    }
    if (p.preDelayMs !== undefined && p.preDelaySamples !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['preDelaySamples'], message: `expected either preDelayMs or preDelaySamples, not both (preDelayMs is ${p.preDelayMs})` });
    }
  })
  .transform((p) => {
    const preDelay = p.preDelayMs === undefined && p.preDelaySamples === undefined ? { preDelayMs: 0 } : {};
    if (p.rt60BandsSeconds === undefined) return { ...p, ...preDelay, rt60Seconds: p.rt60Seconds ?? 2 };
    // The bands are replaced by the fitted anchors, so the parsed params parse again (engine constructors do).
    const { rt60BandsSeconds, ...rest } = p;
    const fit = fitAnchorsToBands(rt60BandsSeconds);
    return { ...rest, ...preDelay, rt60Seconds: fit.rt60Seconds, rt60HighSeconds: fit.rt60HighSeconds, rt60LowSeconds: fit.rt60LowSeconds };
  });

export type ReverbParams = z.output<typeof reverbParamsSchema>;
export type ReverbParamsInput = z.input<typeof reverbParamsSchema>;

/** Parameters that Param events may change (the engine's `paramNames`, in `paramIndex` order). */
export const REVERB_PARAM_NAMES = [
  'wetDry', 'feedbackGain', 'rt60Seconds', 'rt60HighSeconds', 'preDelayMs', 'modDepthMs', 'modRateHz',
  'rt60LowSeconds', 'preDelaySamples',
] as const;
export type ReverbParamName = (typeof REVERB_PARAM_NAMES)[number];
