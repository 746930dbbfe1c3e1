import { describe, expect, it } from 'vitest';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import type { RigPeriod } from './audioRig.ts';
import { PeriodTap } from './periodTap.ts';

const P = 64;

function period(inputs: number, outputs: number, frameIndex: number): RigPeriod {
  const ch = (k: number) => Float32Array.from({ length: P }, (_, j) => frameIndex + k * 1000 + j);
  return {
    inputs: Array.from({ length: inputs }, (_, k) => ch(k)), outputs: Array.from({ length: outputs }, (_, k) => ch(100 + k)),
    frames: P, frameIndex, outputFrameIndex: frameIndex + 2 * P, hostTimeMs: frameIndex / 48, flags: frameIndex === P ? 4 : 0,
  };
}

describe('period tap (a worker host\'s periods to the control thread)', () => {
  it('hands every pushed period over with its samples, frames, host time and flags, and counts what it had to drop', () => {
    const tap = PeriodTap.create(2, 3, P, 4);
    for (let f = 0; f < 6 * P; f += P) tap.push(period(2, 3, f));
    const seen: { frame: number; out: number; host: number; in1: number; out2: number; flags: number }[] = [];
    tap.drain((p) => seen.push({ frame: p.frameIndex, out: p.outputFrameIndex, host: p.hostTimeMs, in1: p.inputs[1][P - 1], out2: p.outputs[2][0], flags: p.flags }));
    expect(seen.map((s) => s.frame)).toEqual([0, P, 2 * P, 3 * P]);
    expect(seen[1]).toEqual({ frame: P, out: 3 * P, host: P / 48, in1: P + 1000 + P - 1, out2: P + 102_000, flags: 4 });
    expect(tap.dropped).toBe(2);
  });

  // Each period's 64 channels once went in through a subarray() view apiece: ~9 KB a period on the render
  // worker at 64 frames (6.8 MB/s), a scavenge every ~2.3 s on the real-time thread in every HIL run.
  it('pushes a period of 32 inputs and 32 outputs without allocating', async () => {
    const tap = PeriodTap.create(32, 32, P, 16);
    const p = period(32, 32, 0);
    const step = () => {
      tap.push(p);
      tap.audio.pop(scratch);
      tap.meta.pop(meta);
    };
    const scratch = new Float32Array(64 * P);
    const meta = new Float64Array(4);
    let m = await measureAllocation(step);
    for (let i = 0; i < 2 && m.gcDuringMeasurement; i++) m = await measureAllocation(step);
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} periods`).toBe(true);
    expect(tap.dropped).toBe(0);
  });
});
