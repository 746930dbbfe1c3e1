import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import { PendingEvents } from './pendingEvents.ts';

const SLOTS = 3;
const rec = (id: number, target: number) => Float64Array.of(id, target, -id);

describe('pending events (stable min-heap by target frame, then arrival)', () => {
  it('gives back every record in (target, arrival) order, whatever the arrival order', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 300 }), (targets) => {
      const heap = new PendingEvents(512, SLOTS);
      targets.forEach((t, id) => expect(heap.push(rec(id, t), t)).toBe(true));
      const expected = targets.map((t, id) => [t, id]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const out = new Float64Array(SLOTS);
      const seen: number[][] = [];
      while (heap.size > 0) {
        const t = heap.popInto(out);
        expect(out[2]).toBe(-out[0]); // the whole record travelled with its key
        seen.push([t, out[0]]);
      }
      expect(seen).toEqual(expected);
      expect(Number.isNaN(heap.popInto(out))).toBe(true);
    }));
  });

  it('refuses a record when full and keeps what it holds', () => {
    const heap = new PendingEvents(4, SLOTS);
    for (let i = 0; i < 4; i++) expect(heap.push(rec(i, 10 - i), 10 - i)).toBe(true);
    expect(heap.push(rec(9, 0), 0)).toBe(false);
    expect(heap.size).toBe(4);
    expect(heap.earliestTarget).toBe(7);
    expect(heap.clear()).toBe(4);
    expect(heap.earliestTarget).toBe(Infinity);
  });

  it('allocates nothing while records go in and out', async () => {
    const heap = new PendingEvents(4096, SLOTS);
    const r = rec(1, 0);
    const out = new Float64Array(SLOTS);
    let n = 0;
    const step = () => {
      for (let i = 0; i < 64; i++) { r[0] = n++; heap.push(r, (n * 7919) % 1000); }
      for (let i = 0; i < 64; i++) heap.popInto(out);
      heap.recordAt(0, out);
    };
    let m = await measureAllocation(step);
    for (let i = 0; i < 2 && m.gcDuringMeasurement; i++) m = await measureAllocation(step);
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} calls`).toBe(true);
  });
});
