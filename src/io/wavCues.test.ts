import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { readWav, writeWavAtomic } from './wavFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'wav-cues-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WAV cue markers', () => {
  const channels = Array.from({ length: 3 }, (_, c) => Float32Array.from({ length: 4800 }, (_, i) => Math.sin(i * 0.01 * (c + 1)) * 0.5));
  const cues = [{ frame: 480, label: 'dropout 1: ch 2 zeroed 128 frames' }, { frame: 3001, label: 'odd' }];
  const path = join(dir, 'cued.wav');
  writeWavAtomic(path, { sampleRate: 48000, channels }, { cues });

  it('are read back by an independent reader (wavefile) at their frames with their labels', () => {
    const wav = new wavefile.WaveFile(readFileSync(path));
    const points = wav.listCuePoints() as Array<{ position: number; label: string; dwSampleOffset: number }>;
    expect(points.map((p) => [p.dwSampleOffset, p.label])).toEqual([[480, 'dropout 1: ch 2 zeroed 128 frames'], [3001, 'odd']]);
  });

  it('leave the audio and the RIFF size intact', () => {
    const bytes = readFileSync(path);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    const audio = readWav(path);
    expect(audio.channels).toHaveLength(3);
    expect(audio.channels[2]).toEqual(channels[2]);
  });
});
