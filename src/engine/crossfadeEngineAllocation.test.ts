import { describe, expect, it } from 'vitest';
import { ToyFilter } from '../conformance/brokenEngines.ts';
import { isAllocationFree, measureAllocation } from './allocationProbe.ts';
import { CrossfadeEngine } from './crossfadeEngine.ts';
import { EventKind, makeEvent } from './events.ts';

/**
 * The switching path of CrossfadeEngine allocates nothing. A file of its own: V8's compiled code is per
 * thread, and a file whose other tests ran the same functions on reverbs measured this one's switches
 * on code being recompiled (8–150 kB over 240 blocks in 4 of 7 runs, 0 alone).
 */
const FS = 48000;

describe('CrossfadeEngine allocation', () => {
  it('allocates nothing in process() while switching, measured with the allocation probe', async () => {
    const block = 64;
    const every = 16; // blocks between switches: 8 of them fade
    const calls = 240;
    const warmupCalls = 2400;
    const attempts = 3;
    // Each attempt warms up twice (before and after its settling pause), then measures 3 windows.
    const switches = Math.ceil((attempts * (2 * warmupCalls + 3 * calls)) / every);
    // A small engine inside, so what is measured is the switch itself: every fresh FdnReverb instance
    // brings its own WebAssembly instance, whose call site in fdnRestKernel.ts then allocates (see README).
    const slot = new CrossfadeEngine(new ToyFilter());
    slot.prepare({ sampleRate: FS, maxBlockFrames: block });
    // Engines built and prepared beforehand (the control side's work); staging only stores a reference.
    const spares = Array.from({ length: switches }, () => {
      const e = new ToyFilter();
      e.prepare({ sampleRate: FS, maxBlockFrames: block });
      return e;
    });
    const x = [new Float32Array(block).map((_, i) => 0.3 * Math.sin(i))];
    const y = [new Float32Array(block)];
    const swap = makeEvent();
    swap.kind = EventKind.Swap;
    const events = [swap];
    const n = new Int32Array(2); // [block, switches]
    const step = () => {
      const b = n[0]++;
      if (b % every === 0 && n[1] < spares.length) {
        const id = n[1]++;
        slot.stage(id, spares[id]);
        swap.value = id;
        swap.offsetFrames = 17;
        slot.process(x, y, block, events, 1);
      } else slot.process(x, y, block, events, 0);
    };
    // Up to `attempts` measurements, as the conformance suite's allocation check does (checks.ts): on a
    // loaded machine one window in about six read 6–8 kB with V8's compiler still at work; an allocation
    // in the switching path reads in every one (an array per span: 14 kB).
    const readings: string[] = [];
    let m = await measureAllocation(step, { calls, warmupCalls, repeats: 3, settleMs: 100 });
    for (let a = 1; a < attempts && !isAllocationFree(m); a++) {
      readings.push(`${m.bytes} B${m.gcDuringMeasurement ? ' (a GC ran)' : ''}`);
      m = await measureAllocation(step, { calls, warmupCalls, repeats: 3, settleMs: 100 * (a + 1) });
    }
    expect(slot.stats.swaps).toBeGreaterThanOrEqual(Math.ceil((2 * warmupCalls + 3 * calls) / every));
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} blocks${m.gcDuringMeasurement ? ' (a GC ran)' : ''}; earlier attempts ${readings.join(', ') || 'none'}`).toBe(true);
  }, 60_000);
});
