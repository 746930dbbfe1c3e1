import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WavCue } from '../../src/io/wavCues.ts';
import { interleaveFloat32, writeWavStreamAtomic } from '../../src/io/wavFile.ts';
import type { ChannelPath } from '../runner/latencyMeasurement.ts';
import { findingChannel } from './channelLabel.ts';
import type { DropoutFinding } from './runReport.ts';

/**
 * `rig hil --keep-audio`: a scenario's capture and the render it is checked against, as two float WAVs
 * with one channel per rig input, lined up sample for sample (the render of each output delayed by its
 * calibrated path and scaled by its gain, on the input it is wired to), so a dropout can be heard and
 * seen in a DAW. Each finding is a cue marker at its frame in both files, labelled with its number,
 * channel (1-based), kind and length.
 */
export interface KeptAudio {
  /** Paths relative to the run folder. */
  captureFile: string;
  expectedFile: string;
  cueCount: number;
}

/** A scenario name as a file name: anything but letters, digits, '.', '_' and '-' becomes '_'. */
export const audioFileStem = (index: number, name: string) => `${String(index + 1).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}`;

export function findingCues(dropouts: readonly DropoutFinding[]): WavCue[] {
  return dropouts.map((d, i) => ({
    frame: d.startFrame,
    label: `${i + 1}: ${findingChannel(d.channelIndex)} ${d.kind}, ${d.lengthFrames} frames (${d.detector})`,
  }));
}

export function writeScenarioAudio(runDir: string, index: number, name: string, audio: { sampleRate: number; capture: Float32Array[]; render: Float32Array[]; paths: readonly ChannelPath[]; dropouts: readonly DropoutFinding[] }): KeptAudio {
  const stem = audioFileStem(index, name);
  const captureFile = `audio/${stem}.capture.wav`;
  const expectedFile = `audio/${stem}.expected.wav`;
  mkdirSync(join(runDir, 'audio'), { recursive: true });
  const cues = findingCues(audio.dropouts);
  const frames = audio.capture[0]?.length ?? 0;
  writeWavStreamAtomic(join(runDir, captureFile), {
    sampleRate: audio.sampleRate, channelCount: audio.capture.length, frames,
    interleaved: (start, n) => interleaveFloat32(audio.capture, start, n),
  }, { cues });
  const wired = audio.paths.filter((p) => p.input >= 0 && p.input < audio.capture.length && audio.render[p.output]);
  writeWavStreamAtomic(join(runDir, expectedFile), {
    sampleRate: audio.sampleRate, channelCount: audio.capture.length, frames,
    interleaved: (start, n) => {
      const chunk = audio.capture.map(() => new Float32Array(n));
      for (const p of wired) {
        const src = audio.render[p.output], dst = chunk[p.input], shift = Math.round(p.totalDelayFrames);
        for (let i = 0; i < n; i++) {
          const k = start + i - shift;
          if (k >= 0 && k < src.length) dst[i] = p.gain * src[k];
        }
      }
      return interleaveFloat32(chunk, 0, n);
    },
  }, { cues });
  return { captureFile, expectedFile, cueCount: cues.length };
}
