import { describe, expect, it } from 'vitest';
import type { RigPeriod } from './audioRig.ts';
import type { HostClock } from './hostClock.ts';
import { AudioHost } from './audioHost.ts';
import { ClickEngine } from './clickEngine.ts';
import { LateBlocks } from './lateBlocks.ts';
import type { ThreadCpuClock } from './threadCpuClock.ts';

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
    const r = new Float64Array(7);
    for (let i = 0; i < 6; i++) { r[0] = i * P; r[3] = -i; ring.push(r); }
    expect(ring.since(0).blocks.map((b) => b.outputFrame)).toEqual([2 * P, 3 * P, 4 * P, 5 * P]);
    expect(ring.since(0).lost).toBe(2);
    expect(ring.since(5).blocks.map((b) => b.marginMs)).toEqual([-5]);
    expect(ring.since(6)).toEqual({ blocks: [], next: 6, lost: 0 });
    expect(() => new LateBlocks(new SharedArrayBuffer(8 + 3 * 7 * 8))).toThrow(/power of two/);
    expect(() => new LateBlocks(new SharedArrayBuffer(8 + 4 * 4 * 8))).toThrow(/power of two/); // a buffer of the old 4-slot records
  });

  it('splits a late block\'s time into its own work, the machine\'s holds and other waits, from the rendering thread\'s chain since it was last idle', () => {
    // The chain, µs back from the block's end: ready 3000 ago (0.5 ms before the input, which began 2.5 ms ago: idle then),
    // woke 1200 ago, 300 of CPU and 100 of run delay since, woken 700 late, blocked twice since.
    const chain = [3000, 1200, 300, 100, 700, 2];
    // A clock that stands still: the block ends when its period is built, whatever this test thread's load.
    const still: HostClock = { ms: new Float64Array([performance.now()]), read() {}, kind: 'performance' };
    const host = new AudioHost({ engine: new ClickEngine(1), sampleRate: FS, periodFrames: P, clock: still, sinceIdle: (out) => out.set(chain) });
    const period = (frameIndex: number) => host.processPeriod({
      inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex, outputFrameIndex: frameIndex + 2 * P, hostTimeMs: still.ms[0] - 2.5, flags: 0,
    });
    const from = host.lateBlocks.written;
    period(0);
    const [b] = host.lateBlocks.since(from).blocks;
    expect(b.ownMs).toBeCloseTo(0.3, 6); // idle when the input came: only the CPU since the wake-up is its own
    expect(b.heldMs).toBeCloseTo(0.8, 6);
    expect(b.waitedMs).toBeCloseTo(0.8, 6); // 1200 − 300 − 100: blocked on something else
    // Still busy when the input came (ready 1.5 ms after it): that tail is counted as its own, at most.
    chain[0] = 1000;
    period(P);
    expect(host.lateBlocks.since(from).blocks[1].ownMs).toBeCloseTo(0.3 + 1.5, 6);
    // Never blocked: the time neither running nor held was the machine's too (a vCPU taken while it ran).
    chain[5] = 0;
    period(2 * P);
    expect(host.lateBlocks.since(from).blocks[2].waitedMs).toBe(0);
    // Unmeasured (−1 anywhere, or no chain reader at all): NaN, which the attribution never excuses.
    chain[5] = 2;
    chain[3] = -1;
    period(3 * P);
    expect(host.lateBlocks.since(from).blocks[3].ownMs).toBeNaN();
    const plain = new AudioHost({ engine: new ClickEngine(1), sampleRate: FS, periodFrames: P });
    const f = plain.lateBlocks.written;
    runPeriod(plain, 0, 2.5);
    expect(plain.lateBlocks.since(f).blocks[0]).toMatchObject({ ownMs: NaN, heldMs: NaN, waitedMs: NaN });
  });
  it('bounds a late block\'s own work by the thread\'s CPU time since the last block it began before the input: a long chain\'s CPU is not all this block\'s', () => {
    // A thread that has not been idle for 10 ms (catching up after a hold): 2.5 ms of CPU since that wake-up, most of
    // it on blocks whose inputs came before this one's.
    const chain = [11_000, 10_000, 2500, 3000, 0, 0];
    const clock: HostClock = { ms: new Float64Array([100]), read() {}, kind: 'performance' };
    const cpu: ThreadCpuClock = { ms: new Float64Array([50]), read() {} };
    const make = (threadCpu?: ThreadCpuClock) => new AudioHost({ engine: new ClickEngine(1), sampleRate: FS, periodFrames: P, clock, sinceIdle: (out) => out.set(chain), ...(threadCpu ? { threadCpu } : {}) });
    const run = (host: AudioHost) => {
      const from = host.lateBlocks.written;
      const period = (frameIndex: number, startMs: number, cpuMs: number, inputMs: number) => {
        clock.ms[0] = startMs;
        cpu.ms[0] = cpuMs;
        host.processPeriod({ inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex, outputFrameIndex: frameIndex + 2 * P, hostTimeMs: inputMs, flags: 0 });
      };
      period(0, 100, 50, 99); // begun at 100 ms, 50 ms of thread CPU so far: in time
      period(P, 101, 50.2, 100.5); // begun at 101 ms: in time
      // The late block: its input began at 101.5 ms, after the second block's start; 0.5 ms of CPU since that start.
      clock.ms[0] = 104;
      cpu.ms[0] = 50.7;
      host.processPeriod({ inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex: 2 * P, outputFrameIndex: 4 * P, hostTimeMs: 101.5, flags: 0 });
      return host.lateBlocks.since(from).blocks;
    };
    const withCpu = run(make(cpu));
    expect(withCpu).toHaveLength(1);
    expect(withCpu[0].ownMs).toBeCloseTo(0.5, 9);
    expect(withCpu[0].heldMs).toBeCloseTo(3, 9); // the chain's other readings are as they were
    // Without the thread's CPU clock, the chain's bound: its 2.5 ms of CPU since the wake-up.
    expect(run(make())[0].ownMs).toBeCloseTo(2.5, 9);
    // The chain's bound stays where it is the lower (a chain that woke after the input: 0.3 ms of CPU).
    chain.splice(0, 3, 3000, 1200, 300);
    expect(run(make(cpu))[0].ownMs).toBeCloseTo(0.3, 9);
    // No block begun before the input in the record (a fresh host whose first block is late): the chain's bound.
    chain.splice(0, 3, 11_000, 10_000, 2500);
    const fresh = make(cpu);
    clock.ms[0] = 104;
    fresh.processPeriod({ inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex: 0, outputFrameIndex: 2 * P, hostTimeMs: 101.5, flags: 0 });
    expect(fresh.lateBlocks.since(0).blocks[0].ownMs).toBeCloseTo(2.5, 9);
    // An unknown chain stays unknown (NaN: never excused), whatever the CPU clock says.
    chain[3] = -1;
    expect(run(make(cpu))[0].ownMs).toBeNaN();
    chain[3] = 3000;
    // An input whose mapped time falls after the block began (a clock map off by a little): the block's own start
    // is not a start before the input, or the bound would leave out the work before it.
    const reads: number[] = [];
    const ticking: HostClock = { ms: new Float64Array(1), read() { this.ms[0] = reads.shift() ?? this.ms[0]; }, kind: 'performance' };
    const cpuReads: number[] = [];
    const tickingCpu: ThreadCpuClock = { ms: new Float64Array(1), read() { this.ms[0] = cpuReads.shift() ?? this.ms[0]; } };
    const mapped = new AudioHost({ engine: new ClickEngine(1), sampleRate: FS, periodFrames: P, clock: ticking, sinceIdle: (out) => out.set(chain), threadCpu: tickingCpu });
    const block = (frameIndex: number, inputMs: number) => mapped.processPeriod({ inputs: [], outputs: [new Float32Array(P)], frames: P, frameIndex, outputFrameIndex: frameIndex + 2 * P, hostTimeMs: inputMs, flags: 0 });
    reads.push(101, 101);
    cpuReads.push(50.2);
    block(0, 100.5); // begun at 101 ms with 50.2 ms of CPU: in time
    reads.push(104, 107); // begun at 104, done at 107: its input, mapped to 104.5, is 0.17 ms from its deadline
    cpuReads.push(50.7, 51);
    block(P, 104.5);
    expect(mapped.lateBlocks.since(0).blocks[0].ownMs).toBeCloseTo(51 - 50.2, 9);
  });
});
