import { afterEach, describe, expect, it } from 'vitest';
import { SignalHistory } from './signalHistory.ts';

const ramp = (from: number, frames: number): Float32Array => Float32Array.from({ length: frames }, (_, i) => from + i);
const held = (h: SignalHistory): number[] => Array.from({ length: h.end - h.start }, (_, i) => h.data[h.start + i + h.offset]);

describe('SignalHistory', () => {
  afterEach(() => {
    SignalHistory.poisonDiscarded = false;
    SignalHistory.poisonAhead = undefined;
  });

  it('holds frames [start, end) at data[n + offset] through compactions, growths and uneven chunks', () => {
    const h = new SignalHistory(16);
    let end = 0;
    let start = 0;
    const chunks = [5, 9, 1, 16, 30, 3, 7, 64, 2, 11, 40, 1, 1, 25];
    for (const [i, frames] of chunks.entries()) {
      h.append(ramp(end, frames));
      end += frames;
      h.discardBefore(end - 10 - 3 * i); // a reader keeping a varying stretch behind (never moving back)
      start = Math.max(start, end - 10 - 3 * i);
      expect(h.end).toBe(end);
      expect(h.start).toBe(start);
      expect(held(h)).toEqual(Array.from({ length: h.end - h.start }, (_, k) => h.start + k));
    }
  });

  it('compacts in place while what is held plus the chunk fits in half the storage, and grows only past that', () => {
    const h = new SignalHistory(64);
    for (let n = 0; n < 1000; n += 10) {
      h.append(ramp(n, 10));
      h.discardBefore(n + 10 - 22); // 22 held after each append: 22 + 10 ≤ 32
    }
    expect(h.data.length).toBe(64);
    expect(held(h)).toEqual(Array.from({ length: 22 }, (_, k) => 978 + k));

    h.append(ramp(1000, 11)); // fits in the room after the frames held: no move
    expect(held(h)).toEqual(Array.from({ length: 33 }, (_, k) => 978 + k));
    const grownFrom = h.data.length;
    h.append(ramp(1011, 40)); // 73 held > 64: grows to max(2·64, 2·73) = 146
    expect(grownFrom).toBe(64);
    expect(h.data.length).toBe(146);
    expect(held(h)).toEqual(Array.from({ length: 73 }, (_, k) => 978 + k));
  });

  it('discards nothing before its start, clamps at its end, and poisons exactly the discarded frames when asked', () => {
    const h = new SignalHistory(32);
    h.append(ramp(0, 20));
    h.discardBefore(5);
    h.discardBefore(3);
    expect(h.start).toBe(5);
    SignalHistory.poisonDiscarded = true;
    h.discardBefore(8);
    expect(Array.from(h.data.subarray(0, 10), (v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([0, 1, 2, 3, 4, 'NaN', 'NaN', 'NaN', 8, 9]);
    h.discardBefore(50);
    expect(h.start).toBe(20);
    expect(h.heldFrames).toBe(0);
  });

  it('poisons the discarded frames where they are stored, after the storage moved (offset ≠ 0)', () => {
    const h = new SignalHistory(16);
    h.append(ramp(0, 10));
    h.discardBefore(8);
    h.append(ramp(10, 10)); // 2 held + 10 > 8: grows, frame 8 now at storage 0
    expect(h.offset).toBe(-8);
    SignalHistory.poisonDiscarded = true;
    h.discardBefore(12);
    expect([8, 9, 10, 11].map((n) => h.data[n + h.offset])).toEqual([NaN, NaN, NaN, NaN]);
    expect(held(h)).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('grows to twice its storage when that holds what is kept plus the chunk (64 → 128 for 30 + 5 frames)', () => {
    const h = new SignalHistory(64);
    h.append(ramp(0, 60));
    h.discardBefore(30);
    h.append(ramp(60, 5));
    expect(h.data.length).toBe(128);
    expect(held(h)).toEqual(Array.from({ length: 35 }, (_, k) => 30 + k));
  });

  it('counts frames consumed straight from the chunk (skip) only while nothing is held', () => {
    const h = new SignalHistory(16);
    h.skip(100);
    expect([h.start, h.end, h.heldFrames]).toEqual([100, 100, 0]);
    h.append(ramp(100, 4));
    expect(held(h)).toEqual([100, 101, 102, 103]);
    expect(() => h.skip(1)).toThrow('skip while frames are held');
  });

  it('wraps a whole signal in place: never discarded or poisoned, no appends after its end', () => {
    const x = ramp(0, 50);
    const h = SignalHistory.wrap(x);
    SignalHistory.poisonDiscarded = true;
    h.discardBefore(30);
    expect(h.data).toBe(x);
    expect([h.start, h.end, h.offset, h.ended]).toEqual([0, 50, 0, true]);
    expect(Number.isNaN(x[0])).toBe(false);
    expect(() => h.append(ramp(50, 1))).toThrow('append after end');
  });

  it('keeps the storage past its end poisoned when asked, after a compaction and a growth too, and the frames held as appended', () => {
    SignalHistory.poisonAhead = 1000;
    const h = new SignalHistory(32);
    const ahead = () => Array.from(h.data.subarray(h.end + h.offset), (v) => v === 1000);
    h.append(ramp(0, 28));
    expect(ahead()).toEqual(Array(4).fill(true));
    h.discardBefore(24);
    h.append(ramp(28, 10)); // 4 held + 10 ≤ 16: compacted in place, frames 14…31 stored past the end before
    expect([h.data.length, h.offset]).toEqual([32, -24]);
    expect(ahead()).toEqual(Array(18).fill(true));
    h.append(ramp(38, 20)); // 34 held: grows to 68
    expect(h.data.length).toBe(68);
    expect(ahead()).toEqual(Array(34).fill(true));
    expect(held(h)).toEqual(Array.from({ length: 34 }, (_, k) => 24 + k));
  });

  it('keeps at least 16 frames of storage', () => {
    expect(new SignalHistory(0).data.length).toBe(16);
    expect(new SignalHistory(17).data.length).toBe(17);
  });
});
