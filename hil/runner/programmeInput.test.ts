import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeWavAtomic } from '../../src/io/wavFile.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { programmeInput, programmeSource } from './programmeInput.ts';

const FS = 48000;
const dir = mkdtempSync(join(tmpdir(), 'rig-programme-'));
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

  it('generates the tone a·sin(2π·f·n/fs) on every input, to float precision after 10 s', () => {
    const [x, y] = programmeInput({ kind: 'tone', frequencyHz: 997, amplitude: 0.25 }, 2, 10 * FS, FS);

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
});
