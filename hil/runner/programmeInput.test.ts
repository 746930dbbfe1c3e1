import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeWavAtomic } from '../../src/io/wavFile.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { EffectSource } from '../../src/host/effectSource.ts';
import { type ProgrammeSource, programmeInput, programmeSource } from './programmeInput.ts';

const FS = 48000;
const dir = mkdtempSync(join(tmpdir(), 'rig-programme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenarioWith = (programme: unknown) => {
  const file = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ formatVersion: 1, kind: 'effect', engineName: 'reverb', programme }));
  return loadScenario(file);
};

describe('an effect scenario\'s programme material', () => {
  it('generates seeded noise, one independent stream per input, the same on every call and bounded by its amplitude', () => {
    const source = programmeSource(scenarioWith({ kind: 'noise', seed: 3, amplitude: 0.5 }), { kind: 'noise', seed: 3, amplitude: 0.5 });

    const [a, b] = programmeInput(source, 2, 4800, FS);

    expect(programmeInput(source, 2, 4800, FS)[1]).toEqual(b);
    expect(a).not.toEqual(b);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(0.5);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.49);
  });

  it('generates the tone a·sin(2π·f·n/fs) on every input, to float precision after 3 s', () => {
    const [x, y] = programmeInput({ kind: 'tone', frequencyHz: 997, amplitude: 0.25 }, 2, 3 * FS, FS);

    let worst = 0;
    for (let n = 0; n < x.length; n += 97) worst = Math.max(worst, Math.abs(x[n] - 0.25 * Math.sin((2 * Math.PI * 997 * n) / FS)));
    expect(worst).toBeLessThan(1e-6);
    expect(y).toEqual(x);
  });

  it('loops a file from its first sample, a mono file feeding every input; a file at another rate is refused', () => {
    const wav = join(dir, 'ramp.wav');
    writeWavAtomic(wav, { sampleRate: FS, channels: [Float32Array.from({ length: 100 }, (_, n) => n / 100)] });
    const loaded = scenarioWith({ kind: 'file', path: 'ramp.wav' });

    const [l, r] = programmeInput(programmeSource(loaded, { kind: 'file', path: 'ramp.wav' }), 2, 250, FS);

    expect([l[0], l[99], l[100], l[249]]).toEqual([0, Math.fround(0.99), 0, Math.fround(0.49)]);
    expect(r).toEqual(l);
    writeWavAtomic(join(dir, 'slow.wav'), { sampleRate: 44100, channels: [new Float32Array(10)] });
    expect(() => programmeSource(loaded, { kind: 'file', path: 'slow.wav' })).toThrow(/slow\.wav is at 44100 Hz, the scenario at 48000 Hz/);
  });

  it('is, sample for sample, what the rig server\'s effect source plays period by period (the noise past its looped table too)', () => {
    const sources: ProgrammeSource[] = [
      { kind: 'noise', seed: 9, amplitude: 0.25 },
      { kind: 'tone', frequencyHz: 441.3, amplitude: 0.5 },
      { kind: 'loop', channels: [Float32Array.from({ length: 1000 }, (_, n) => Math.sin(n)), Float32Array.from({ length: 1000 }, (_, n) => Math.cos(n))], name: 'pair' },
    ];
    const frames = (1 << 19) + 4096;
    for (const source of sources) {
      const expected = programmeInput(source, 2, frames, FS);
      const server = new EffectSource(source, 2, 96, FS);
      let worst = 0;
      for (let at = 0; at < frames; at += 96) {
        const block = server.fill([], 96);
        for (let k = 0; k < 2; k++) for (let j = 0; j < 96 && at + j < frames; j++) worst = Math.max(worst, Math.abs(block[k][j] - expected[k][at + j]));
      }
      expect(worst, source.kind).toBe(0);
    }
  });
});
