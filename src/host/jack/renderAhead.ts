import { type RigCallback, type RigPeriod, RigFlag } from '../audioRig.ts';
import { Ctl, Meta, type PeriodRings, RingState } from './periodRings.ts';

/** How the rendering thread sleeps until the next cycle: never by spinning. */
export interface CycleWaiter {
  /** Blocks until a cycle was posted (true) or `timeoutMs` passed (false). */
  wait(timeoutMs: number): boolean;
}

/** Waits on a change of Ctl.CYCLES (a JavaScript cycle source calls Atomics.notify on it). */
export function atomicsCycleWaiter(ctl: Int32Array): CycleWaiter {
  let seen = Atomics.load(ctl, Ctl.CYCLES);
  return {
    wait(timeoutMs) {
      const r = Atomics.wait(ctl, Ctl.CYCLES, seen, timeoutMs);
      seen = Atomics.load(ctl, Ctl.CYCLES);
      return r !== 'timed-out';
    },
  };
}

/** Counters of the rendering side (the callback keeps its own in Ctl). */
export interface RenderAheadStats {
  /** Input periods rendered (one engine block each). */
  blocks: number;
  /** Blocks rendered after their cycle had already played (silence went out instead): not queued. */
  lateBlocks: number;
  /** Gaps in the input's stream frames (input periods the callback could not queue, or cycles JACK skipped); each is rendered on silent inputs. */
  inputGaps: number;
  /**
   * Gaps of a ring or more, not rendered: the engine's block clock left the stream clock there (its output
   * after it no longer lines up with an offline render of the same events).
   */
  unfilledGaps: number;
  /**
   * Input periods whose frame was not after the last one rendered (JACK's asynchronous mode can run a late
   * client twice on one cycle's frame): not rendered, since the engine has already rendered that frame.
   */
  repeatedFrames: number;
}

/**
 * The worker's half of the decoupled real-time pattern. The callback (jackClient.c) hands over input
 * period n (stream frame f = its frame) and plays whatever block is stamped with its own frame. This
 * side renders one block per input period and stamps it f + fillPeriods·P: the output ring holds
 * `fillPeriods` blocks ahead of the callback once `prime()` has queued that many silent ones, so the
 * engine has fillPeriods periods, minus the callback's own time, to finish a block.
 * `streamBufferingFrames = fillPeriods · periodFrames` in the AudioRig timing model.
 *
 * A block whose frame is not after the newest cycle the callback has started is late: it is dropped
 * here (counted) rather than queued behind its time; the callback has already played silence (counted
 * as an underrun there). After a stall the worker catches up through the queued inputs, so the
 * engine's block clock stays on the stream clock; only the late blocks are lost. A gap in the input's
 * frames (a full input ring, or cycles the server skipped: the dummy driver in asynchronous mode does
 * when it runs late) is rendered on silent inputs, so the blocks due after it exist. A period whose frame
 * is not after the last one rendered is not rendered again (counted): one more block would put every
 * later block of the engine a period behind the stream clock for the rest of the run.
 *
 * Host time of a period = when the JACK callback began that cycle (jack_get_time() at its entry, µs), mapped
 * to performance.now() by `hostMsOfCycleUs`: the device's cycle as the callback saw it, late and never early
 * (a lower envelope over periods takes the lateness out, captureRecorder.ts), not the time this thread
 * happened to wake — and not JACK's published cycle times, whose DLL rings for seconds after a late
 * cycle of the dummy driver (jackClient.c; measured: 33 ms early to 7 ms late).
 */
export class RenderAhead {
  readonly stats: RenderAheadStats = { blocks: 0, lateBlocks: 0, inputGaps: 0, unfilledGaps: 0, repeatedFrames: 0 };
  private readonly period: { -readonly [K in keyof RigPeriod]: RigPeriod[K] };
  private readonly meta = new Float64Array(Meta.SLOTS);
  /**
   * The block render() makes next: [input frame, host time ms, flags]. Handed over in a typed array, not
   * as arguments: render() is not inlined, and a fractional double passed to a call is boxed (16 bytes a
   * period, the V8 sampling heap profiler in the render worker).
   */
  private readonly block = new Float64Array(3);
  private readonly silentInputs: Float32Array[];
  private readonly P: number;
  private nextFrame = 0;

  constructor(
    readonly rings: PeriodRings,
    readonly fillPeriods: number,
    private readonly hostMsOfCycleUs: (cycleUs: number) => number,
  ) {
    const { inputs, outputs, periodFrames, ringPeriods } = rings.layout;
    if (!(fillPeriods >= 1 && fillPeriods < ringPeriods)) throw new RangeError(`RenderAhead: fillPeriods must be 1…${ringPeriods - 1}, got ${fillPeriods}`);
    this.P = periodFrames;
    this.silentInputs = Array.from({ length: inputs }, () => new Float32Array(periodFrames));
    this.period = {
      inputs: Array.from({ length: inputs }, () => new Float32Array(periodFrames)),
      outputs: Array.from({ length: outputs }, () => new Float32Array(periodFrames)),
      frames: periodFrames, frameIndex: 0, outputFrameIndex: 0, hostTimeMs: 0, flags: 0,
    };
  }

  get streamBufferingFrames(): number {
    return this.fillPeriods * this.P;
  }

  /** Queues fillPeriods silent blocks for stream frames 0, P, …: call before the callback starts. */
  prime(): void {
    for (const o of this.period.outputs) o.fill(0);
    for (let i = 0; i < this.fillPeriods; i++) this.rings.writeOutput(this.period.outputs, i * this.P);
  }

  /** Renders every queued input period through `callback`; returns how many. Never waits. */
  pump(callback: RigCallback): number {
    const p = this.period;
    const rings = this.rings;
    let n = 0;
    while (rings.readInput(p.inputs, this.meta)) {
      const frame = this.meta[Meta.FRAME];
      const hostMs = this.hostMsOfCycleUs(this.meta[Meta.ENTRY_US]);
      if (frame < this.nextFrame && this.stats.blocks > 0) {
        // A cycle run twice on one frame (asynchronous JACK waking a late client: one cycle reads the next
        // cycle's frame, the next the same again). The engine rendered this frame already; its block is queued.
        this.stats.repeatedFrames++;
        n++;
        continue;
      }
      if (frame !== this.nextFrame && this.stats.blocks > 0) {
        this.stats.inputGaps++;
        // Periods the stream clock passed without their input (lost in a full ring, or cycles the server
        // skipped): the engine still renders them, on silent inputs, so that its clock stays on the
        // stream's and the blocks due after the gap exist. A gap of a ring or more, or not a whole number
        // of periods, is not filled (counted: the engine's clock leaves the stream's there).
        const gap = (frame - this.nextFrame) / this.P;
        if (Number.isInteger(gap) && gap > 0 && gap < this.rings.layout.ringPeriods) {
          const inputs = p.inputs;
          p.inputs = this.silentInputs;
          for (let f = this.nextFrame; f < frame; f += this.P) {
            this.block[0] = f;
            this.block[1] = hostMs - ((frame - f) * 1000) / this.sampleRateOf();
            this.block[2] = RigFlag.InputOverflow;
            this.render(callback);
          }
          p.inputs = inputs;
        } else {
          this.stats.unfilledGaps++;
        }
      }
      this.nextFrame = frame + this.P;
      this.block[0] = frame;
      this.block[1] = hostMs;
      this.block[2] = this.meta[Meta.FLAGS];
      this.render(callback);
      n++;
    }
    return n;
  }

  /** One engine block for input frame block[0], queued for output frame block[0] + fill·P unless already too late. */
  private render(callback: RigCallback): void {
    const p = this.period;
    const frame = this.block[0];
    const rings = this.rings;
    // Indexed, not for…of: the array iterator was allocated on every block (0.8 MB a minute in the render
    // worker, the V8 sampling heap profiler in a 1-minute jack-native soak).
    const outputs = p.outputs;
    for (let k = 0; k < outputs.length; k++) outputs[k].fill(0);
    p.frameIndex = frame;
    p.outputFrameIndex = frame + this.streamBufferingFrames;
    p.hostTimeMs = this.block[1];
    p.flags = this.block[2];
    try {
      callback(p);
    } catch {
      for (let k = 0; k < outputs.length; k++) outputs[k].fill(0);
    }
    this.stats.blocks++;
    // The newest cycle the callback has started: its input is the last one queued.
    const newest = rings.meta[(((Atomics.load(rings.ctl, Ctl.IN_WRITE) - 1) >>> 0) % rings.layout.ringPeriods) * Meta.SLOTS + Meta.FRAME];
    if (p.outputFrameIndex <= newest || !rings.writeOutput(p.outputs, p.outputFrameIndex)) this.stats.lateBlocks++;
  }

  /** The stream's nominal sample rate (Meta.PERIOD_US: the nominal period, µs, per P frames), for placing gap periods in host time. */
  private sampleRateOf(): number {
    const periodUs = this.meta[Meta.PERIOD_US];
    return periodUs > 0 ? (this.P * 1e6) / periodUs : 48000;
  }

  /**
   * The rendering thread's loop: wait for a cycle, render what came in, until `shouldStop()` or the
   * callback side closed. `beforeWait` runs once per wake-up (control work, test hooks).
   */
  run(callback: RigCallback, waiter: CycleWaiter, shouldStop: () => boolean, beforeWait?: () => void): void {
    while (!shouldStop()) {
      const state = Atomics.load(this.rings.ctl, Ctl.STATE);
      if (state === RingState.SHUTDOWN || state === RingState.CLOSED) break;
      this.pump(callback);
      beforeWait?.();
      waiter.wait(100);
    }
  }
}
