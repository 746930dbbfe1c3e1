import { describe, expect, it } from 'vitest';
import { injectFaults } from './faultInjection.ts';

const ramp = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i + 1);

describe('injectFaults', () => {
  it('zeroes a block in place', () => {
    const { signal, injected } = injectFaults(ramp(10), [{ kind: 'zeroed', atFrame: 3, lengthFrames: 2 }]);
    expect([...signal]).toEqual([1, 2, 3, 0, 0, 6, 7, 8, 9, 10]);
    expect(injected[0].faultyFrame).toBe(3);
  });

  it('repeats the previous block, lengthening the signal', () => {
    const { signal } = injectFaults(ramp(6), [{ kind: 'repeated', atFrame: 4, lengthFrames: 2 }]);
    expect([...signal]).toEqual([1, 2, 3, 4, 3, 4, 5, 6]);
  });

  it('drops and inserts samples and reports where each fault lands in the faulty signal', () => {
    const { signal, injected } = injectFaults(ramp(10), [
      { kind: 'dropped', atFrame: 2, lengthFrames: 1 },
      { kind: 'inserted', atFrame: 6, lengthFrames: 1 },
    ]);
    expect([...signal]).toEqual([1, 2, 4, 5, 6, 6, 7, 8, 9, 10]);
    expect(injected.map((f) => f.faultyFrame)).toEqual([2, 5]);
  });
});
