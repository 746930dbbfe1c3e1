import { describe, expect, it } from 'vitest';
import { gaussianNoise } from '../analysis/signal/seededNoise.ts';
import { findImpulseInInput, MIN_RESPONSE_SECONDS } from './impulseInInput.ts';

const FS = 48000;

function impulses(frames: number, at: number[], amplitude = 1): Float32Array {
  const x = new Float32Array(frames);
  for (const i of at) x[i] = amplitude;
  return x;
}

describe('findImpulseInInput', () => {
  it('finds the impulse with the longest silence after it, up to the next one', () => {
    const x = impulses(3 * FS, [1000, 1000 + FS / 2, 1000 + 2 * FS]);
    expect(findImpulseInInput([x, x], FS)).toEqual({ ok: true, startFrame: 1000 + FS / 2, endFrame: 1000 + 2 * FS });
  });

  it('takes the loudest channel, and ignores input 80 dB down as silence', () => {
    const left = impulses(FS, [100], 0.5);
    const right = Float32Array.from(gaussianNoise(FS, 3), (v) => v * 0.5e-5);
    right[100] = 0;
    expect(findImpulseInInput([left, right], FS)).toMatchObject({ ok: true, startFrame: 100, endFrame: FS });
  });

  it('refuses noise, silence, and an impulse followed by too little silence, saying why', () => {
    const noise = Float32Array.from(gaussianNoise(FS, 1), (v) => v * 0.1);
    expect(findImpulseInInput([noise], FS)).toMatchObject({ ok: false, reason: expect.stringMatching(/no impulse followed by 0.25 s of silence/) });
    expect(findImpulseInInput([new Float32Array(FS)], FS)).toMatchObject({ ok: false, reason: expect.stringMatching(/silent/) });
    const late = impulses(FS, [FS - Math.round((MIN_RESPONSE_SECONDS * FS) / 2)]);
    expect(findImpulseInInput([late], FS).ok).toBe(false);
  });
});
