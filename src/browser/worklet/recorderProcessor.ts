/// <reference path="./audioWorkletGlobals.d.ts" />
import { RenderClock } from './renderClock.ts';
import { QUANTUM_FRAMES, RECORDER_PROCESSOR_NAME } from './workletProtocol.ts';

/** processorOptions of the recorder. */
export interface RecorderOptions {
  /** Channels recorded from input 0 (missing ones read as silence). */
  channels: number;
  /** Context frame of the first recorded sample (a multiple of 128), and how many frames to record. */
  startFrame: number;
  frames: number;
}

/** What the recorder posts once it has all its frames: one array per channel, transferred. */
export interface RecorderResult {
  type: 'recorded';
  startFrame: number;
  channels: Float32Array[];
}

/**
 * Captures what reaches it, sample for sample, over a stretch of the context's timeline: frames
 * startFrame … startFrame + frames − 1 of input 0, then posts them (transferred) and stops. Buffers are
 * allocated at construction; process() only copies. A context renders every quantum in order (the
 * context's frame is contiguous even when the device glitches; the scope's `currentFrame` is not always,
 * hence RenderClock), so the capture is exactly what the graph computed, aligned to context frames.
 */
class RecorderProcessor extends AudioWorkletProcessor {
  private readonly data: Float32Array[];
  private readonly start: number;
  private readonly frames: number;
  private done = false;
  private readonly clock = new RenderClock();

  constructor(options: { processorOptions?: unknown }) {
    super();
    const o = options.processorOptions as RecorderOptions;
    this.start = o.startFrame;
    this.frames = o.frames;
    this.data = Array.from({ length: o.channels }, () => new Float32Array(o.frames));
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.done) return false;
    const from = this.clock.next(currentFrame);
    const end = this.start + this.frames;
    if (from + QUANTUM_FRAMES <= this.start) return true;
    const src = inputs[0] ?? [];
    const a = Math.max(from, this.start);
    const b = Math.min(from + QUANTUM_FRAMES, end);
    for (let c = 0; c < this.data.length; c++) {
      const ch = src[c];
      if (ch) this.data[c].set(ch.subarray(a - from, b - from), a - this.start);
    }
    if (b >= end) {
      this.done = true;
      const result: RecorderResult = { type: 'recorded', startFrame: this.start, channels: this.data };
      this.port.postMessage(result, this.data.map((d) => d.buffer));
      return false;
    }
    return true;
  }
}

registerProcessor(RECORDER_PROCESSOR_NAME, RecorderProcessor);
