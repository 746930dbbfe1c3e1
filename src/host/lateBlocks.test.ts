import { describe, expect, it } from 'vitest';
import type { RigPeriod } from './audioRig.ts';
import { AudioHost } from './audioHost.ts';
import { ClickEngine } from './clickEngine.ts';
import { LateBlocks } from './lateBlocks.ts';

const FS = 48000;
const P = 64;
const PERIOD_MS = (P * 1000) / FS;

/** A click engine whose process() takes `spinMs` (a slow block). */
class SlowEngine extends ClickEngine {
  spinMs = 0;
  override process(...args: Parameters<ClickEngine['process']>): void {
    const until = performance.now() + this.spinMs;
    while (performance.now() < until) { /* a slow engine */ }
    super.process(...args);
  }
}

/** One period of a render-ahead host 2 periods ahead, whose input cycle began `lagMs` ago. */
function runPeriod(host: AudioHost, frameIndex: number, lagMs: number): void {
  const p: RigPeriod = {
    inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex, outputFrameIndex: frameIndex + 2 * P,
    hostTimeMs: performance.now() - lagMs, flags: 0,
  };
  host.processPeriod(p);
}

describe('late blocks (why a render-ahead block missed its cycle)', () => {
  it('records a block that started late and one that took too long, apart, and none on time', () => {
    const engine = new SlowEngine(1);
    const host = new AudioHost({ engine, sampleRate: FS, periodFrames: P });
    const from = host.lateBlocks.written;
    // Margins wide enough that a preempted test thread (load 14: it failed once) does not change the verdicts.
    runPeriod(host, 0, -30); // on time: its cycle 30 ms ahead, 32.67 ms to spare
    runPeriod(host, P, 30); // woken 30 ms after its cycle began: past its deadline before it starts
    engine.spinMs = 4;
    runPeriod(host, 2 * P, 0); // started at once, took 4 ms
    const { blocks, next } = host.lateBlocks.since(from);
    expect(next - from).toBe(2);
    const [lateStart, slow] = blocks;
    expect(lateStart.outputFrame).toBe(3 * P);
    expect(lateStart.startLagMs).toBeGreaterThanOrEqual(30);
    expect(lateStart.blockMs).toBeLessThan(PERIOD_MS);
    expect(lateStart.marginMs).toBeLessThan(2 * PERIOD_MS - 30 + 0.01);
    expect(slow.outputFrame).toBe(4 * P);
    expect(slow.startLagMs).toBeLessThan(1);
    expect(slow.blockMs).toBeGreaterThanOrEqual(4);
    expect(slow.marginMs).toBeLessThan(0);
  });

  it('keeps the newest records when more were written than it holds, and reads only those since a counter', () => {
    const ring = new LateBlocks(LateBlocks.createBuffer(4));
    const r = new Float64Array(4);
    for (let i = 0; i < 6; i++) { r[0] = i * P; r[3] = -i; ring.push(r); }
    expect(ring.since(0).blocks.map((b) => b.outputFrame)).toEqual([2 * P, 3 * P, 4 * P, 5 * P]);
    expect(ring.since(0).lost).toBe(2);
    expect(ring.since(5).blocks.map((b) => b.marginMs)).toEqual([-5]);
    expect(ring.since(6)).toEqual({ blocks: [], next: 6, lost: 0 });
    expect(() => new LateBlocks(new SharedArrayBuffer(8 + 3 * 32))).toThrow(/power of two/);
  });
});
