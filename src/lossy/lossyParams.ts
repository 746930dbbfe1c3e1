import { z } from 'zod';

/** The processing stages of the lossy chain, each in its own file under src/lossy/. */
export const LOSSY_STAGES = ['filters', 'codec', 'bitcrush', 'packetLoss', 'gate', 'limiter'] as const;
export type LossyStageName = (typeof LOSSY_STAGES)[number];

const powerOfTwo = (min: number, max: number) =>
  z.number().int().min(min).max(max).refine((n) => (n & (n - 1)) === 0, { message: 'expected a power of two' });

export const biquadTypeSchema = z.enum(['lowpass', 'highpass', 'bandpass', 'notch', 'peaking', 'lowshelf', 'highshelf', 'allpass']);

export const lossyFilterSchema = z.strictObject({
  type: biquadTypeSchema.default('lowpass'),
  /** Corner or centre frequency; clamped below 0.49·fs at prepare time. */
  frequencyHz: z.number().min(10).max(40000).default(1000),
  q: z.number().min(0.05).max(40).default(Math.SQRT1_2),
  /** Gain of peaking and shelving filters; ignored by the others. */
  gainDb: z.number().min(-48).max(48).default(0),
});

/**
 * STFT codec emulation (see stftCodec.ts for the model). `hopSize` must divide `frameSize` with an
 * overlap of 2, 4 or 8; the frame grid is anchored to absolute time; latency is `frameSize` samples.
 */
export const codecSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    frameSize: powerOfTwo(64, 8192).default(1024),
    hopSize: powerOfTwo(8, 4096).default(512),
    /** Total bit rate over both channels. */
    bitrateKbps: z.number().min(1).max(1536).default(64),
    /** Upper band edge: bins above it are discarded (the band-limited spectrum). */
    bandwidthHz: z.number().min(500).max(48000).default(16000),
    /** Lower band edge: bins below it are discarded. */
    lowCutHz: z.number().min(0).max(2000).default(0),
    /** Number of quantisation bands, spaced evenly on the Bark scale up to `bandwidthHz`. */
    bandCount: z.number().int().min(1).max(48).default(20),
    /** Side information per band per frame (the scale factor), taken from the bit budget. */
    scaleFactorBits: z.number().int().min(0).max(16).default(6),
    /** Bits per bin component beyond which a band gets no more (a real codec's largest codebook). */
    maxBitsPerBin: z.number().int().min(1).max(24).default(16),
  })
  .refine((c) => c.hopSize < c.frameSize && [2, 4, 8].includes(c.frameSize / c.hopSize), {
    message: 'expected hopSize = frameSize / 2, / 4 or / 8',
    path: ['hopSize'],
  });

export const bitcrushSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Quantiser word length: 2^(bitDepth−1) steps per unit, mid-tread. Fractional depths are allowed. */
  bitDepth: z.number().min(1).max(32).default(16),
  /** Sample-and-hold rate; null keeps every sample (no rate reduction). */
  holdRateHz: z.number().min(100).max(384000).nullable().default(null),
});

export const packetLossSchema = z.strictObject({
  enabled: z.boolean().default(false),
  packetMs: z.number().min(1).max(500).default(20),
  /** Long-run share of lost packets. */
  lossPercent: z.number().min(0).max(100).default(0),
  /**
   * Correlation ρ = 1 − p − r of the Gilbert two-state chain: 0 gives independent losses; towards 1 the
   * losses cluster in bursts of mean length 1 / ((1 − L)(1 − ρ)) packets.
   */
  burstiness: z.number().min(0).max(0.99).default(0),
  concealment: z.enum(['repeat', 'silence']).default('repeat'),
  /** Each further repeat of the same packet is this much quieter. */
  repeatAttenuationDb: z.number().min(0).max(60).default(6),
  /** Crossfade at every change between received and concealed packets (capped at the packet length). */
  fadeMs: z.number().min(0).max(20).default(2),
});

export const gateSchema = z.strictObject({
  enabled: z.boolean().default(false),
  thresholdDb: z.number().min(-120).max(0).default(-50),
  /** Attenuation applied while closed. */
  rangeDb: z.number().min(-120).max(0).default(-80),
  attackMs: z.number().min(0.01).max(100).default(1),
  holdMs: z.number().min(0).max(1000).default(20),
  releaseMs: z.number().min(1).max(5000).default(100),
});

export const limiterSchema = z.strictObject({
  enabled: z.boolean().default(true),
  ceilingDb: z.number().min(-60).max(0).default(-0.3),
  releaseMs: z.number().min(1).max(5000).default(80),
});

export const lossyParamsSchema = z.strictObject({
  /** Seed of the packet-loss PRNG: the same seed and input give the same output, bit for bit. */
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  /** Processing order: a permutation of all six stages (disabled stages pass audio through). */
  order: z
    .array(z.enum(LOSSY_STAGES))
    .length(LOSSY_STAGES.length)
    .refine((o) => new Set(o).size === o.length, { message: 'expected each stage exactly once' })
    .default([...LOSSY_STAGES]),
  inputGainDb: z.number().min(-60).max(24).default(0),
  outputGainDb: z.number().min(-60).max(24).default(0),
  filters: z
    .strictObject({
      enabled: z.boolean().default(false),
      bands: z.array(lossyFilterSchema).max(8).default([]),
    })
    .prefault({}),
  codec: codecSchema.prefault({}),
  bitcrush: bitcrushSchema.prefault({}),
  packetLoss: packetLossSchema.prefault({}),
  gate: gateSchema.prefault({}),
  limiter: limiterSchema.prefault({}),
});

export type LossyParams = z.output<typeof lossyParamsSchema>;
export type LossyParamsInput = z.input<typeof lossyParamsSchema>;
export type CodecParams = z.output<typeof codecSchema>;
export type BitcrushParams = z.output<typeof bitcrushSchema>;
export type PacketLossParams = z.output<typeof packetLossSchema>;
export type GateParams = z.output<typeof gateSchema>;
export type LimiterParams = z.output<typeof limiterSchema>;
export type LossyFilterParams = z.output<typeof lossyFilterSchema>;

/** Parameters that Param events may change, in `paramIndex` order (values clamped to the schema's range). */
export const LOSSY_PARAM_NAMES = ['bitcrush.bitDepth', 'packetLoss.lossPercent', 'gate.thresholdDb', 'limiter.ceilingDb', 'outputGainDb'] as const;
export const LossyParamIndex = { bitDepth: 0, lossPercent: 1, gateThresholdDb: 2, limiterCeilingDb: 3, outputGainDb: 4 } as const;
/** Allowed range of each automatable parameter, in `paramIndex` order. */
export const LOSSY_PARAM_RANGES: readonly (readonly [number, number])[] = [[1, 32], [0, 100], [-120, 0], [-60, 0], [-60, 24]];

/** The automatable values of a parameter set, in `paramIndex` order. */
export function automatableValues(p: LossyParams): number[] {
  return [p.bitcrush.bitDepth, p.packetLoss.lossPercent, p.gate.thresholdDb, p.limiter.ceilingDb, p.outputGainDb];
}
