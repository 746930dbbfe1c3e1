import { describe, expect, it } from 'vitest';
import { ToyFilter } from '../conformance/brokenEngines.ts';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { CrossfadeEngine } from '../engine/crossfadeEngine.ts';
import { EventKind, makeEvent } from '../engine/events.ts';
import type { RenderAhead } from './jack/renderAhead.ts';
import { StatusSlotReader, StatusSlotWriter, createStatusSlot } from './statusSlot.ts';
import { type HostWorkerStatusJson, decodeWorkerStatus, statusPublisher } from './workerStatus.ts';

/** A crossfade slot around a small effect, after `swaps` switches (as the render worker hosts reverb and lossy). */
function switchedSlot(swaps: number, inner: () => ToyFilter = () => new ToyFilter()): CrossfadeEngine {
  const slot = new CrossfadeEngine(inner(), { fadeMs: 0 });
  slot.prepare({ sampleRate: 48000, maxBlockFrames: 64 });
  const x = [new Float32Array(64).fill(0.1)];
  const y = [new Float32Array(64)];
  const swap = makeEvent();
  swap.kind = EventKind.Swap;
  for (let id = 0; id < swaps; id++) {
    const e = inner();
    e.prepare({ sampleRate: 48000, maxBlockFrames: 64 });
    slot.stage(id, e);
    swap.value = id;
    slot.process(x, y, 64, [swap], 1);
    slot.process(x, y, 64, [], 0);
  }
  swap.value = 99; // never staged: a missed swap
  slot.process(x, y, 64, [swap], 1);
  return slot;
}

const ahead = { stats: { blocks: 7, lateBlocks: 1, inputGaps: 2, unfilledGaps: 0, repeatedFrames: 3 } } as unknown as RenderAhead;

function published(slot: CrossfadeEngine) {
  const buffers = createStatusSlot();
  const snapshot = statusPublisher(new StatusSlotWriter(buffers), slot, ahead, undefined);
  snapshot();
  const reader = new StatusSlotReader<HostWorkerStatusJson>(buffers);
  return { snapshot, reader, decoded: decodeWorkerStatus(reader.read(), reader.readNumbers()) };
}

describe('the render worker status of a crossfade-wrapped effect', () => {
  it('reads back as getStatus()/getStats() through JSON would: no status, the switch counters', () => {
    const slot = switchedSlot(3);
    const { reader, decoded } = published(slot);

    expect(reader.read()?.statsShape).not.toBeNull(); // numbers, not JSON at each snapshot
    expect(decoded?.status).toBeNull();
    expect(decoded?.stats).toEqual(JSON.parse(JSON.stringify(slot.getStats())));
    expect(decoded?.stats).toEqual({ engineSwitch: { swaps: 3, missedSwaps: 1, overlappedSwaps: 0, droppedEvents: 0 } });
    expect(decoded?.render).toEqual({ ...ahead.stats, tapDropped: 0 });
  });

  it('keeps the JSON path for an engine with a status of its own (its status would be lost in numbers)', () => {
    class WithStats extends ToyFilter {
      getStats() {
        return { ownCount: 5 };
      }
    }
    const slot = switchedSlot(1, () => new WithStats());
    const { reader, decoded } = published(slot);

    expect(reader.read()?.statsShape).toBeNull();
    expect(decoded?.stats).toEqual({ ownCount: 5, engineSwitch: { swaps: 1, missedSwaps: 1, overlappedSwaps: 0, droppedEvents: 0 } });
  });

  it.skipIf(allocationUnmeasurable)('publishes a snapshot without allocating (it was JSON.stringify each time: 640 B a snapshot here, 11.8 KB per 4 s on the render thread)', async () => {
    const { snapshot } = published(switchedSlot(2));

    const m = await measureAllocation(snapshot, { calls: 1000, repeats: 3, warmupCalls: 2000, spaces: 'young' });

    // The JSON path allocated 640 B a call: 640 KB over the window (measured before the fix).
    expect(m.bytes, `${m.bytes} B over ${m.calls} snapshots${m.gcDuringMeasurement ? ' (a GC ran)' : ''}`).toBeLessThanOrEqual(1024);
    expect(m.gcDuringMeasurement).toBe(false);
  });
});
