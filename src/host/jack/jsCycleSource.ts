import { copySamples } from '../../dsp/copySamples.ts';
import { RigFlag } from '../audioRig.ts';
import { Ctl, Meta, type PeriodRings, RingState } from './periodRings.ts';

/**
 * jackClient.c's process callback in JavaScript, step for step, on the same rings: the device side
 * for tests and simulations without JACK. `cycle()` plays the block stamped with this cycle's frame
 * (discarding older ones; silence plus a counted, recorded underrun when there is none), queues the
 * inputs with their Meta record, and wakes the renderer (Atomics.notify on Ctl.CYCLES, which
 * atomicsCycleWaiter waits on). Frames advance by one period per cycle; each record carries the nominal
 * period (Meta.PERIOD_US, from `sampleRateHz`), as the callback's does, so the renderer places the periods
 * of a gap in host time at the stream's own rate.
 */
export class JsCycleSource {
  private frame = 0;
  private flags = 0;
  /** Stream frame of the last cycle run (−1 before the first). */
  private lastFrame = -1;

  private readonly periodUs: number;

  constructor(readonly rings: PeriodRings, sampleRateHz: number) {
    this.periodUs = (rings.layout.periodFrames * 1e6) / sampleRateHz;
    Atomics.store(rings.ctl, Ctl.STATE, RingState.RUNNING);
  }

  /** Stream frame of the next cycle. */
  get nextFrame(): number {
    return this.frame;
  }

  /** True when the block for the next cycle is queued (a test may wait for it: a synchronous device). */
  get nextBlockReady(): boolean {
    const r = this.rings;
    for (let i = Atomics.load(r.ctl, Ctl.OUT_READ); i !== Atomics.load(r.ctl, Ctl.OUT_WRITE); i = (i + 1) | 0) {
      if (r.stamp[(i >>> 0) % r.layout.ringPeriods] === this.frame) return true;
      if (r.stamp[(i >>> 0) % r.layout.ringPeriods] > this.frame) return false;
    }
    return false;
  }

  /** One cycle: `outputs` receive what is played, `inputs` (planar, one per ring input) are queued. Returns false on an underrun. */
  cycle(inputs: readonly Float32Array[], outputs: readonly Float32Array[], cycleUs: number): boolean {
    const r = this.rings;
    const { ctl } = r;
    const { periodFrames: P, ringPeriods: R, inputs: nIn, outputs: nOut } = r.layout;
    if (this.lastFrame >= 0 && this.frame - this.lastFrame !== P) {
      // Cycles run without the callback (skip()): recorded as the callback does.
      Atomics.add(ctl, Ctl.FRAME_JUMPS, 1);
      const j = Atomics.load(ctl, Ctl.JUMP_WRITE);
      const at = ((j >>> 0) & (r.jumps.length / 2 - 1)) * 2;
      r.jumps[at] = this.lastFrame + P;
      r.jumps[at + 1] = this.frame - this.lastFrame;
      Atomics.store(ctl, Ctl.JUMP_WRITE, (j + 1) | 0);
    }
    this.lastFrame = this.frame;
    let rd = Atomics.load(ctl, Ctl.OUT_READ);
    const wr = Atomics.load(ctl, Ctl.OUT_WRITE);
    let slot = -1;
    while (rd !== wr) {
      const s = (rd >>> 0) % R;
      if (r.stamp[s] < this.frame) { rd = (rd + 1) | 0; Atomics.add(ctl, Ctl.STALE_BLOCKS, 1); continue; }
      if (r.stamp[s] === this.frame) slot = s;
      break;
    }
    for (let k = 0; k < nOut && k < outputs.length; k++) {
      if (slot >= 0) copySamples(r.output, (slot * nOut + k) * P, outputs[k], 0, P);
      else outputs[k].fill(0);
    }
    Atomics.store(ctl, Ctl.OUT_READ, slot >= 0 ? (rd + 1) | 0 : rd);
    if (slot < 0) {
      const u = Atomics.load(ctl, Ctl.UNDERRUN_WRITE);
      r.underruns[(u >>> 0) & (r.layout.underrunCapacity - 1)] = this.frame;
      Atomics.store(ctl, Ctl.UNDERRUN_WRITE, (u + 1) | 0);
      Atomics.add(ctl, Ctl.UNDERRUNS, 1);
      this.flags |= RigFlag.OutputUnderflow;
    }
    const w = Atomics.load(ctl, Ctl.IN_WRITE);
    if (((w - Atomics.load(ctl, Ctl.IN_READ)) | 0) < R) {
      const s = (w >>> 0) % R;
      for (let k = 0; k < nIn; k++) {
        const at = (s * nIn + k) * P;
        if (k < inputs.length) copySamples(inputs[k], 0, r.input, at, P);
        else r.input.fill(0, at, at + P);
      }
      const m = s * Meta.SLOTS;
      r.meta.fill(0, m, m + Meta.SLOTS);
      r.meta[m + Meta.FRAME] = this.frame;
      r.meta[m + Meta.JACK_FRAME] = this.frame % 2 ** 32;
      r.meta[m + Meta.ENTRY_US] = cycleUs;
      r.meta[m + Meta.PERIOD_US] = this.periodUs;
      r.meta[m + Meta.FLAGS] = this.flags;
      this.flags = 0;
      Atomics.store(ctl, Ctl.IN_WRITE, (w + 1) | 0);
    } else {
      Atomics.add(ctl, Ctl.INPUT_OVERFLOWS, 1);
      this.flags |= RigFlag.InputOverflow;
    }
    this.frame += P;
    Atomics.add(ctl, Ctl.CYCLES, 1);
    Atomics.notify(ctl, Ctl.CYCLES);
    return slot >= 0;
  }

  /**
   * The server skipped `periods` cycles (a late dummy driver in asynchronous mode): the frames pass, no
   * callback runs. Negative: the next cycle reads a frame already run (asynchronous JACK waking a late
   * client can give one cycle the next cycle's frame and the next cycle the same frame again).
   */
  skip(periods: number): void {
    this.frame += periods * this.rings.layout.periodFrames;
  }

  close(): void {
    Atomics.store(this.rings.ctl, Ctl.STATE, RingState.CLOSED);
    Atomics.add(this.rings.ctl, Ctl.CYCLES, 1);
    Atomics.notify(this.rings.ctl, Ctl.CYCLES);
  }
}
