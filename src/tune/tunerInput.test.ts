import { describe, expect, it } from 'vitest';
import { ParamError } from '../engine/params.ts';
import { inputLoop, loopedInput, parseTunerInput } from './tunerInput.ts';

describe('tuner inputs', () => {
  it.each([
    ['noise', { signal: 'noise' }],
    ['tone', { signal: 'tone' }],
    ['tone:440', { signal: 'tone', frequencyHz: 440 }],
    ['impulses:1.5', { signal: 'impulses', periodSeconds: 1.5 }],
    ['take 3.wav', { file: 'take 3.wav' }],
  ])('reads --input %j', (text, input) => {
    expect(parseTunerInput(text)).toEqual(input);
  });

  it('refuses a signal argument that is not a number, and a tone above fs/2', () => {
    expect(() => parseTunerInput('tone:loud')).toThrow('input "tone:loud": got "loud" after ":", expected a number');
    expect(() => inputLoop({ signal: 'tone', frequencyHz: 30000 }, 2)).toThrow(ParamError);
  });

  it('generates noise as rig serve does: uniform within ±0.25, one stream per input', () => {
    const [a, b] = inputLoop({ signal: 'noise' }, 2).channels;
    // A loop, not Math.max(...a): spreading the 48 000-sample loop overflowed the stack in a forked worker.
    const peak = a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeLessThanOrEqual(0.25);
    expect(peak).toBeGreaterThan(0.249);
    expect(a.slice(0, 8)).not.toEqual(b.slice(0, 8));
  });

  it('loops a signal from any phase without a seam', () => {
    const loop = inputLoop({ signal: 'impulses', periodSeconds: 0.1 }, 1, 1000);
    const x = loopedInput(loop, 350, 30)[0];
    expect([...x.keys()].filter((i) => x[i] === 1)).toEqual([70, 170, 270]);
    const tone = inputLoop({ signal: 'tone', frequencyHz: 997 }, 1, 48000).channels[0];
    expect(Math.abs(tone[0] - (tone[tone.length - 1] + (tone[1] - tone[0])))).toBeLessThan(1e-3);
  });
});
