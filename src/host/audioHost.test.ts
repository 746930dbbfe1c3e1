import { describe, expect, it } from 'vitest';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import { EventKind } from '../engine/events.ts';
import type { RigPeriod } from './audioRig.ts';
import { Applied, AudioHost, Cmd, TimeKind } from './audioHost.ts';
import { ClickEngine } from './clickEngine.ts';

function period(frameIndex: number, outputs: Float32Array[]): RigPeriod {
  return { inputs: [], outputs, frames: 128, frameIndex, outputFrameIndex: frameIndex + 128, hostTimeMs: frameIndex / 48, flags: 0 };
}

describe('audio host (the audio side of the rig server)', () => {
  it('places timestamped commands at their sample, in order, whatever order they arrive in', () => {
    const host = new AudioHost({ engine: new ClickEngine(4), sampleRate: 48000, periodFrames: 128 });
    const outs = Array.from({ length: 4 }, () => new Float32Array(128));
    const rec = new Float64Array(Cmd.SLOTS);
    for (const [frame, note] of [[300, 2], [260, 1], [130, 3]]) {
      rec.set([EventKind.NoteOn, 0, note, 127, 0, TimeKind.Frame, frame, note]);
      host.commands.push(rec);
    }
    const seen: number[][] = [];
    for (let b = 0; b < 3; b++) {
      host.processPeriod(period(b * 128, outs));
      outs.forEach((o, k) => o.forEach((v, j) => v !== 0 && seen.push([k, b * 128 + j])));
    }
    expect(seen).toEqual([[3, 130], [1, 260], [2, 300]]);
    const a = new Float64Array(Applied.SLOTS);
    const applied: number[] = [];
    while (host.applied.pop(a)) applied.push(a[Applied.appliedFrame]);
    expect(applied).toEqual([130, 260, 300]);
  });

  it.each([
    [0, 0],
    [1, 32],
  ])('with load timing every %s block(s), allocates at most %s bytes per period (the timer) while commands flow', async (every, bytesPerPeriod) => {
    const host = new AudioHost({ engine: new ClickEngine(32), sampleRate: 48000, periodFrames: 128, loadEveryBlocks: every });
    const outs = Array.from({ length: 32 }, () => new Float32Array(128));
    const rec = new Float64Array(Cmd.SLOTS);
    const a = new Float64Array(Applied.SLOTS);
    const p = { ...period(0, outs) };
    let frame = 0;
    const step = () => {
      rec[Cmd.kind] = EventKind.NoteOn; rec[Cmd.note] = frame & 31; rec[Cmd.value] = 100;
      rec[Cmd.timeKind] = TimeKind.Frame; rec[Cmd.time] = frame + 17;
      host.commands.push(rec);
      p.frameIndex = frame;
      host.processPeriod(p);
      while (host.applied.pop(a));
      frame += 128;
    };
    // A collection can land in a window on this loaded 2-core machine without our allocating; three tries.
    let m = await measureAllocation(step);
    for (let i = 0; i < 2 && m.gcDuringMeasurement; i++) m = await measureAllocation(step);
    if (every === 0) expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} periods`).toBe(true);
    else expect(m.bytes / m.calls).toBeLessThanOrEqual(bytesPerPeriod);
    expect(host.blocks).toBeGreaterThan(1000);
  });
});
