import { describe, expect, it, vi } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { startTsWorker } from '../host/tsWorker.ts';
import { SpscRing } from './spscRing.ts';

describe('SpscRing', () => {
  it('pops records in the order pushed, push false when full, pop false when empty', () => {
    const ring = SpscRing.create(4, 2);
    for (let i = 0; i < 4; i++) expect(ring.push([i, 10 * i])).toBe(true);
    expect(ring.push([99, 99])).toBe(false);
    expect(ring.availableRecords()).toBe(4);
    const into = [0, 0];
    const seen: number[][] = [];
    while (ring.pop(into)) seen.push([...into]);
    expect(seen).toEqual([[0, 0], [1, 10], [2, 20], [3, 30]]);
    expect(ring.pop(into)).toBe(false);
    expect(into).toEqual([3, 30]);
  });

  it('keeps working across the int32 wrap of its counters', () => {
    const ring = SpscRing.create(8, 1, 'int32');
    const header = new Int32Array(ring.buffer, 0, 48);
    header[0] = 2 ** 31 - 3;
    header[16] = 2 ** 31 - 3;
    const out = new Int32Array(1);
    for (let i = 0; i < 20; i++) {
      expect(ring.push([i])).toBe(true);
      expect(ring.pop(out)).toBe(true);
      expect(out[0]).toBe(i);
    }
    expect(ring.availableRecords()).toBe(0);
  });

  it('carries planar float32 audio frames out and back (record size = channels)', () => {
    const ring = SpscRing.create(64, 3, 'float32');
    const channels = [0, 1, 2].map((c) => Float32Array.from({ length: 100 }, (_, i) => c * 1000 + i + 0.5));
    expect(ring.pushFrames(channels, 0, 100)).toBe(64);
    const back = [0, 1, 2].map(() => new Float32Array(100));
    expect(ring.popFrames(back, 0, 40)).toBe(40);
    expect(ring.pushFrames(channels, 64, 36)).toBe(36);
    expect(ring.popFrames(back, 40, 100)).toBe(60);
    expect(back.map((c) => Array.from(c))).toEqual(channels.map((c) => Array.from(c)));
  });

  it('drain discards what is waiting', () => {
    const ring = SpscRing.create(8, 1);
    ring.push([1]);
    ring.push([2]);
    expect(ring.drain()).toBe(2);
    expect(ring.pop([0])).toBe(false);
  });

  it('rejects capacities 0, 1.5, −4 and 2³¹, an unknown element type, a non-shared or short buffer and an unknown type code', () => {
    for (const capacity of [0, 1.5, -4, 2 ** 31]) expect(() => SpscRing.create(capacity, 1)).toThrow(/power of two in 1…2\^30/);
    expect(SpscRing.create(1, 1).capacity).toBe(1);
    expect(() => SpscRing.create(8, 1, 'int16' as never)).toThrow(/elementType must be one of float64, float32, int32, got "int16"/);
    expect(() => new SpscRing(new ArrayBuffer(256) as never)).toThrow(/expected the SharedArrayBuffer of a ring/);
    expect(() => new SpscRing(new SharedArrayBuffer(64))).toThrow(/expected the SharedArrayBuffer of a ring/);
    const ring = SpscRing.create(4, 1);
    new Int32Array(ring.buffer)[34] = 9; // the element-type slot of the header
    expect(() => new SpscRing(ring.buffer)).toThrow(/unknown element type code 9/);
  });

  it('accepts the largest capacity, 2³⁰ records, up to the allocation of its buffer (stubbed: 4 GiB of float32)', () => {
    // 2³⁰ + 1 is not a power of two and 2³¹ is refused above: this is the check's upper edge from inside.
    const requested: number[] = [];
    vi.stubGlobal(
      'SharedArrayBuffer',
      class {
        constructor(byteLength: number) {
          requested.push(byteLength);
          throw new Error('not allocated');
        }
      },
    );
    try {
      expect(() => SpscRing.create(2 ** 30, 1, 'float32')).toThrow('not allocated');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(requested).toHaveLength(1);
    expect(requested[0] - 2 ** 32).toBeGreaterThan(0); // the header, then 2³⁰ records of 4 bytes
    expect(requested[0] - 2 ** 32).toBeLessThanOrEqual(256);
  });

  it('sizes its buffer by element type and keeps int32 records exact (2³¹ − 1 is not a float32)', () => {
    const f32 = SpscRing.create(16, 2, 'float32');
    const f64 = SpscRing.create(16, 2, 'float64');
    expect(f64.buffer.byteLength - f32.buffer.byteLength).toBe(16 * 2 * 4);
    const ints = SpscRing.create(4, 2, 'int32');
    ints.push([2 ** 31 - 1, -5]);
    const out = [0, 0];
    ints.pop(out);
    expect(out).toEqual([2 ** 31 - 1, -5]);
  });

  it('counts free records, fills only the free ones, touches nothing past a record or frame, and drain counts from the read position', () => {
    const ring = SpscRing.create(4, 2);
    for (const v of [1, 2, 3, 4]) ring.push([v, v + 0.5, 99]); // a longer source: only recordSize elements are taken
    expect([ring.availableRecords(), ring.freeRecords()]).toEqual([4, 0]);
    const first = [0, 0, 777];
    ring.pop(first);
    expect(first).toEqual([1, 1.5, 777]);
    ring.push([5, 5.5, 99]);
    const rest: number[][] = [];
    for (let r = [0, 0, 777]; ring.pop(r); r = [0, 0, 777]) rest.push(r);
    expect(rest).toEqual([[2, 2.5, 777], [3, 3.5, 777], [4, 4.5, 777], [5, 5.5, 777]]);

    const planar = SpscRing.create(8, 2);
    const channels = [Float64Array.from({ length: 10 }, (_, i) => i), Float64Array.from({ length: 10 }, (_, i) => -i)];
    expect(planar.pushFrames(channels, 0, 5)).toBe(5);
    expect(planar.pushFrames(channels, 5, 5)).toBe(3); // 3 free of 8
    const back = [new Float64Array(10).fill(777), new Float64Array(10).fill(777)];
    expect(planar.popFrames(back, 0, 2)).toBe(2);
    expect([back[0][2], back[1][2]]).toEqual([777, 777]);
    expect(planar.drain()).toBe(6);
  });

  it('rejects a capacity that is not a power of two and a foreign buffer, naming the problem', () => {
    expect(() => SpscRing.create(100, 2)).toThrow(/power of two in 1…2\^30, got 100/);
    expect(() => SpscRing.create(8, 0)).toThrow(/recordSize must be an integer ≥ 1, got 0/);
    expect(() => new SpscRing(new SharedArrayBuffer(256))).toThrow(/bad magic/);
  });

  it.skipIf(allocationUnmeasurable)('push and pop allocate nothing', async () => {
    const ring = SpscRing.create(16, 4);
    const record = Float64Array.of(1, 2, 3, 4);
    const into = new Float64Array(4);
    const result = await measureAllocation(() => {
      ring.push(record);
      ring.pop(into);
    });
    expect(result.bytes).toBeLessThan(1024);
  });

  it('delivers 100 000 records from a worker thread in order, none lost or duplicated', async () => {
    const count = 100_000;
    const ring = SpscRing.create(1024, 3);
    // The TypeScript fixture from its bundle when current, else through tsx (a worker has no vitest transform): tsWorker.ts.
    const worker = startTsWorker(new URL('./spscRing.producerFixture.ts', import.meta.url), { buffer: ring.buffer, count });
    let failure: unknown;
    const finished = new Promise<{ fullCount: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', (error) => reject((failure = error)));
    });
    finished.catch(() => {});
    const into = new Float64Array(3);
    let expected = 0;
    let mismatches = 0;
    const deadline = Date.now() + 20_000;
    while (expected < count && Date.now() < deadline && failure === undefined) {
      let popped = 0;
      while (ring.pop(into)) {
        if (into[0] !== expected || into[1] !== expected / 2 || into[2] !== -expected) mismatches++;
        expected++;
        popped++;
      }
      if (popped === 0) {
        // Busy-poll briefly (as an audio thread would between callbacks), then let the event loop run.
        let spins = 0;
        while (ring.availableRecords() === 0 && spins < 1000) spins++;
        if (spins === 1000) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
    const { fullCount } = await finished;
    await worker.terminate();
    expect(mismatches).toBe(0);
    expect(expected).toBe(count);
    expect(ring.pop(into)).toBe(false);
    expect(fullCount).toBeGreaterThan(0);
  });
});
