import { dropoutPictureSvg } from '../report/dropoutPicture.ts';
import type { DropoutFinding } from '../report/runReport.ts';
import type { ChannelPath } from './latencyMeasurement.ts';

/** Pictures drawn per scenario (a storm of findings would bloat the report; all stay in the JSON). */
export const MAX_DROPOUT_PICTURES = 24;

/** What a finding's picture shows: the capture and the aligned, scaled render over the same frames. */
export interface DropoutWindow {
  capture: Float32Array;
  expected: Float32Array;
  captureStartFrame: number;
}

export interface DropoutWindowRange {
  path: ChannelPath;
  /** Capture frames [from, to); the render is read `shift` frames earlier. */
  from: number;
  to: number;
  shift: number;
}

/**
 * The frames shown around a finding: 10 ms plus three times its length on each side, on its own path
 * (a backend flag or the pilot: the first path's), the render delayed by the whole-frame path delay.
 */
export function dropoutWindowRange(d: DropoutFinding, paths: readonly ChannelPath[], sampleRate: number, captureFrames: number): DropoutWindowRange | null {
  const path = paths.find((p) => p.output === Math.max(0, d.channelIndex)) ?? paths[0];
  if (!path) return null;
  const context = Math.round(0.01 * sampleRate) + 3 * d.lengthFrames;
  const from = Math.max(0, d.startFrame - context);
  const to = Math.min(captureFrames, d.startFrame + d.lengthFrames + context);
  return to > from ? { path, from, to, shift: Math.round(path.totalDelayFrames) } : null;
}

/** Cuts a window: `capture(n)` is capture frame n of the path's input, `render(m)` render frame m ≥ 0 of its output. */
export function cutDropoutWindow(r: DropoutWindowRange, capture: (n: number) => number, render: (m: number) => number): DropoutWindow {
  const out: DropoutWindow = { capture: new Float32Array(r.to - r.from), expected: new Float32Array(r.to - r.from), captureStartFrame: r.from };
  for (let n = r.from; n < r.to; n++) {
    out.capture[n - r.from] = capture(n);
    out.expected[n - r.from] = n - r.shift >= 0 ? r.path.gain * render(n - r.shift) : 0;
  }
  return out;
}

/** The windows of the first MAX_DROPOUT_PICTURES findings, from whole signals. */
export function wholeDropoutWindows(dropouts: readonly DropoutFinding[], capture: readonly Float32Array[], render: readonly Float32Array[], paths: readonly ChannelPath[], sampleRate: number): Map<DropoutFinding, DropoutWindow> {
  const out = new Map<DropoutFinding, DropoutWindow>();
  for (const d of dropouts.slice(0, MAX_DROPOUT_PICTURES)) {
    const r = dropoutWindowRange(d, paths, sampleRate, capture[0]?.length ?? 0);
    if (!r) continue;
    const c = capture[r.path.input];
    const e = render[r.path.output];
    out.set(d, cutDropoutWindow(r, (n) => c[n], (m) => e[m]));
  }
  return out;
}

/** A waveform of the capture over the aligned render around each of the first findings, inlined in the report. */
export async function drawDropoutPictures(dropouts: readonly DropoutFinding[], windows: ReadonlyMap<DropoutFinding, DropoutWindow>, sampleRate: number): Promise<void> {
  for (const d of dropouts.slice(0, MAX_DROPOUT_PICTURES)) {
    const w = windows.get(d);
    if (w) d.pictureSvg = await dropoutPictureSvg(d, { ...w, sampleRate });
  }
}
