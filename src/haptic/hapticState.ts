/** Counters of the haptic engine since prepare()/reset(); part of its state. */
export interface HapticStats {
  /** Note-ons (velocity > 0) received. */
  notesStarted: number;
  /** Notes that got a stimulus (free or stolen): allocations = notesStarted − drops. */
  allocations: number;
  /** Allocations that took a sounding stimulus from a full pool. */
  steals: number;
  /** Note-ons refused because the pool was full and the policy is 'drop' (or the pool is empty). */
  drops: number;
  /** Events the engine could not use (channel/note/value out of range, unknown kind or parameter, offset past the block). */
  malformedMidi: number;
  /** Output samples whose magnitude exceeded 1 before the ±1 clip. */
  clippedSamples: number;
}

export function emptyStats(): HapticStats {
  return { notesStarted: 0, allocations: 0, steals: 0, drops: 0, malformedMidi: 0, clippedSamples: 0 };
}

/** Monitoring figures; not state, not output (the timing is wall-clock). */
export interface HapticStatus {
  /** Per transducer, of the LAST processed block (after the limiter): peak |x| and RMS, linear. */
  peak: number[];
  rms: number[];
  activeTravelling: number;
  activeStanding: number;
  /** Wall time of the last process() call / the block's duration (1 = all of real time). */
  loadFraction: number;
}

/** Everything the engine remembers; structured-cloneable. */
export interface HapticState {
  version: 1;
  sampleRate: number;
  frame: number;
  writeIndex: number;
  serial: number;
  waveSpeedMps: number;
  masterGainDb: number;
  /** Per MIDI channel: pressure, bend, timbre. */
  channels: Float64Array;
  /** Param-event values not yet applied (equal to the two fields above between blocks). */
  paramValues: Float64Array;
  /** The master-gain ramp (masterGainRamp.ts): ratio, step, target ratio, target dB, baked dB, frames left; absent = at rest. */
  masterGainRamp?: Float64Array;
  /** Frames left in a wave-speed crossfade (its old taps are the second half of `taps`); absent = none. */
  waveSpeedFadeFrames?: number;
  /** Pools: integer fields (stage, channel, note, …) and floating-point fields, see stimulusPool.ts. */
  travellingMeta: Int32Array;
  travelling: Float64Array;
  standingMeta: Int32Array;
  standing: Float64Array;
  /** The float32 histories of the travelling stimuli. */
  history: Float32Array;
  /** The per-transducer tap table (integer delays and coefficients) as raw bytes. */
  taps: Uint8Array;
  stats: HapticStats;
}
