import { type AllocationMeasurement, type AllocationSpaces, finishBackgroundCompiles, measureAllocation } from './allocationProbe.ts';
import type { Engine } from './engine.ts';
import { EventKind, makeEvent } from './events.ts';

export interface RareEventOptions {
  blockFrames?: number;
  /** One Param event every this many blocks (at a varying offset in its block). */
  everyBlocks?: number;
  /** Blocks per measured window. */
  windowBlocks?: number;
  /** Windows measured after the first one (the smallest is reported as `later`). */
  laterWindows?: number;
  /**
   * Pause after prepare() before the first block (no engine code runs), as a host has between preparing
   * an engine and its first period; then the measurement waits until V8's background compiler has
   * delivered every optimisation the warm-up queued (finishBackgroundCompiles): at idle that is within
   * the pause, on a loaded machine it was not (CI, two cores: the rest path's process() still compiling,
   * 212–248 KB in the first 4000 blocks, 0 B later).
   */
  settleMs?: number;
  /**
   * 'young' (default): what the engine allocates where a scavenge is triggered; 'heap' also counts the
   * code V8 installs while it optimises (see AllocationSpaces).
   */
  spaces?: AllocationSpaces;
}

export interface RareEventAllocation {
  /** The first `windowBlocks` blocks after prepare() (the first events of the engine's life). */
  first: AllocationMeasurement;
  /** The smallest of `laterWindows` windows after it. */
  later: AllocationMeasurement;
  eventsPerWindow: number;
}

/**
 * What rare Param events of parameter `paramIndex` cost an engine's process() on the JS heap, as a
 * live client sends them: a fresh engine (`makeEngine`), prepare() at 48 kHz, then one event every
 * `everyBlocks` blocks from the first block on, alternating between the two `values`, nothing else
 * warmed — measured with the project's allocation probe (full GC, heap delta, a no-op subtracted).
 * The driver itself moves only integers and prebuilt event lists, so it allocates nothing in any
 * tier. V8 shares compiled code between instances, so only the first engine of an isolate measures a
 * cold start: run this once per process or worker thread (scripts/fdnEventAllocation.ts,
 * scripts/lossyEventAllocation.ts, src/reverb/fdnRareEvents.test.ts).
 */
export async function measureRareEventAllocation(
  makeEngine: () => Engine, paramIndex: number, values: readonly [number, number], options: RareEventOptions = {},
): Promise<RareEventAllocation> {
  const { blockFrames = 64, everyBlocks = 200, windowBlocks = 2000, laterWindows = 2, settleMs = 50, spaces = 'young' } = options;
  const engine = makeEngine();
  engine.prepare({ sampleRate: 48000, maxBlockFrames: blockFrames });
  const inputs = [new Float32Array(blockFrames).map((_, i) => 0.3 * Math.sin(i)), new Float32Array(blockFrames).map((_, i) => 0.3 * Math.cos(i))];
  const outputs = [new Float32Array(blockFrames), new Float32Array(blockFrames)];
  const lists = values.map((value) => {
    const event = makeEvent();
    event.kind = EventKind.Param;
    event.paramIndex = paramIndex;
    event.value = value;
    return [event];
  });
  // [offset of the next event, blocks since the last one, which value]
  const counters = new Int32Array(3);
  const step = (): void => {
    const events = lists[counters[2]];
    events[0].offsetFrames = counters[0];
    engine.process(inputs, outputs, blockFrames, events, counters[1] === 0 ? 1 : 0);
    counters[0] = (counters[0] + 7) % blockFrames;
    counters[1]++;
    if (counters[1] === everyBlocks) {
      counters[1] = 0;
      counters[2] ^= 1;
    }
  };
  if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
  finishBackgroundCompiles();
  // A dry window first, of a function that does nothing: the probe's own first window costs ~150 bytes
  // (measured; its loop is compiled on the way), the engine's does not.
  await measureAllocation(() => {}, { calls: windowBlocks, warmupCalls: 0, repeats: 1, settleMs: 0, spaces });
  const first = await measureAllocation(step, { calls: windowBlocks, warmupCalls: 0, repeats: 1, settleMs: 0, spaces });
  const later = await measureAllocation(step, { calls: windowBlocks, warmupCalls: 0, repeats: laterWindows, settleMs: 0, spaces });
  return { first, later, eventsPerWindow: Math.ceil(windowBlocks / everyBlocks) };
}

/** One line for the measurement scripts: both windows, in bytes and bytes per event. */
export function describeRareEvents(label: string, spaces: AllocationSpaces, m: RareEventAllocation): string {
  const window = (w: AllocationMeasurement) => `${w.bytes} bytes (${(w.bytes / m.eventsPerWindow).toFixed(0)} B/event${w.gcDuringMeasurement ? ', a GC ran' : ''})`;
  return `${label} (${spaces}): first ${m.first.calls} blocks after prepare() ${window(m.first)}, later ${window(m.later)}, ${m.eventsPerWindow} events per window`;
}
