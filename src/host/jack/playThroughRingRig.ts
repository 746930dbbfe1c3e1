import type { JsRingRig } from './jsRingRig.ts';

/**
 * What a started server on a JsRingRig plays over `frames` engine frames, one array per output: the
 * rig is cycled one period at a time (waiting for the worker to have rendered it, or advancing it in
 * this thread), and output frame t holds engine frame t − streamBufferingFrames. For the tests that
 * prove a live host plays what the offline renderer makes.
 */
export async function playThroughRingRig(rig: JsRingRig, frames: number, worker: boolean): Promise<Float32Array[]> {
  const period = rig.periodFrames;
  const played = Array.from({ length: rig.outputChannels }, () => new Float32Array(frames));
  const lag = rig.streamBufferingFrames;
  for (let n = 0; n * period < frames + lag; n++) {
    let frame: number;
    if (worker) frame = await rig.cycleWhenReady();
    else {
      frame = n * period;
      rig.advance(1);
    }
    const at = frame - lag;
    if (at < 0) continue;
    for (let k = 0; k < played.length; k++) played[k].set(rig.outputs[k].subarray(0, Math.min(period, frames - at)), at);
  }
  return played;
}
