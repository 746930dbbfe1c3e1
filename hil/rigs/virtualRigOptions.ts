import { z } from 'zod';

/**
 * Options of the virtual rig, validated with zod (rig files embed them under "virtual").
 * Channels are 0-based. Frames are input stream-clock frames (see audioRig.ts).
 */
export const faultSchema = z.strictObject({
  /**
   * zero: input frames [atFrame, atFrame+lengthFrames) read as silence (no timeline shift);
   * repeat: the lengthFrames frames before atFrame are captured again (inserted: later input shifts
   *   lengthFrames later);
   * drop: lengthFrames frames of the loop are skipped (later input shifts lengthFrames earlier);
   * stall: input frames [atFrame, atFrame+lengthFrames) read as silence and the loop then goes on where it
   *   was (later input shifts lengthFrames later), as an output that underran and played on late does.
   * A fault applies to every input channel at once, as a stream glitch does.
   */
  kind: z.enum(['zero', 'repeat', 'drop', 'stall']),
  atFrame: z.number().int().min(0),
  lengthFrames: z.number().int().min(1).max(1 << 16).default(1),
});
export type FaultSpec = z.input<typeof faultSchema>;

export const virtualRigOptionsSchema = z.strictObject({
  sampleRate: z.number().int().min(8000).max(384000).default(48000),
  periodFrames: z.number().int().min(16).max(8192).default(128),
  inputChannels: z.number().int().min(1).max(256).default(32),
  outputChannels: z.number().int().min(1).max(256).default(32),
  /** Periods between the callback's outputs and the DAC. */
  bufferPeriods: z.number().int().min(1).max(16).default(1),
  /** Device loop latency DAC → ADC in (fractional) samples: one value, or one per output channel. */
  latencySamples: z.union([z.number().min(0).max(16384), z.array(z.number().min(0).max(16384))]).default(128),
  /** Output k lands on input channelMap[k] (−1: not wired). Default identity. */
  channelMap: z.array(z.number().int().min(-1)).optional(),
  /** Output channels whose polarity the loop inverts. */
  invertedOutputs: z.array(z.number().int().min(0)).default([]),
  /** Gain of the loop in dB, one value or per output. */
  gainDb: z.union([z.number().min(-200).max(40), z.array(z.number().min(-200).max(40))]).default(0),
  /** RMS of white Gaussian noise added to every input, dBFS; null = none. */
  noiseFloorDbfs: z.number().min(-300).max(0).nullable().default(null),
  /** Input clock relative to output clock: the loop delay grows by driftPpm·1e-6 samples per sample. */
  driftPpm: z.number().min(-1000).max(1000).default(0),
  faults: z.array(faultSchema).default([]),
  seed: z.number().int().default(1),
  /** simulated: periods run only through advance() (deterministic); realtime: a timer paces them. */
  clock: z.enum(['simulated', 'realtime']).default('simulated'),
});
export type VirtualRigOptions = z.input<typeof virtualRigOptionsSchema>;
export type VirtualRigConfig = z.output<typeof virtualRigOptionsSchema>;
