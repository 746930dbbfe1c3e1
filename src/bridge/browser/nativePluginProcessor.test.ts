import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../analysis/signal/seededNoise.ts';
import { SpscRing } from '../../dsp/spscRing.ts';
import { ALLOCATION_TOLERANCE_BYTES, allocationUnmeasurable, measureAllocation } from '../../engine/allocationProbe.ts';
import { loadProcessor } from '../../browser/worklet/workletScopeStub.ts';
import { LATENCY_SLOTS, NativeCounter, type ProcessorOptions, QUANTUM_FRAMES, RING_QUANTA } from './nativePluginShared.ts';

/**
 * NativePluginNode's processor in Node, the AudioWorklet scope stubbed (as faustwasm tests its
 * processor): a simulated worker answers each quantum after a seeded number of quanta (or never), and
 * the processor must play exactly the replies back within the declared latency, each at its quantum,
 * silence otherwise, count every quantum, and count what any other declared latency would have played
 * as silence.
 */
type ProcessorClass = new (o: { processorOptions: ProcessorOptions }) => { process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean };

/** The module registers its class once, when first imported (workletScopeStub.ts stubs the scope for that import). */
const loadNativeProcessor = async () => (await loadProcessor('studio-rig-native-plugin', () => import('./nativePluginProcessor.ts'))) as unknown as ProcessorClass;

const SEED = Number(process.env.NATIVE_PROCESSOR_SEED ?? 0x11ed);
const QUANTA = 3000;
const CHANNELS = 2;
/** A reply's arrival, in quanta after its own quantum (Infinity: never answered). */
function arrivalPlan(seed: number): number[] {
  const uniform = mulberry32(seed);
  return Array.from({ length: QUANTA }, () => {
    const u = uniform();
    if (u < 0.02) return Number.POSITIVE_INFINITY;
    if (u < 0.1) return 5 + Math.floor(uniform() * 30);
    return 1 + Math.floor(uniform() * 4);
  });
}

/** The processed signal the simulated bridge returns for quantum s: a ramp that names s. */
const replySample = (s: number, c: number, i: number) => s + c / 4 + i / 1024;

/** The shared memory NativePluginNode.create would allocate, for a stereo engine. */
function processorOptions(latencyQuanta: number): ProcessorOptions {
  return {
    inRing: SpscRing.create(RING_QUANTA, 1 + CHANNELS * QUANTUM_FRAMES, 'float32').buffer,
    outRing: SpscRing.create(RING_QUANTA, 1 + CHANNELS * QUANTUM_FRAMES, 'float32').buffer,
    counters: new SharedArrayBuffer(4 * NativeCounter.SLOTS),
    silentByLatency: new SharedArrayBuffer(4 * LATENCY_SLOTS),
    inputChannels: CHANNELS, outputChannels: CHANNELS, latencyQuanta,
  };
}

async function run(latencyQuanta: number, plan: number[]) {
  const Cls = await loadNativeProcessor();
  const o = processorOptions(latencyQuanta);
  const processor = new Cls({ processorOptions: o });
  const toWorker = new SpscRing(o.inRing);
  const toProcessor = new SpscRing(o.outRing);
  const record = new Float32Array(1 + CHANNELS * QUANTUM_FRAMES);
  const due = new Map<number, number[]>();
  const input = [new Float32Array(QUANTUM_FRAMES), new Float32Array(QUANTUM_FRAMES)];
  const output = [new Float32Array(QUANTUM_FRAMES), new Float32Array(QUANTUM_FRAMES)];
  const played: (number | null)[] = [];
  /** The quantum before whose process() each reply was put in the ring (undefined: never). */
  const arrivedAt: (number | undefined)[] = [];
  let lastDue = 0;
  for (let k = 0; k < QUANTA; k++) {
    // The worker, between quanta: replies due by now, in sequence order (one WebSocket keeps it).
    for (const s of due.get(k) ?? []) {
      record[0] = s;
      for (let c = 0; c < CHANNELS; c++) for (let i = 0; i < QUANTUM_FRAMES; i++) record[1 + c * QUANTUM_FRAMES + i] = replySample(s, c, i);
      toProcessor.push(record);
      arrivedAt[s] = k;
    }
    due.delete(k);
    processor.process([input], [output]);
    while (toWorker.pop(record)) {
      const s = record[0];
      if (!Number.isFinite(plan[s])) continue;
      // One connection: a reply never overtakes an earlier one.
      lastDue = Math.max(lastDue, s + plan[s]);
      due.set(lastDue, [...(due.get(lastDue) ?? []), s]);
    }
    // What played: silence, or one reply's samples, whole (anything else is recorded as NaN).
    const s = k - latencyQuanta;
    if (output.every((ch) => ch.every((x) => x === 0))) played.push(null);
    else {
      let whole = true;
      for (let c = 0; c < CHANNELS; c++) for (let i = 0; i < QUANTUM_FRAMES; i++) whole &&= output[c][i] === Math.fround(replySample(s, c, i));
      played.push(whole ? s : Number.NaN);
    }
  }
  const counters = new Int32Array(o.counters);
  const count = (k: keyof typeof NativeCounter) => counters[NativeCounter[k]];
  return { played, arrivedAt, silentByLatency: Array.from(new Int32Array(o.silentByLatency)), count };
}

describe('NativePluginNode processor (AudioWorklet scope stubbed)', () => {
  it.each([4, 6])('at %i quanta of latency plays exactly the replies back in time, each at its own quantum, silence otherwise', async (latencyQuanta) => {
    const plan = arrivalPlan(SEED);
    const r = await run(latencyQuanta, plan);
    for (let k = latencyQuanta; k < QUANTA; k++) {
      const s = k - latencyQuanta;
      const arrived = r.arrivedAt[s];
      expect(r.played[k], `quantum ${k} (seed ${SEED})`).toBe(arrived !== undefined && arrived - s <= latencyQuanta ? s : null);
    }
    expect(r.count('missing')).toBeGreaterThan(0);
    expect(r.count('lateDiscarded')).toBeGreaterThan(0);
    expect(r.count('quanta')).toBe(QUANTA);
    expect(r.count('sent')).toBe(QUANTA);
    expect(r.count('played') + r.count('missing')).toBe(QUANTA - latencyQuanta);
    expect(r.count('played')).toBe(r.played.filter((x) => x !== null).length);
  });

  it('counts, at every other declared latency, exactly the quanta a stream at that latency plays as silence', async () => {
    const plan = arrivalPlan(SEED);
    const r = await run(4, plan);
    expect(r.silentByLatency[4]).toBe(r.count('missing'));
    for (const n of [1, 2, 3, 5, 8, 16, 32, LATENCY_SLOTS - 1]) {
      expect(r.silentByLatency[n], `latency ${n} (seed ${SEED})`).toBe((await run(n, plan)).count('missing'));
    }
    // Fewer silent quanta the longer the latency, and some at every one: the plan has replies that never come.
    for (let n = 2; n < LATENCY_SLOTS; n++) expect(r.silentByLatency[n]).toBeLessThanOrEqual(r.silentByLatency[n - 1]);
    expect(r.silentByLatency[LATENCY_SLOTS - 1]).toBeGreaterThan(0);
  });
});

describe.skipIf(allocationUnmeasurable)('NativePluginNode processor allocation', () => {
  it('allocates nothing in process(): sending, taking replies, holding and playing them', async () => {
    const Cls = await loadNativeProcessor();
    const o = processorOptions(4);
    const processor = new Cls({ processorOptions: o });
    const toWorker = new SpscRing(o.inRing);
    const toProcessor = new SpscRing(o.outRing);
    const record = new Float32Array(1 + CHANNELS * QUANTUM_FRAMES);
    const inputs = [[Float32Array.from({ length: QUANTUM_FRAMES }, (_, i) => i / QUANTUM_FRAMES), new Float32Array(QUANTUM_FRAMES)]];
    const outputs = [[new Float32Array(QUANTUM_FRAMES), new Float32Array(QUANTUM_FRAMES)]];
    // The worker echoes each quantum back before the next one: every reply arrives, one quantum later.
    const m = await measureAllocation(() => {
      processor.process(inputs, outputs);
      while (toWorker.pop(record)) toProcessor.push(record);
    }, { calls: 2000, settleMs: 20 });
    expect(new Int32Array(o.counters)[NativeCounter.played]).toBeGreaterThan(0);
    expect(m.bytes, `${m.bytes} bytes over ${m.calls} quanta`).toBeLessThanOrEqual(ALLOCATION_TOLERANCE_BYTES);
  });
});
