import { type AudioRig, RigError } from '../../src/host/audioRig.ts';

export interface CaptureResult {
  /** One array per rig input, `frames` long: input frames [startFrame, startFrame + frames). */
  inputs: Float32Array[];
  /** Stream frame of the period in which signal sample 0 was handed to the rig. */
  startFrame: number;
  /**
   * The rig's known buffering. A loop of device latency L shows signal sample j at
   * inputs[c][j + streamBufferingFrames + L].
   */
  streamBufferingFrames: number;
  sampleRate: number;
  /** RigFlag bits seen per captured period (index = ⌊(frame − startFrame) / periodFrames⌋; 0 for a period no callback carried). */
  periodFlags: number[];
}

export interface CaptureOptions {
  /** Periods to run before the signal starts, to let a real stream settle (default 8; simulated 0). */
  leadPeriods?: number;
  /** Give up after this long (default: capture length + 10 s). */
  timeoutMs?: number;
}

/**
 * Calibration hook: plays `signals[k]` on output k (missing/undefined = silence) starting in one
 * period, and captures every input for `frames` frames from that same period. Starts and stops the rig.
 * On a simulated clock it runs synchronously through advance(); on real time it waits for the stream.
 */
export async function captureThrough(
  rig: AudioRig,
  signals: readonly (Float32Array | undefined | null)[],
  frames: number,
  options: CaptureOptions = {},
): Promise<CaptureResult> {
  if (signals.length > rig.outputChannels) {
    throw new RigError(`captureThrough: ${signals.length} signals for ${rig.outputChannels} outputs`);
  }
  const lead = options.leadPeriods ?? (rig.clock === 'simulated' ? 0 : 8);
  const inputs = Array.from({ length: rig.inputChannels }, () => new Float32Array(frames));
  const periodFlags: number[] = [];
  let startFrame = -1;
  let periodsSeen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let finished = false;

  await rig.start((p) => {
    periodsSeen++;
    if (finished) return;
    if (startFrame < 0) {
      if (periodsSeen <= lead) return;
      startFrame = p.frameIndex;
    }
    const rel = p.frameIndex - startFrame;
    const period = Math.floor(rel / rig.periodFrames);
    while (periodFlags.length <= period) periodFlags.push(0);
    periodFlags[period] |= p.flags;
    for (let k = 0; k < signals.length; k++) {
      const s = signals[k];
      if (!s || rel >= s.length) continue;
      p.outputs[k].set(s.subarray(rel, Math.min(rel + p.frames, s.length)));
    }
    const n = Math.min(p.frames, frames - rel);
    for (let c = 0; c < rig.inputChannels; c++) inputs[c].set(p.inputs[c].subarray(0, n), rel);
    if (rel + p.frames >= frames) {
      finished = true;
      resolveDone();
    }
  });
  try {
    if (rig.clock === 'simulated') {
      rig.advance(lead + Math.ceil(frames / rig.periodFrames));
    } else {
      const timeoutMs = options.timeoutMs ?? ((frames + lead * rig.periodFrames) / rig.sampleRate) * 1000 + 10_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RigError(`captureThrough: ${rig.name} delivered ${periodsSeen} periods in ${timeoutMs} ms, not enough`)), timeoutMs);
      });
      try {
        await Promise.race([done, timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    await rig.stop();
  }
  return { inputs, startFrame, streamBufferingFrames: rig.streamBufferingFrames, sampleRate: rig.sampleRate, periodFlags };
}
