import { PILOT_CYCLES_PER_SAMPLE } from '../../src/analysis/dropouts/pilotToneDetector.ts';
import type { AudioRig, RigCallback, RigPeriod } from '../../src/host/audioRig.ts';
import { isRingRig } from '../../src/host/ringRig.ts';
import type { FloatWavWriter } from '../../src/io/floatWavStream.ts';

/** Level of the pilot tone on the rig's spare pair (−12 dBFS). */
export const PILOT_AMPLITUDE = 0.25;

/**
 * Periods over which the clock map takes its lower envelope (~170 ms at 128 frames / 48 kHz): long
 * enough to see a callback that came on time, short enough to follow a stream clock that runs slow or
 * fast against the host's (a JACK dummy driver under load drifts by whole percent).
 */
export const OFFSET_WINDOW = 64;

/**
 * Periods after a host time over which `frameAtHostMsAfterRun` takes its lower envelope (~85 ms).
 * A callback's host time is late, never early, against the stream, by two different causes that a
 * look backwards cannot tell apart: JavaScript ran late (later periods come in a burst and the offset
 * falls back) or the stream clock itself stalled (a JACK dummy driver that waited: the offset steps up
 * and stays). Looking forwards from the moment in question the first on-time callback after it gives
 * the offset valid at that moment in both cases — as long as the stream runs on time once within the
 * window, which the recorded periods show.
 */
const FORWARD_WINDOW = 32;

/**
 * The first n frames of a period's channel: the array itself when that is all of it. A subarray is an
 * object per channel and period — on the control thread, which also receives the commands, 32 of them a
 * period were 2.4 MB/s of garbage: a scavenge every ~40 ms (0.8–2.2 ms each) while streaming, and a
 * command arriving during one waited for it (latency-probe transport up to 2.1 ms on jack-native).
 */
const whole = (x: Float32Array, n: number): Float32Array => (n === x.length ? x : x.subarray(0, n));

/** Periods batched per spill write (8192 frames at 128: 1 MB for 32 channels, ~6 writes a second). */
const SPILL_BATCH_PERIODS = 64;

/**
 * Wraps a rig so that every captured input frame from `originFrame` on is kept, indexed by
 * (stream frame − originFrame), while the server's own callback runs as usual. The copy is the only
 * work done in the audio callback (a few µs per period for 32 channels); analysis runs afterwards.
 * Also keeps each period's flags, and the recent lower envelope of host time − frame time, the
 * measured map from the harness's clock to the stream clock.
 *
 * With a `spill` writer (a soak: 32 channels are 6 MB per second) the frames go to that float WAV
 * instead, in batches of SPILL_BATCH_PERIODS periods (one positional write each), and `inputs` is empty.
 */
export class CaptureRecorder {
  readonly inputs: Float32Array[];
  private readonly spillBatch: Float32Array[];
  private spillFrom = 0;
  private spillFill = 0;
  /** RigFlag bits per period since the origin (index = (frameIndex − origin) / periodFrames). */
  readonly periodFlags: Int32Array;
  originFrame = 0;
  /** Stream frame just past the last period seen. */
  position = 0;
  /** Frames recorded (from the origin). */
  recordedFrames = 0;
  /** Stream frame of the first period seen (the first block the server's engine processed); NaN before. */
  firstFrame = Number.NaN;
  /** Lower envelope of (hostTimeMs − frameIndex·1000/fs) over the last OFFSET_WINDOW periods: the host → stream clock map. */
  hostOffsetMs = Number.POSITIVE_INFINITY;
  private readonly offsets = new Float64Array(OFFSET_WINDOW).fill(Number.POSITIVE_INFINITY);
  periods = 0;
  /** Host time and frame of every period seen (in order), for the after-run clock map. */
  private readonly periodHostMs: Float64Array;
  private readonly periodFrame: Float64Array;
  /** Time spent copying in the callback, ms (the harness's share of the audio thread). */
  copyMs = 0;

  constructor(readonly rig: AudioRig, readonly frames: number, private readonly spill?: FloatWavWriter) {
    this.inputs = spill ? [] : Array.from({ length: rig.inputChannels }, () => new Float32Array(frames));
    this.spillBatch = spill ? Array.from({ length: rig.inputChannels }, () => new Float32Array(SPILL_BATCH_PERIODS * rig.periodFrames)) : [];
    this.periodFlags = new Int32Array(Math.ceil(frames / rig.periodFrames) + 1);
    // Room for the periods before the origin (the clock map settling, ~0.1 s) and after the end.
    const capacity = Math.ceil(frames / rig.periodFrames) + Math.ceil(rig.sampleRate / rig.periodFrames) + 64;
    this.periodHostMs = new Float64Array(capacity);
    this.periodFrame = new Float64Array(capacity);
  }

  /**
   * How the server should see the rig so that this recorder hears every period: an in-thread host gets
   * the rig wrapped (wrap()); a worker host (a RingRig) gets the rig itself and `onPeriod`, which the
   * server calls on this thread from its tap ring. The pilot tone needs the in-thread path (it is
   * written into the outputs inside the callback).
   */
  attach(): { rig: AudioRig; onPeriod?: (p: RigPeriod) => void } {
    return isRingRig(this.rig) ? { rig: this.rig, onPeriod: (p) => this.record(p) } : { rig: this.wrap() };
  }

  /** The rig seen through this recorder: start() records, then calls the server's callback. */
  wrap(): AudioRig {
    const rig = this.rig;
    const wrapped = Object.create(rig) as AudioRig;
    wrapped.start = (callback: RigCallback) => rig.start((p) => {
      this.record(p);
      callback(p);
      // The pilot goes out on the spare pair after the server has filled the period (it wins over any
      // engine output there), phase-continuous on the stream clock.
      const pilot = rig.pilot;
      if (pilot && pilot.output < p.outputs.length) {
        const out = p.outputs[pilot.output];
        const w = 2 * Math.PI * PILOT_CYCLES_PER_SAMPLE;
        for (let j = 0; j < p.frames; j++) out[j] = PILOT_AMPLITUDE * Math.sin(w * ((p.frameIndex + j) % 48000));
      }
    });
    wrapped.stop = () => rig.stop();
    wrapped.advance = (n: number) => rig.advance(n);
    return wrapped;
  }

  /** Keeps one period's inputs, flags and timing (copies only: it may run in the audio callback). */
  record(p: RigPeriod): void {
    const t0 = performance.now();
    const rig = this.rig;
    if (this.periods === 0) this.firstFrame = p.frameIndex;
    if (this.periods < this.periodHostMs.length) {
      this.periodHostMs[this.periods] = p.hostTimeMs;
      this.periodFrame[this.periods] = p.frameIndex;
    }
    this.periods++;
    this.offsets[this.periods % OFFSET_WINDOW] = p.hostTimeMs - (p.frameIndex * 1000) / rig.sampleRate;
    let low = Number.POSITIVE_INFINITY;
    for (let i = 0; i < OFFSET_WINDOW; i++) if (this.offsets[i] < low) low = this.offsets[i];
    this.hostOffsetMs = low;
    const rel = p.frameIndex - this.originFrame;
    if (rel >= 0 && rel < this.frames) {
      const n = Math.min(p.frames, this.frames - rel);
      if (this.spill) this.spillPeriod(p.inputs, rel, n);
      else for (let c = 0; c < this.inputs.length; c++) this.inputs[c].set(whole(p.inputs[c], n), rel);
      this.recordedFrames = Math.max(this.recordedFrames, rel + n);
      this.periodFlags[Math.floor(rel / rig.periodFrames)] |= p.flags;
    }
    this.position = p.frameIndex + p.frames;
    this.copyMs += performance.now() - t0;
  }

  /** Adds a period to the spill batch (written when full, or first if the period does not follow it). */
  private spillPeriod(inputs: readonly Float32Array[], rel: number, n: number): void {
    const batch = this.spillBatch;
    if (this.spillFill > 0 && (rel !== this.spillFrom + this.spillFill || this.spillFill + n > batch[0].length)) this.flushSpill();
    if (this.spillFill === 0) this.spillFrom = rel;
    for (let c = 0; c < batch.length; c++) batch[c].set(whole(inputs[c], n), this.spillFill);
    this.spillFill += n;
  }

  private flushSpill(): void {
    if (this.spill && this.spillFill > 0) this.spill.write(this.spillBatch, this.spillFrom, this.spillFill);
    this.spillFill = 0;
  }

  /** Writes what is batched and closes the spill file (no-op without one). */
  closeSpill(): void {
    this.flushSpill();
    this.spill?.close();
  }

  /** Stream frame of a host time (performance.now() ms), by the clock map measured so far (live use). */
  frameAtHostMs(hostMs: number): number {
    return ((hostMs - this.hostOffsetMs) * this.rig.sampleRate) / 1000;
  }

  /**
   * Stream frame of a host time by the periods recorded after it (FORWARD_WINDOW): the measurement's
   * map, used once the run is over. Falls back to the live map when no period followed.
   */
  frameAtHostMsAfterRun(hostMs: number): number {
    const low = this.offsetFrom(this.firstPeriodAt(hostMs, this.periodHostMs));
    if (low === null) return this.frameAtHostMs(hostMs);
    return ((hostMs - low) * this.rig.sampleRate) / 1000;
  }

  /**
   * How long the stream clock stood still (or lost time) against the host clock between a host time
   * and a later stream frame, ms: the after-run offset at the frame minus the offset from the last
   * period before the host time. About 0
   * on any interface with its own clock; a JACK dummy driver that waited for a late cycle (sync mode)
   * shows the wait. null when no period was recorded after either point.
   */
  clockStallMsAfterRun(fromHostMs: number, toFrame: number): number | null {
    // From the last period before the host time: a stall that began between that period and the
    // send (or just after the send, before the next period) counts — the send straddled it.
    const a = this.offsetFrom(Math.max(0, this.firstPeriodAt(fromHostMs, this.periodHostMs) - 1));
    const b = this.offsetFrom(this.firstPeriodAt(toFrame, this.periodFrame));
    return a === null || b === null ? null : b - a;
  }

  /** The host time of the period at stream frame `frame` (its callback's entry on jack-native), or null when none was recorded there. */
  hostMsAtFrame(frame: number): number | null {
    const i = this.firstPeriodAt(frame, this.periodFrame);
    return i < Math.min(this.periods, this.periodFrame.length) && this.periodFrame[i] === frame ? this.periodHostMs[i] : null;
  }

  /** Index of the first recorded period whose `key` (host ms or frame) is at or after `value`. */
  private firstPeriodAt(value: number, key: Float64Array): number {
    const n = Math.min(this.periods, key.length);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Lower envelope of (host − frame time) over FORWARD_WINDOW periods from index `from`; null past the end. */
  private offsetFrom(from: number): number | null {
    const n = Math.min(this.periods, this.periodHostMs.length);
    let low = Number.POSITIVE_INFINITY;
    for (let i = from; i < Math.min(n, from + FORWARD_WINDOW); i++) {
      const offset = this.periodHostMs[i] - (this.periodFrame[i] * 1000) / this.rig.sampleRate;
      if (offset < low) low = offset;
    }
    return low === Number.POSITIVE_INFINITY ? null : low;
  }
}
