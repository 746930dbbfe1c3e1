import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { settleHeapForStream } from './settleHeap.ts';

/**
 * What the render worker does last before its stream (hostWorker.ts): the garbage its warm-up and its live build
 * left is collected then, not by a collection started mid-stream on its thread. What that prevented is measured
 * on the JACK rig (settleHeap.ts and the README's dropout attribution); here, that the call collects: ~30 MB of
 * garbage made just before it is gone after it (30 MB left without its collections).
 */
const GARBAGE_OBJECTS = 300_000;
const LIMIT_LEFT_MB = 4;

describe('settleHeapForStream', () => {
  it(`collects the garbage made before it (of ~${GARBAGE_OBJECTS / 1000}k objects, at most ${LIMIT_LEFT_MB} MB left)`, () => {
    settleHeapForStream();
    const base = v8.getHeapStatistics().used_heap_size;
    let garbage: { i: number; pair: number[] }[] | null = Array.from({ length: GARBAGE_OBJECTS }, (_, i) => ({ i, pair: [i, i + 1] }));
    const made = v8.getHeapStatistics().used_heap_size - base;
    expect(garbage.length).toBe(GARBAGE_OBJECTS);
    garbage = null;

    settleHeapForStream();

    const left = v8.getHeapStatistics().used_heap_size - base;
    expect(made / 2 ** 20).toBeGreaterThan(5 * LIMIT_LEFT_MB);
    expect(left / 2 ** 20, `made ${(made / 2 ** 20).toFixed(1)} MB`).toBeLessThan(LIMIT_LEFT_MB);
  });
});
