import { describe, expect, it } from 'vitest';
import { copySamples } from './copySamples.ts';

describe('copySamples', () => {
  it('copies n samples between offsets and touches nothing else', () => {
    const from = Float32Array.from({ length: 10 }, (_, i) => i + 1);
    const to = new Float32Array(8);
    copySamples(from, 3, to, 2, 4);
    expect(Array.from(to)).toEqual([0, 0, 4, 5, 6, 7, 0, 0]);
  });
});
