import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../signal/seededNoise.ts';
import { injectFaults, randomFaults } from './faultInjection.ts';

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

  it('writes into a given buffer, whatever it held, the same signal as into a new one', () => {
    const faults = [
      { kind: 'zeroed' as const, atFrame: 1, lengthFrames: 2 },
      { kind: 'stalled' as const, atFrame: 4, lengthFrames: 2 },
      { kind: 'repeated' as const, atFrame: 7, lengthFrames: 1 },
      { kind: 'dropped' as const, atFrame: 8, lengthFrames: 1 },
    ];
    const into = new Float32Array(16).fill(-7);
    const fresh = injectFaults(ramp(10), faults);
    const reused = injectFaults(ramp(10), faults, into);

    expect([...reused.signal]).toEqual([...fresh.signal]);
    expect([...reused.signal]).toEqual([1, 0, 0, 4, 0, 0, 5, 6, 7, 7, 8, 10]);
    expect(reused.signal.buffer).toBe(into.buffer);
    expect(reused.injected).toEqual(fresh.injected);
    expect(() => injectFaults(ramp(10), faults, new Float32Array(11))).toThrow('injectFaults: into holds 11 frames, the faulty signal 12');
  });

  it('writes into a buffer exactly as long as the faulty signal, whatever it held, a zeroed block far from the start included', () => {
    // The doc asks for a buffer at least as long; the zeroed block starts past its own length (frame 6, 2 frames), so
    // its zeros must be written where it lands, not left to whatever the buffer held there.
    const faults = [
      { kind: 'dropped' as const, atFrame: 2, lengthFrames: 1 },
      { kind: 'zeroed' as const, atFrame: 6, lengthFrames: 2 },
    ];
    const into = new Float32Array(9).fill(-7);

    const reused = injectFaults(ramp(10), faults, into);

    expect([...reused.signal]).toEqual([...injectFaults(ramp(10), faults).signal]);
    expect([...reused.signal]).toEqual([1, 2, 4, 5, 6, 0, 0, 9, 10]);
    expect(reused.signal.buffer).toBe(into.buffer);
  });

  it('stalls: inserts silence and resumes the signal where it was', () => {
    const { signal, injected } = injectFaults(ramp(6), [{ kind: 'stalled', atFrame: 2, lengthFrames: 3 }]);
    expect([...signal]).toEqual([1, 2, 0, 0, 0, 3, 4, 5, 6]);
    expect(injected[0].faultyFrame).toBe(2);
  });

  it('takes faults in any order, and rejects one that overlaps another or runs past the end (ending at the end is fine)', () => {
    const faults = [
      { kind: 'inserted' as const, atFrame: 6, lengthFrames: 1 },
      { kind: 'dropped' as const, atFrame: 2, lengthFrames: 1 },
    ];
    expect([...injectFaults(ramp(10), faults).signal]).toEqual([1, 2, 4, 5, 6, 6, 7, 8, 9, 10]);
    expect(() => injectFaults(ramp(10), [{ kind: 'zeroed', atFrame: 2, lengthFrames: 3 }, { kind: 'zeroed', atFrame: 4, lengthFrames: 1 }])).toThrow(
      'injectFaults: fault at 4 overlaps another or the end',
    );
    expect(() => injectFaults(ramp(10), [{ kind: 'zeroed', atFrame: 8, lengthFrames: 3 }])).toThrow('injectFaults: fault at 8 overlaps another or the end');
    expect([...injectFaults(ramp(10), [{ kind: 'zeroed', atFrame: 8, lengthFrames: 2 }]).signal]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0, 0]);
    expect([...injectFaults(ramp(10), [{ kind: 'zeroed', atFrame: 2, lengthFrames: 2 }, { kind: 'zeroed', atFrame: 4, lengthFrames: 1 }]).signal]).toEqual([1, 2, 0, 0, 0, 6, 7, 8, 9, 10]);
  });
});

describe('randomFaults', () => {
  it('places count faults, kinds in turn, inside the signal at least minGapFrames from its ends and from each other', () => {
    const rnd = mulberry32(7);
    const faults = randomFaults(48000, 10, ['zeroed', 'dropped', 'repeated'], (kind, r) => (kind === 'zeroed' ? 64 + Math.floor(r() * 500) : 1), rnd, 2000);
    expect(faults.map((f) => f.kind)).toEqual(['zeroed', 'dropped', 'repeated', 'zeroed', 'dropped', 'repeated', 'zeroed', 'dropped', 'repeated', 'zeroed']);
    expect(faults[0].atFrame).toBeGreaterThanOrEqual(2000);
    expect(faults[9].atFrame + faults[9].lengthFrames).toBeLessThanOrEqual(48000 - 2000);
    for (let i = 1; i < faults.length; i++) expect(faults[i].atFrame - (faults[i - 1].atFrame + faults[i - 1].lengthFrames)).toBeGreaterThanOrEqual(2000);
    // Long faults (1500 of a 4400-frame slot) keep the gaps too.
    const long = randomFaults(48000, 10, ['zeroed'], () => 1500, rnd, 2000);
    for (let i = 1; i < long.length; i++) expect(long[i].atFrame - (long[i - 1].atFrame + 1500)).toBeGreaterThanOrEqual(2000);
    expect(long[9].atFrame + 1500).toBeLessThanOrEqual(46000);
    // Seeded: spread over the slots, not all at their starts.
    expect(new Set(faults.map((f, i) => f.atFrame - 2000 - i * 4400)).size).toBeGreaterThan(5);
    expect(() => randomFaults(10000, 5, ['zeroed'], () => 1, rnd, 2000)).toThrow('randomFaults: too many faults for the signal length');
    expect(randomFaults(10000, 3, ['zeroed'], () => 1, rnd, 2000)).toHaveLength(3);
  });
});
