/**
 * Where a run's capture is read from, a frame range at a time: arrays in memory (a short run) or the float
 * WAV the recorder spilled it to (a soak: FloatWavReader has this shape). Scenario frame 0 is frame 0.
 */
export interface CaptureSource {
  readonly channels: number;
  readonly frames: number;
  /** out[c][i] = frame (from + i) of input c, i < frames (0 past the end). */
  read(from: number, frames: number, out: readonly Float32Array[]): void;
  /**
   * Frames [from, from + frames) interleaved (frame i of input c at [i·channels + c]), cut where the capture
   * ends; a view valid until the next read. Optional: a pass that sums every channel reads the file's own
   * layout without splitting it into channels first.
   */
  readInterleaved?(from: number, frames: number): Float32Array;
}

/** A capture held in memory, one array per input. */
export function memoryCapture(inputs: readonly Float32Array[]): CaptureSource {
  const frames = inputs[0]?.length ?? 0;
  return {
    channels: inputs.length,
    frames,
    read(from, count, out) {
      for (let c = 0; c < out.length; c++) {
        const valid = Math.max(0, Math.min(count, frames - from));
        out[c].set(inputs[c].subarray(from, from + valid));
        out[c].fill(0, valid, count);
      }
    },
  };
}
