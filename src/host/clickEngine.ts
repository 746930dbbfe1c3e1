import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind } from '../engine/events.ts';

/**
 * A stand-in engine for server and rig tests: each NoteOn writes one sample of velocity/127 on output
 * (note mod numOutputs) at exactly its offset — so "where did the event take effect" is readable in
 * the audio itself. Panic and other events do nothing. Follows the Engine contract (no allocation in
 * process, deterministic, state = nothing).
 */
export class ClickEngine implements Engine<null> {
  readonly name = 'click';
  readonly numInputs = 0;
  readonly paramNames = ['gain'] as const;
  gain = 1;

  constructor(readonly numOutputs = 32) {}

  prepare(_options: PrepareOptions): void {}
  reset(): void {}
  process(_inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    for (let k = 0; k < outputs.length; k++) outputs[k].fill(0, 0, frames);
    for (let i = 0; i < eventCount; i++) {
      const e = events[i];
      if (e.kind === EventKind.NoteOn) outputs[e.note % this.numOutputs][e.offsetFrames] += (this.gain * e.value) / 127;
      else if (e.kind === EventKind.Param && e.paramIndex === 0) this.gain = e.value;
    }
  }
  getState(): null { return null; }
  setState(_state: null): void {}
}
