import { describe, expect, it } from 'vitest';
import { RecordRing } from './recordRing.ts';

describe('RecordRing', () => {
  it('pushes and pops records in order, full and empty said', () => {
    const ring = new RecordRing(4, 2);
    const out = new Float64Array(2);
    for (let i = 0; i < 4; i++) expect(ring.push([i, i + 0.5])).toBe(true);
    expect(ring.push([9, 9])).toBe(false);
    for (let i = 0; i < 4; i++) {
      expect(ring.pop(out)).toBe(true);
      expect([...out]).toEqual([i, i + 0.5]);
    }
    expect(ring.pop(out)).toBe(false);
  });

  // A command of several rows (an MPE frame's pitch bend, pressure and timbre) staged then committed:
  // the consumer — the audio side draining at a period's start — sees all of it or none of it.
  // Pushed row by row, a drain between two pushes applied the first rows a period before the rest,
  // while the event log and the offline render put them all at the first row's frame.
  it('publishes staged records only at commit(), all at once', () => {
    const producer = new RecordRing(8, 1);
    const consumer = RecordRing.fromBuffer(producer.buffer, 8, 1);
    const out = new Float64Array(1);
    expect(producer.stage([1])).toBe(true);
    expect(producer.stage([2])).toBe(true);
    expect(consumer.pop(out)).toBe(false);
    expect(consumer.size).toBe(0);
    expect(producer.stage([3])).toBe(true);
    expect(producer.commit()).toBe(3);
    const got: number[] = [];
    while (consumer.pop(out)) got.push(out[0]);
    expect(got).toEqual([1, 2, 3]);
    expect(producer.commit()).toBe(0);
  });

  it('counts staged records against the capacity', () => {
    const ring = new RecordRing(2, 1);
    expect(ring.stage([1])).toBe(true);
    expect(ring.stage([2])).toBe(true);
    expect(ring.stage([3])).toBe(false);
    expect(ring.commit()).toBe(2);
    expect(ring.push([4])).toBe(false);
  });
});
