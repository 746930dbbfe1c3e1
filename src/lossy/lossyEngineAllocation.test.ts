import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import { EventKind, makeEvent } from '../engine/events.ts';
import { LossyEngine } from './lossyEngine.ts';
import { LOSSY_PARAM_NAMES, LOSSY_PARAM_RANGES, type LossyParamsInput } from './lossyParams.ts';

/**
 * LossyEngine.process() allocates nothing while its parameters change: every other block of 64 frames
 * carries a Param event, the parameters in turn (each of LOSSY_PARAM_NAMES), at a varying offset and a
 * value that is never a small integer (a double V8 would box) — as the live rig's load drives it
 * (src/host/workerAllocation.ts). Bound: the project's allocation probe (≤ ALLOCATION_TOLERANCE_BYTES
 * over the window and no GC in it), on the engine's defaults (codec and limiter: the live configuration)
 * and with every stage on. A file of its own: V8's compiled code is per thread (see
 * crossfadeEngineAllocation.test.ts). Before the fix: ~700 bytes a block on the defaults (the limiter's
 * and the output gain's dB → gain conversions called per range, not inlined into process(), boxing
 * their arguments and results).
 */
const FS = 48000;
const BLOCK = 64;
const CONFIGS: Record<string, LossyParamsInput> = {
  'defaults (codec and limiter)': {},
  'every stage on': {
    filters: { enabled: true, bands: [{ type: 'highpass', frequencyHz: 300 }, { type: 'peaking', frequencyHz: 2000, gainDb: 6, q: 2 }] },
    bitcrush: { enabled: true, bitDepth: 12, holdRateHz: 22050 },
    packetLoss: { enabled: true, lossPercent: 10, burstiness: 0.5, packetMs: 5 },
    gate: { enabled: true, thresholdDb: -40 },
    limiter: { ceilingDb: -6 },
  },
};

function parameterChanges(engine: LossyEngine): () => void {
  const x = [new Float32Array(BLOCK).map((_, i) => 0.5 * Math.sin(i * 0.3)), new Float32Array(BLOCK).map((_, i) => 0.5 * Math.cos(i * 0.21))];
  const y = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  const event = makeEvent();
  event.kind = EventKind.Param;
  const events = [event];
  const lowest = Float64Array.from(LOSSY_PARAM_RANGES, (r) => r[0]);
  const span = Float64Array.from(LOSSY_PARAM_RANGES, (r) => r[1] - r[0]);
  const n = new Int32Array(1);
  return () => {
    const b = n[0]++;
    if ((b & 1) === 0) {
      const p = (b >> 1) % LOSSY_PARAM_NAMES.length;
      event.paramIndex = p;
      event.value = lowest[p] + (0.25 + 0.5 * ((b * 0.6180339887) % 1)) * span[p];
      event.offsetFrames = (b * 7) % BLOCK;
      engine.process(x, y, BLOCK, events, 1);
    } else engine.process(x, y, BLOCK, events, 0);
  };
}

describe.skipIf(allocationUnmeasurable)('LossyEngine allocation under parameter changes', () => {
  for (const [label, params] of Object.entries(CONFIGS)) {
    it(`allocates nothing in process() while each parameter changes in turn: ${label}`, async () => {
      const engine = new LossyEngine(params);
      engine.prepare({ sampleRate: FS, maxBlockFrames: BLOCK });
      const step = parameterChanges(engine);
      // Up to three measurements, each warmed longer (checks.ts does the same): V8's background compiler
      // may deliver late on a loaded machine; an allocation on the event path reads in every attempt.
      const readings: string[] = [];
      let m = await measureAllocation(step, { calls: 2000, warmupCalls: 4000, repeats: 3, settleMs: 50 });
      for (let a = 1; a < 3 && !isAllocationFree(m); a++) {
        readings.push(`${m.bytes} B${m.gcDuringMeasurement ? ' (a GC ran)' : ''}`);
        m = await measureAllocation(step, { calls: 2000, warmupCalls: 4000 * 4 ** a, repeats: 3, settleMs: 150 * a });
      }
      expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} blocks (${(m.bytes / m.calls).toFixed(1)} B/block)${m.gcDuringMeasurement ? ', a GC ran' : ''}; earlier attempts ${readings.join(', ') || 'none'}`).toBe(true);
    }, 60_000);
  }
});
