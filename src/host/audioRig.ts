/**
 * One interface for every audio backend the HIL runs on (virtual, jack, portaudio).
 *
 * ## Timing model (the "stream clock")
 * A rig calls `callback(period)` once per audio period of `periodFrames` frames. Period n carries
 * - `frameIndex = n · periodFrames`: the stream-clock frame of `inputs[c][0]`, the harness's one sample
 *   clock. naudiodon rigs count from 0 at each `start()`; the virtual rig's clock continues across
 *   stop/start (its loop history and faults live on one timeline).
 * - `inputs`: what the interface captured at input frames [frameIndex, frameIndex + frames).
 * - `outputs`: zeroed buffers to fill now. They are played at OUTPUT frames
 *   [frameIndex + streamBufferingFrames, …): the rig's own buffering (periods queued between the
 *   callback and the DAC) is a constant known by construction. Output and input frame counters share
 *   an origin, so a loop with device latency L (DAC → ADC, including converters and driver periods)
 *   shows a sample written at `outputs[k][j]` of period n at input frame
 *   `frameIndex + j + streamBufferingFrames + L`. Calibration measures `streamBufferingFrames + L`;
 *   subtracting the constant gives the device's part.
 * - `hostTimeMs`: `performance.now()` when the callback was entered (virtual simulated clock: the
 *   simulated time `frameIndex / sampleRate · 1000` + the start's performance.now()). It jitters late,
 *   never early, relative to the true stream clock: a lower envelope of (hostTimeMs − frame time) is
 *   the best mapping from host time to stream frames.
 *
 * Per backend:
 * - virtual: the stream clock IS the simulation; output frames and input frames are ticked by the same
 *   counter; `streamBufferingFrames = bufferPeriods · periodFrames` (default 1 period); the device's
 *   loop latency is the configured fractional latency (plus drift and fault shifts, all recorded).
 * - jack / portaudio (naudiodon): frameIndex counts frames of the capture stream as naudiodon
 *   delivers them; outputs are written to naudiodon's playback queue after `prefillPeriods` periods of
 *   silence, so `streamBufferingFrames = prefillPeriods · periodFrames`, as long as no period is lost
 *   (naudiodon never drops chunks: when JavaScript is late the PortAudio callback waits, and the
 *   JACK server reports an xrun — the content shows the glitch and `flags` counts it).
 */

/** Backend status flags of one period (bitmask). */
export const RigFlag = {
  InputUnderflow: 1,
  InputOverflow: 2,
  OutputUnderflow: 4,
  OutputOverflow: 8,
  PrimingOutput: 16,
  /** The rig's own clock: the callback ran later than one period after it was due (paced clocks). */
  LateCallback: 32,
} as const;
export type RigFlag = (typeof RigFlag)[keyof typeof RigFlag];

export interface RigPeriod {
  /** One array per input channel, `frames` long: captured samples. Valid only during the callback. */
  readonly inputs: readonly Float32Array[];
  /** One array per output channel, `frames` long, zeroed before the callback: fill them. */
  readonly outputs: Float32Array[];
  readonly frames: number;
  /** Stream-clock frame of inputs[c][0] (and of the engine block computed in this callback). */
  readonly frameIndex: number;
  /** Output frame where outputs[c][0] is played: frameIndex + streamBufferingFrames. */
  readonly outputFrameIndex: number;
  /** performance.now() at callback entry (virtual simulated clock: simulated milliseconds). */
  readonly hostTimeMs: number;
  /** RigFlag bits seen since the previous period (0 = clean). */
  readonly flags: number;
}

export type RigCallback = (period: RigPeriod) => void;

/**
 * A rig's counters. Those of the stream (periods to maxCallbackMs) describe its current start, or its last
 * once stopped: every rig zeroes them at start() (resetStreamStats), so a status read during a run counts
 * that run alone. serverXruns and serverDriverXruns count over the rig's life; a caller takes a baseline
 * (hil/runner/runScenario.ts).
 */
export interface RigStats {
  periods: number;
  /** Periods with any RigFlag set, and counts per flag. */
  flaggedPeriods: number;
  inputOverflows: number;
  outputUnderflows: number;
  lateCallbacks: number;
  /** Raw backend messages (PortAudio status text), counted as the backend's own witness. */
  backendMessages: number;
  lastBackendMessage: string;
  /** Longest time spent inside the callback, ms. */
  maxCallbackMs: number;
  /** Xruns of our client the audio server reported (jackd's log, when the rig started jackd); −1 = unknown. */
  serverXruns: number;
  /** Cycles the audio server's driver itself ran late (a JACK dummy driver's timer, or waiting for a late client in sync mode); −1 = unknown. */
  serverDriverXruns: number;
}

export type RigKind = 'virtual' | 'jack' | 'portaudio';
export type RigClock = 'simulated' | 'realtime';

export interface AudioRig {
  readonly name: string;
  readonly kind: RigKind;
  readonly clock: RigClock;
  readonly sampleRate: number;
  readonly periodFrames: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  /** Output frames between the callback's outputs and the DAC, known by construction (see above). */
  readonly streamBufferingFrames: number;
  /**
   * Frames after a cycle begins that the engine waits before rendering its block (a render-ahead rig's render
   * delay, hil/rigs/rigFile.ts; absent: 0): commands arriving meanwhile make that block, so an event without a
   * timestamp waits at most periodFrames − renderDelayFrames for its block.
   */
  readonly renderDelayFrames?: number;
  /** Expected wiring: output k is wired to input channelMap[k] (0-based; −1 = not wired). */
  readonly channelMap: readonly number[];
  /** Spare channel pair for a pilot tone, when the rig file names one. */
  readonly pilot?: { output: number; input: number };
  readonly stats: RigStats;
  /** Starts the stream; resolves when the first period can be delivered. Rejects with RigError. */
  start(callback: RigCallback): Promise<void>;
  /** Stops the stream and releases the device (and a JACK server the rig started). Idempotent. */
  stop(): Promise<void>;
  /**
   * Simulated clock only: run `periods` periods now, synchronously. Realtime rigs throw RigError.
   */
  advance(periods: number): void;
}

/** An expected rig failure (missing package, bad device, bad configuration): one clear message. */
export class RigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RigError';
  }
}

export function makeRigStats(): RigStats {
  return {
    periods: 0, flaggedPeriods: 0, inputOverflows: 0, outputUnderflows: 0, lateCallbacks: 0,
    backendMessages: 0, lastBackendMessage: '', maxCallbackMs: 0, serverXruns: -1, serverDriverXruns: -1,
  };
}

/** Zeroes the stream's counters at a rig's start(); the server's xrun counts stay (see RigStats). */
export function resetStreamStats(stats: RigStats): void {
  const { serverXruns, serverDriverXruns } = stats;
  Object.assign(stats, makeRigStats(), { serverXruns, serverDriverXruns });
}

/** Adds a period's flags to the statistics. */
export function countFlags(stats: RigStats, flags: number): void {
  if (flags === 0) return;
  stats.flaggedPeriods++;
  if (flags & (RigFlag.InputOverflow | RigFlag.InputUnderflow)) stats.inputOverflows++;
  if (flags & (RigFlag.OutputUnderflow | RigFlag.OutputOverflow)) stats.outputUnderflows++;
  if (flags & RigFlag.LateCallback) stats.lateCallbacks++;
}

/** The identity wiring output k → input k (−1 beyond the inputs). */
export function identityMap(outputs: number, inputs: number): number[] {
  return Array.from({ length: outputs }, (_, k) => (k < inputs ? k : -1));
}
