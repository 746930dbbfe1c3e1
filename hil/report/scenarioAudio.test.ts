import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav } from '../../src/io/wavFile.ts';
import type { ChannelPath } from '../runner/latencyMeasurement.ts';
import type { DropoutFinding } from './runReport.ts';
import { writeScenarioAudio } from './scenarioAudio.ts';

const dir = mkdtempSync(join(tmpdir(), 'kept-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--keep-audio files', () => {
  // Two outputs wired crossed to two inputs, 300 and 301 frames of delay, gain 0.5 and -0.8; a zeroed block on input 0.
  const frames = 96_000;
  const render = [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => Math.sin(i * 0.003 * (c + 1))));
  const paths: ChannelPath[] = [
    { output: 0, input: 1, totalDelayFrames: 300.2, deviceDelayFrames: 172, inverted: false, gain: 0.5 },
    { output: 1, input: 0, totalDelayFrames: 301, deviceDelayFrames: 173, inverted: true, gain: -0.8 },
  ];
  const capture = [new Float32Array(frames), new Float32Array(frames)];
  for (const p of paths) for (let n = 0; n < frames; n++) capture[p.input][n] = n >= Math.round(p.totalDelayFrames) ? p.gain * render[p.output][n - Math.round(p.totalDelayFrames)] : 0;
  capture[0].fill(0, 70_000, 70_128);
  const dropouts: DropoutFinding[] = [{ channelIndex: 1, startFrame: 70_000, lengthFrames: 128, atSeconds: 70_000 / 48_000, kind: 'zeroed block', detector: 'residual' }];
  const kept = writeScenarioAudio(dir, 2, 'pool storm/../x', { sampleRate: 48_000, capture, render, paths, dropouts });

  it('names the files after the scenario, never a path', () => {
    expect(kept).toEqual({ captureFile: 'audio/03-pool_storm_.._x.capture.wav', expectedFile: 'audio/03-pool_storm_.._x.expected.wav', cueCount: 1 });
  });

  it('lines the render up with the capture on the input each output is wired to, so only the dropout differs', () => {
    const cap = readWav(join(dir, kept.captureFile)), exp = readWav(join(dir, kept.expectedFile));
    expect(cap.channels).toHaveLength(2);
    const diff = (c: number, from: number, to: number) => Math.max(...Array.from(cap.channels[c].subarray(from, to), (v, i) => Math.abs(v - exp.channels[c][from + i])));
    expect(diff(0, 0, 70_000)).toBeLessThan(1e-6);
    expect(diff(1, 0, frames)).toBeLessThan(1e-6);
    expect(diff(0, 70_000, 70_128)).toBeGreaterThan(0.5);
  });

  it('marks each finding with a cue at its frame in both files, channel counted from 1', () => {
    for (const file of [kept.captureFile, kept.expectedFile]) {
      const cues = new wavefile.WaveFile(readFileSync(join(dir, file))).listCuePoints() as Array<{ dwSampleOffset: number; label: string }>;
      expect(cues.map((c) => [c.dwSampleOffset, c.label])).toEqual([[70_000, '1: ch 2 zeroed block, 128 frames (residual)']]);
    }
  });
});
