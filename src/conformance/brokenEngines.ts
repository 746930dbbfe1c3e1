import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind } from '../engine/events.ts';

/**
 * A small engine that keeps the contract: a one-pole low-pass whose gain is set by Param events at
 * their exact sample. The base for the deliberately broken engines that prove each check can fail.
 */
export class ToyFilter implements Engine<{ y: number; gain: number }> {
  readonly name: string = 'toy-filter';
  readonly numInputs = 1;
  readonly numOutputs = 1;
  readonly paramNames = ['gain'] as const;
  protected y = 0;
  protected gain = 1;

  prepare(_options: PrepareOptions): void {
    this.reset();
  }
  reset(): void {
    this.y = 0;
    this.gain = 1;
  }
  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const x = inputs[0];
    const out = outputs[0];
    let e = 0;
    for (let i = 0; i < frames; i++) {
      while (e < eventCount && events[e].offsetFrames <= i) {
        if (events[e].kind === EventKind.Param) this.gain = events[e].value;
        e++;
      }
      this.y += 0.1 * (x[i] - this.y);
      if (Math.abs(this.y) < 1e-30) this.y = 0;
      out[i] = this.gain * this.y;
    }
  }
  getState() {
    return { y: this.y, gain: this.gain };
  }
  setState(s: { y: number; gain: number }): void {
    this.y = s.y;
    this.gain = s.gain;
  }
}

export class AllocatingToy extends ToyFilter {
  override readonly name = 'allocating-toy';
  private scratch: Float32Array = new Float32Array(0);
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    this.scratch = new Float32Array(frames); // the defect under test
    super.process(inputs, outputs, frames, events, eventCount);
    this.scratch[0] = outputs[0][0];
  }
}

export class RandomToy extends ToyFilter {
  override readonly name = 'random-toy';
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    super.process(inputs, outputs, frames, events, eventCount);
    outputs[0][0] += Math.random() * 1e-3; // unseeded randomness: the defect under test
  }
}

export class BlockDependentToy extends ToyFilter {
  override readonly name = 'block-dependent-toy';
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    super.process(inputs, outputs, frames, events, eventCount);
    outputs[0][0] *= 0.5; // a per-block effect: the defect under test
  }
}

export class EventAtBlockStartToy extends ToyFilter {
  override readonly name = 'event-at-block-start-toy';
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    for (let e = 0; e < eventCount; e++) if (events[e].kind === EventKind.Param) this.gain = events[e].value; // ignores offsets
    super.process(inputs, outputs, frames, events, 0);
  }
}

/** Writes `value` at frame 3 of every block longer than 3 frames (the defect under test). */
abstract class InjectingToy extends ToyFilter {
  protected abstract readonly injected: number;
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    super.process(inputs, outputs, frames, events, eventCount);
    if (frames > 3) outputs[0][3] = this.injected;
  }
}

export class SubnormalToy extends InjectingToy {
  override readonly name = 'subnormal-toy';
  protected readonly injected = 1e-40; // below 2^-126: a float32 subnormal
}

export class NanToy extends InjectingToy {
  override readonly name = 'nan-toy';
  protected readonly injected = Number.NaN;
}

export class InfToy extends InjectingToy {
  override readonly name = 'inf-toy';
  protected readonly injected = Number.NEGATIVE_INFINITY;
}

export class SilentToy extends ToyFilter {
  override readonly name = 'silent-toy';
  override process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    super.process(inputs, outputs, frames, events, eventCount);
    outputs[0].fill(0, 0, frames); // ignores its input: a test signal that proves nothing
  }
}

export class StickyResetToy extends ToyFilter {
  override readonly name = 'sticky-reset-toy';
  override reset(): void {
    this.gain = 1; // forgets the filter state `y`: the defect under test
  }
}

export class ForgetfulToy extends ToyFilter {
  override readonly name = 'forgetful-toy';
  override getState() {
    return { y: 0, gain: this.gain }; // drops the filter state: the defect under test
  }
}
