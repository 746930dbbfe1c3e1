import { describe, expect, it } from 'vitest';
import type { Engine } from '../../engine/engine.ts';
import { type EngineEvent, EventKind, type TimedEvent } from '../../engine/events.ts';
import { render } from '../../engine/render.ts';
import { Prng } from '../../dsp/prng.ts';
import { EventQueue } from './eventQueue.ts';

/** An engine that records the events each block hands it (kind, value and offset). */
function recordingEngine(log: string[][]): Engine {
  return {
    name: 'recorder', numInputs: 0, numOutputs: 1, paramNames: [],
    prepare() {}, reset() {}, getState: () => null, setState() {},
    process(_i, _o, _frames, events: readonly EngineEvent[], count: number) {
      log.push(events.slice(0, count).map((e) => `${e.kind}:${e.value}@${e.offsetFrames}`));
    },
  };
}

describe('EventQueue', () => {
  it('hands each 128-frame block the same events, in the same order and at the same offsets, as render()', () => {
    const prng = new Prng(7);
    const events: TimedEvent[] = Array.from({ length: 300 }, (_, i) => ({
      kind: EventKind.Param, atFrame: Math.floor(prng.nextFloat() * 5000) + (i % 3 === 0 ? 0.5 : 0), channel: 0, note: 0, value: i, paramIndex: 0,
    }));
    const expected: string[][] = [];
    render(recordingEngine(expected), { sampleRate: 48000, blockFrames: 128, frames: 5120, events });
    const queue = new EventQueue(512);
    // Arrival order shuffled in chunks: the queue sorts stably by frame as render() does.
    for (const e of events) queue.push(e, e.atFrame);
    const got: string[][] = [];
    for (let start = 0; start < 5120; start += 128) {
      const block = queue.take(start, 128);
      got.push(block.slice(0, queue.taken).map((e) => `${e.kind}:${e.value}@${e.offsetFrames}`));
    }
    expect(got).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it('applies an event without a frame at the next block, and counts what it cannot hold', () => {
    const queue = new EventQueue(2);
    const e = { kind: EventKind.Panic, channel: 0, note: 0, value: 0, paramIndex: 0 };
    expect(queue.push(e, 1000)).toBe(true);
    expect(queue.push(e, Number.NEGATIVE_INFINITY)).toBe(true);
    expect(queue.push(e, 5)).toBe(false);
    expect(queue.dropped).toBe(1);
    const block = queue.take(256, 128);
    expect(queue.taken).toBe(1);
    expect(block[0].offsetFrames).toBe(0);
    expect(queue.size).toBe(1);
  });
});
