import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable } from '../engine/allocationProbe.ts';
import { HeapProbe, HeapProbeReader, createHeapProbe } from './heapProbe.ts';

/**
 * Limits: a window of nothing counts at most this (the probe's own cost is measured and subtracted), and
 * empty windows in a row at most `steadyEmptyWindowBytes` each on average, once the probe's code has run a
 * few marks — the render worker's steady state is read as such windows (workerAllocation.test.ts).
 */
const LIMITS = { emptyWindowBytes: 512, steadyEmptyWindowBytes: 100, countedFraction: 0.95 };
const STEADY_WINDOWS = 16;
const ARRAYS = 5000;

/** Marks once on this thread (the worker's loop would, on request). */
function mark(probe: HeapProbe, reader: HeapProbeReader): void {
  reader.request();
  probe.poll();
}

describe.skipIf(allocationUnmeasurable)('HeapProbe: what a thread allocated between two marks', () => {
  it('counts nothing for an empty window and every byte of 5000 arrays, across the scavenges they cause', () => {
    const buffers = createHeapProbe();
    const probe = new HeapProbe(buffers);
    const reader = new HeapProbeReader(buffers);
    mark(probe, reader);
    mark(probe, reader);
    const empty = reader.read();
    expect(empty.marks).toBe(2);
    expect(Math.abs(empty.youngBytes)).toBeLessThanOrEqual(LIMITS.emptyWindowBytes);
    // 5000 arrays of 1000 doubles on the JS heap (40 MB: more than the young generation holds, so scavenges run).
    const keep: number[][] = [];
    for (let i = 0; i < ARRAYS; i++) {
      keep.push(new Array<number>(1000).fill(i + 0.5));
      if (keep.length > 4) keep.shift();
    }
    mark(probe, reader);
    const r = reader.read();
    expect(keep.length).toBe(4);
    expect(r.scavenges).toBeGreaterThan(0);
    expect(r.youngBytes - empty.youngBytes).toBeGreaterThanOrEqual(LIMITS.countedFraction * ARRAYS * 1000 * 8);
  });

  it(`reads ${STEADY_WINDOWS} empty windows in a row as nothing: its calibration is what a mark allocates, not an outlier`, () => {
    const buffers = createHeapProbe();
    const probe = new HeapProbe(buffers);
    const reader = new HeapProbeReader(buffers);
    for (let i = 0; i < 4; i++) mark(probe, reader);
    // Read once, after the windows: a reading on this thread allocates (its result object).
    const before = reader.read().youngBytes;
    for (let i = 0; i < STEADY_WINDOWS; i++) mark(probe, reader);
    const perWindow = (reader.read().youngBytes - before) / STEADY_WINDOWS;
    // Measured on this thread: −80 B a window (the median of 64 steps; −32 B in the render worker); the
    // smallest of 6 steps, as the probe took before, read +112…128 B (+136 B in the render worker).
    expect(Math.abs(perWindow)).toBeLessThanOrEqual(LIMITS.steadyEmptyWindowBytes);
  });
});
