import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash, sampleHash } from './goldenHash.ts';

describe('goldenHash', () => {
  it('hashes configurations independently of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(configHash({ x: 1, y: { z: 2, w: 3 } })).toBe(configHash({ y: { w: 3, z: 2 }, x: 1 }));
  });

  it('changes the sample hash when one sample changes by one float32 step', () => {
    const a = [new Float32Array([0.5, -0.25, 0.125])];
    const b = [new Float32Array([0.5, -0.25, 0.125])];
    const bits = new Uint32Array(b[0].buffer);
    bits[2] += 1;
    expect(sampleHash(a)).not.toBe(sampleHash(b));
    expect(sampleHash(a)).toBe(sampleHash([new Float32Array([0.5, -0.25, 0.125])]));
  });

  it('tells a channel split from a different frame count', () => {
    expect(sampleHash([new Float32Array([1, 2])])).not.toBe(sampleHash([new Float32Array([1]), new Float32Array([2])]));
  });
});
