import { waveformSvg } from '../../src/plot/waveformPlot.ts';
import { findingChannel } from './channelLabel.ts';
import type { DropoutFinding } from './runReport.ts';

/**
 * The waveform picture around one dropout, for `DropoutFinding.pictureSvg`: the captured channel (over
 * what the offline render says it should have been, when given) from `contextSeconds` before the
 * dropout to as long after it, time in ms, the dropout shaded and labelled with its kind and detector.
 * `capture[0]` is at frame `captureStartFrame` of the stream the finding's `startFrame` counts in.
 */
export interface DropoutPictureOptions {
  capture: Float32Array;
  captureStartFrame?: number;
  expected?: Float32Array;
  sampleRate: number;
  /** Default 10 ms, at least three lengths of the dropout. */
  contextSeconds?: number;
  width?: number;
  height?: number;
}

export async function dropoutPictureSvg(finding: Pick<DropoutFinding, 'channelIndex' | 'startFrame' | 'lengthFrames' | 'kind' | 'detector'>, options: DropoutPictureOptions): Promise<string> {
  const rate = options.sampleRate;
  const base = options.captureStartFrame ?? 0;
  const contextFrames = Math.max(Math.round((options.contextSeconds ?? 0.01) * rate), 3 * finding.lengthFrames);
  const from = Math.max(0, finding.startFrame - base - contextFrames);
  const to = Math.min(options.capture.length, finding.startFrame - base + finding.lengthFrames + contextFrames);
  if (to <= from) throw new RangeError(`dropoutPictureSvg: frames ${finding.startFrame}…${finding.startFrame + finding.lengthFrames} are outside the capture (${base}…${base + options.capture.length})`);
  const offsetSeconds = (base + from) / rate;
  // The expected signal first so the capture is drawn over it; sample by sample (columns = frames) so a
  // zeroed block shows as a flat line rather than a band of no height.
  const series = [{ name: 'captured', samples: options.capture.subarray(from, to), offsetSeconds }];
  if (options.expected) series.unshift({ name: 'expected', samples: options.expected.subarray(from, Math.min(to, options.expected.length)), offsetSeconds });
  return waveformSvg({
    series, sampleRate: rate, timeUnit: 'ms', width: options.width ?? 520, height: options.height ?? 140, columns: to - from,
    regions: [{ startSeconds: finding.startFrame / rate, endSeconds: (finding.startFrame + finding.lengthFrames) / rate, label: `${findingChannel(finding.channelIndex)}: ${finding.kind} (${finding.detector})` }],
  });
}
