import { Session } from 'node:inspector';
import v8 from 'node:v8';

/**
 * What a thread allocated on its JavaScript heap between two marks, counted inside that thread — the
 * render worker's, for the test that its steady state allocates nothing (workerAllocation.test.ts).
 *
 * Allocated bytes over a window = used(end) − used(start) + Σ over the collections in the window of
 * (used before − used after): every byte allocated is either still in the heap at the end or was freed
 * by a collection the window saw (V8's GCProfiler records each with its heap statistics before and after;
 * it keeps them in C++, so it does not allocate on the JS heap while the window runs). Counted twice:
 * the young generation (new space and new large objects: where allocation lands and whose filling is a
 * scavenge — the pause on the real-time thread this is about) and the whole heap (also old and code
 * space: pretenured objects, and code V8 installs when it optimises or deoptimises again).
 *
 * The mark itself allocates (the statistics objects V8's API returns, the profiler's JSON) after it has
 * read the heap: a constant the probe measures once, at its first mark, by marking twice in a row, and
 * subtracts from every window. `mark()` is for the thread's own loop, between cycles, on request: it is
 * never called on the steady path unless a test asks.
 *
 * Shared layout: Int32 [marks requested, marks done] then Float64 [youngBytes, heapBytes, scavenges,
 * markCompacts, gcPauseMaxMs, gcPauseSumMs], each cumulative from the first mark (published before
 * `marks done` is raised).
 */
export const HeapProbeSlot = { youngBytes: 0, heapBytes: 1, scavenges: 2, markCompacts: 3, gcPauseMaxMs: 4, gcPauseSumMs: 5, SLOTS: 6 } as const;

export interface HeapProbeBuffers {
  /** See HeapProbeSlot for the layout. */
  buffer: SharedArrayBuffer;
  /** Sample allocations with V8's sampling heap profiler from the first mark (attribution; slows allocation). */
  sampleAllocations?: boolean;
}

export interface HeapProbeReading {
  marks: number;
  youngBytes: number;
  heapBytes: number;
  scavenges: number;
  markCompacts: number;
  gcPauseMaxMs: number;
  gcPauseSumMs: number;
}

/** One allocating call site from the sampling heap profiler: bytes sampled (self), and where. */
export interface AllocationSite {
  bytes: number;
  functionName: string;
  url: string;
  line: number;
  /** The callers, innermost first (up to 4 frames). */
  stack: string[];
}

const RECORD_BYTE = 8;
const CALIBRATION_STEPS = 64;
const YOUNG_SPACES: ReadonlySet<string> = new Set(['new_space', 'new_large_object_space']);

export function createHeapProbe(sampleAllocations = false): HeapProbeBuffers {
  return { buffer: new SharedArrayBuffer(RECORD_BYTE + 8 * HeapProbeSlot.SLOTS), sampleAllocations };
}

interface GcEntry {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number }; heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] };
  afterGC: { heapStatistics: { usedHeapSize: number }; heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] };
}

function youngOf(spaces: readonly { spaceName?: string; space_name?: string; spaceUsedSize?: number; space_used_size?: number }[]): number {
  let used = 0;
  for (const s of spaces) if (YOUNG_SPACES.has((s.spaceName ?? s.space_name)!)) used += (s.spaceUsedSize ?? s.space_used_size)!;
  return used;
}

/** The measured thread's side. */
export class HeapProbe {
  private readonly marks: Int32Array;
  private readonly record: Float64Array;
  private readonly profiler = new v8.GCProfiler();
  private session: Session | undefined;
  private seen = 0;
  private lastYoung = 0;
  private lastHeap = 0;
  /** What one mark allocates after its reading (measured at the first mark). */
  private markYoungBytes = 0;
  private markHeapBytes = 0;

  constructor(private readonly b: HeapProbeBuffers) {
    this.marks = new Int32Array(b.buffer, 0, 2);
    this.record = new Float64Array(b.buffer, RECORD_BYTE, HeapProbeSlot.SLOTS);
  }

  /** Marks when the control side has asked for a mark since the last call (one Atomics.load otherwise). */
  poll(): void {
    if (Atomics.load(this.marks, 0) !== this.seen) this.mark();
  }

  private mark(): void {
    this.seen = Atomics.load(this.marks, 0);
    if (Atomics.load(this.marks, 1) === 0) this.calibrate();
    this.step();
    Atomics.add(this.marks, 1, 1);
  }

  /** One reading of the heap, and the collections since the last one; counted into the record. */
  private step(): void {
    const young = youngOf(v8.getHeapSpaceStatistics() as never);
    const heap = v8.getHeapStatistics().used_heap_size;
    const gcs = this.collect();
    const r = this.record;
    r[HeapProbeSlot.youngBytes] += young - this.lastYoung + gcs.young - this.markYoungBytes;
    r[HeapProbeSlot.heapBytes] += heap - this.lastHeap + gcs.heap - this.markHeapBytes;
    this.lastYoung = young;
    this.lastHeap = heap;
  }

  /**
   * What a step allocates after its reading (the statistics objects, the profiler's JSON): the median
   * difference between consecutive readings of CALIBRATION_STEPS steps in a row (each step counted, as a
   * mark counts, into the record, which is then cleared). Enough steps that V8 has compiled the step's code
   * as a mark later runs it (measured: ~3.9 KB a step, the first few steps up to 14 KB, then within ±30 B
   * of 3944 with a rare outlier 136 B low — the smallest of 6 steps, as before, read the render worker's
   * steady state as 136–552 B a window where the median reads 0).
   */
  private calibrate(): void {
    this.profiler.start();
    const young = new Float64Array(CALIBRATION_STEPS);
    const heap = new Float64Array(CALIBRATION_STEPS);
    this.step();
    for (let i = 0; i < CALIBRATION_STEPS; i++) {
      const y0 = this.lastYoung;
      const h0 = this.lastHeap;
      this.step();
      young[i] = this.lastYoung - y0;
      heap[i] = this.lastHeap - h0;
    }
    this.markYoungBytes = Math.max(0, young.sort()[CALIBRATION_STEPS >> 1]);
    this.markHeapBytes = Math.max(0, heap.sort()[CALIBRATION_STEPS >> 1]);
    this.record.fill(0);
    if (this.b.sampleAllocations) this.startSampling();
  }

  /** The collections since the last call: counted, and what they freed (young, whole heap). */
  private collect(): { young: number; heap: number } {
    const { statistics } = this.profiler.stop() as unknown as { statistics: GcEntry[] };
    this.profiler.start();
    const r = this.record;
    let young = 0;
    let heap = 0;
    for (const g of statistics) {
      young += youngOf(g.beforeGC.heapSpaceStatistics) - youngOf(g.afterGC.heapSpaceStatistics);
      heap += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
      if (g.gcType === 'Scavenge' || g.gcType === 'MinorMarkCompact' || g.gcType === 'MinorMarkSweep') r[HeapProbeSlot.scavenges]++;
      else if (g.gcType === 'MarkSweepCompact') r[HeapProbeSlot.markCompacts]++;
      const ms = g.cost / 1000;
      r[HeapProbeSlot.gcPauseSumMs] += ms;
      if (ms > r[HeapProbeSlot.gcPauseMaxMs]) r[HeapProbeSlot.gcPauseMaxMs] = ms;
    }
    return { young, heap };
  }

  private startSampling(): void {
    this.session = new Session();
    this.session.connect();
    this.session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  }

  /** Every sampled allocation site since the first mark, largest first (empty unless sampling). Off the real-time path. */
  finish(): AllocationSite[] {
    this.profiler.stop();
    const session = this.session;
    if (!session) return [];
    let profile: { head: SampledNode } | undefined;
    session.post('HeapProfiler.getSamplingProfile', (err, result) => { if (!err) profile = (result as unknown as { profile: { head: SampledNode } }).profile; });
    session.post('HeapProfiler.stopSampling');
    session.disconnect();
    if (!profile) return [];
    const sites: AllocationSite[] = [];
    const walk = (n: SampledNode, stack: string[]): void => {
      const cf = n.callFrame;
      const here = `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^.*\/src\//, 'src/')}:${cf.lineNumber + 1}`;
      if (n.selfSize > 0) sites.push({ bytes: n.selfSize, functionName: cf.functionName, url: cf.url, line: cf.lineNumber + 1, stack: stack.slice(0, 4) });
      for (const c of n.children) walk(c, [here, ...stack]);
    };
    walk(profile.head, []);
    return sites.sort((a, b) => b.bytes - a.bytes);
  }
}

interface SampledNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampledNode[];
}

/** The control side: asks for marks and reads the record. */
export class HeapProbeReader {
  private readonly marks: Int32Array;
  private readonly record: Float64Array;

  constructor(b: HeapProbeBuffers) {
    this.marks = new Int32Array(b.buffer, 0, 2);
    this.record = new Float64Array(b.buffer, RECORD_BYTE, HeapProbeSlot.SLOTS);
  }

  /** Asks the thread to mark at its next wake-up; returns the mark count to wait for (`read().marks`). */
  request(): number {
    return Atomics.add(this.marks, 0, 1) + 1;
  }

  read(): HeapProbeReading {
    const r = this.record;
    return {
      marks: Atomics.load(this.marks, 1), youngBytes: r[HeapProbeSlot.youngBytes], heapBytes: r[HeapProbeSlot.heapBytes],
      scavenges: r[HeapProbeSlot.scavenges], markCompacts: r[HeapProbeSlot.markCompacts],
      gcPauseMaxMs: r[HeapProbeSlot.gcPauseMaxMs], gcPauseSumMs: r[HeapProbeSlot.gcPauseSumMs],
    };
  }
}
