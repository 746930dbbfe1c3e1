import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createStatusSlot, StatusSlotReader, StatusSlotWriter } from './statusSlot.ts';
import { startTsWorker } from './tsWorker.ts';

describe('StatusSlot: the audio side hands its status to the control thread without a lock', () => {
  it('reads nothing before the first write, then the latest whole status', () => {
    const slot = createStatusSlot(1024);
    const writer = new StatusSlotWriter(slot);
    const reader = new StatusSlotReader<{ a: number; s: string }>(slot);
    expect(reader.read()).toBeUndefined();
    writer.write({ a: 1, s: 'é' });
    writer.write({ a: 2, s: 'ü' });
    expect(reader.read()).toEqual({ a: 2, s: 'ü' });
  });

  it('does not publish a status larger than the slot: counted, the previous one kept', () => {
    const slot = createStatusSlot(64);
    const writer = new StatusSlotWriter(slot);
    const reader = new StatusSlotReader<{ s: string }>(slot);
    expect(writer.write({ s: 'short' })).toBe(true);
    expect(writer.write({ s: 'y'.repeat(100) })).toBe(false);
    // 30 three-byte characters: 30 UTF-16 units but 90 UTF-8 bytes.
    expect(writer.write({ s: '€'.repeat(30) })).toBe(false);
    expect(reader.oversize).toBe(2);
    expect(reader.read()).toEqual({ s: 'short' });
  });

  it('carries a row of numbers beside the JSON: the latest whole row, a row past the room refused (counted)', () => {
    const slot = createStatusSlot(64, 4);
    const writer = new StatusSlotWriter(slot);
    const reader = new StatusSlotReader<{ shape: string }>(slot);
    expect(reader.readNumbers()).toEqual(new Float64Array(0));
    writer.write({ shape: 'abc' });
    expect(writer.writeNumbers(Float64Array.of(1, 2.5, Number.NaN))).toBe(true);
    expect(writer.writeNumbers(Float64Array.of(1, 2, 3, 4, 5))).toBe(false);
    expect(reader.oversize).toBe(1);
    expect(reader.read()).toEqual({ shape: 'abc' });
    expect(reader.readNumbers()).toEqual(Float64Array.of(1, 2.5, Number.NaN));
  });

  it('a reader that finds the writer mid-write keeps the last whole status (counted), never a torn one', () => {
    const slot = createStatusSlot(256);
    const writer = new StatusSlotWriter(slot);
    const reader = new StatusSlotReader<{ v: string }>(slot);
    writer.write({ v: 'first' });
    expect(reader.read()).toEqual({ v: 'first' });
    // A writer interrupted half-way: seq odd, half of a new text in the bytes.
    const header = new Int32Array(slot.buffer, 0, 4);
    Atomics.add(header, 0, 1);
    new Uint8Array(slot.buffer, 16, 256).set(new TextEncoder().encode('{"v":"sec'));
    expect(reader.read()).toEqual({ v: 'first' });
    expect(reader.contended).toBe(1);
    Atomics.add(header, 0, 1);
    writer.write({ v: 'second' });
    expect(reader.read()).toEqual({ v: 'second' });
  });

  it('under a writer thread publishing 20 000 statuses of varying length, every read is whole and none goes back', async () => {
    const slot = createStatusSlot(4096);
    const reader = new StatusSlotReader<{ n: number; pad: string; check: number }>(slot);
    // The reader stores each status it sees in `seen`; the writer waits for it every CHECKPOINT statuses.
    const CHECKPOINT = 1000;
    const seen = new Int32Array(new SharedArrayBuffer(4));
    const worker = startTsWorker(new URL('./statusSlot.writerFixture.ts', import.meta.url), { slot, count: 20_000, checkpoint: CHECKPOINT, seen });
    const exited = once(worker, 'exit');
    let done = false;
    void exited.then(() => { done = true; });
    let reads = 0;
    let last = 0;
    const started = performance.now();
    while (!done && performance.now() - started < 20_000) {
      const s = reader.read();
      if (s) {
        expect(s.check).toBe(s.n * 3);
        expect(s.pad.length).toBe(100 + ((s.n * 37) % 900));
        expect(s.n).toBeGreaterThanOrEqual(last);
        if (s.n > last) reads++;
        last = s.n;
        Atomics.store(seen, 0, s.n);
        Atomics.notify(seen, 0);
      }
      await new Promise((r) => setImmediate(r));
    }
    await exited;
    expect(reader.read()?.n).toBe(20_000);
    // The test saw the writer at work, not only its final value: a status of each of the 20 stretches.
    expect(reads).toBeGreaterThanOrEqual(20_000 / CHECKPOINT);
  }, 30_000);
});
