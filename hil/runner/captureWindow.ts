import type { ChannelPath } from './latencyMeasurement.ts';

/**
 * The capture as the analysis compares it: on each path's input, the frames before the path's delay are
 * silenced (in a copy; other inputs are shared). They hold what the rig played before the scenario's
 * frame 0 reached it — the previous scenario's tail still in the device loop (an effect plays until its
 * server stops), or an effect's own programme from before frame 0 — which no render of the scenario
 * covers; compared, they read as a glitch at the start of every channel. Silent frames stay as they were.
 */
/** First capture frame the render reaches through a path: its delay, rounded up (a delay whole within 1e-6 counts as whole). */
const firstFrame = (p: ChannelPath): number => Math.ceil(p.totalDelayFrames - 1e-6);

export function captureFromFrameZero(capture: readonly Float32Array[], paths: readonly ChannelPath[]): Float32Array[] {
  const out = [...capture];
  for (const p of paths) {
    if (p.input < 0 || p.input >= out.length) continue;
    const end = Math.min(out[p.input].length, firstFrame(p));
    if (!out[p.input].subarray(0, end).some((v) => v !== 0)) continue;
    const c = Float32Array.from(out[p.input]);
    c.fill(0, 0, end);
    out[p.input] = c;
  }
  return out;
}

/** The same for one chunk of a capture read in chunks, starting at frame `from` (in place: the chunk is the caller's copy). */
export function silenceBeforeFrameZero(chunk: readonly Float32Array[], from: number, paths: readonly ChannelPath[]): void {
  for (const p of paths) {
    const end = firstFrame(p) - from;
    if (p.input >= 0 && p.input < chunk.length && end > 0) chunk[p.input].fill(0, 0, Math.min(end, chunk[p.input].length));
  }
}
