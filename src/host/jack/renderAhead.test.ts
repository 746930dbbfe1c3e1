import { describe, expect, it } from 'vitest';
import { isAllocationFree, measureAllocation } from '../../engine/allocationProbe.ts';
import { RigFlag, type RigPeriod } from '../audioRig.ts';
import { JsCycleSource } from './jsCycleSource.ts';
import { Ctl, PeriodRings } from './periodRings.ts';
import { RenderAhead } from './renderAhead.ts';

const P = 64;
const layout = { inputs: 2, outputs: 2, periodFrames: P, ringPeriods: 16, underrunCapacity: 64 };

/** Output k, sample j of the block rendered for input frame f: (f + j + 1)·(k + 1) — says which block played, never 0. */
const stamp = (p: RigPeriod) => {
  for (let k = 0; k < p.outputs.length; k++) for (let j = 0; j < p.frames; j++) p.outputs[k][j] = (p.frameIndex + j + 1) * (k + 1);
};

function setup(fillPeriods: number) {
  const rings = PeriodRings.create(layout);
  const device = new JsCycleSource(rings, 48000);
  const ahead = new RenderAhead(rings, fillPeriods, (us) => us / 1000);
  ahead.prime();
  const inputs = [new Float32Array(P), new Float32Array(P)];
  const outputs = [new Float32Array(P), new Float32Array(P)];
  return { rings, device, ahead, inputs, outputs };
}

describe('RenderAhead on the callback protocol (JsCycleSource = jackClient.c in JavaScript)', () => {
  it.each([1, 2, 3])('plays the block rendered for input frame f at output frame f + %i periods', (fill) => {
    const { device, ahead, inputs, outputs } = setup(fill);
    expect(ahead.streamBufferingFrames).toBe(fill * P);
    for (let n = 0; n < 20; n++) {
      const frame = device.nextFrame;
      expect(device.cycle(inputs, outputs, n * 1333)).toBe(true);
      const source = frame - fill * P;
      // The primed silent blocks first, then each block exactly fill periods after its input.
      expect(outputs[1][5]).toBe(source < 0 ? 0 : (source + 6) * 2);
      expect(ahead.pump(stamp)).toBe(1);
    }
    expect(device.rings.count(Ctl.UNDERRUNS)).toBe(0);
    expect(ahead.stats).toEqual({ blocks: 20, lateBlocks: 0, inputGaps: 0, unfilledGaps: 0, repeatedFrames: 0 });
  });

  it('gives each period its inputs, the cycle time as host time and the callback flags', () => {
    const { device, ahead, inputs, outputs } = setup(1);
    const seen: { frame: number; host: number; in0: number; flags: number }[] = [];
    for (let n = 0; n < 4; n++) {
      inputs[0].fill(n + 0.5);
      device.cycle(inputs, outputs, 10_000 + n * 1000);
      if (n !== 1) ahead.pump((p) => seen.push({ frame: p.frameIndex, host: p.hostTimeMs, in0: p.inputs[0][P - 1], flags: p.flags }));
    }
    // Cycle 2 found no block (the renderer skipped a pump): the next period says so.
    expect(seen).toEqual([
      { frame: 0, host: 10, in0: 0.5, flags: 0 },
      { frame: P, host: 11, in0: 1.5, flags: 0 },
      { frame: 2 * P, host: 12, in0: 2.5, flags: RigFlag.OutputUnderflow },
      { frame: 3 * P, host: 13, in0: 3.5, flags: 0 },
    ]);
  });

  it('a stalled renderer costs counted, recorded underruns of silence, then the same latency as before', () => {
    const { rings, device, ahead, inputs, outputs } = setup(2);
    const played: number[] = [];
    const run = (cycles: number, render: boolean) => {
      for (let n = 0; n < cycles; n++) {
        device.cycle(inputs, outputs, 0);
        played.push(outputs[0][0]);
        if (render) ahead.pump(stamp);
      }
    };
    run(10, true);
    run(8, false); // the stall: 8 cycles without rendering
    run(10, true);
    // Cycles 10, 11 still had their blocks (fill 2); 12…17 and the catch-up cycle 18 had none.
    const silent = played.map((v, n) => (v === 0 && n >= 2 ? n : -1)).filter((n) => n >= 0);
    expect(silent).toEqual([12, 13, 14, 15, 16, 17, 18]);
    expect(rings.count(Ctl.UNDERRUNS)).toBe(7);
    expect(rings.underrunFramesSince(0).frames).toEqual(silent.map((n) => n * P));
    // After the catch-up every block again plays exactly fill periods after its input.
    for (let n = 19; n < 28; n++) expect(played[n]).toBe((n - 2) * P + 1);
    expect(ahead.stats.lateBlocks).toBe(7);
    expect(rings.count(Ctl.STALE_BLOCKS)).toBe(0);
  });

  it('a cycle the server skipped costs no underrun: the missing period is rendered on silent inputs', () => {
    const { rings, device, ahead, inputs, outputs } = setup(2);
    const frames: number[] = [];
    const played: number[] = [];
    const run = (cycles: number) => {
      for (let n = 0; n < cycles; n++) {
        const frame = device.nextFrame;
        device.cycle(inputs, outputs, 0);
        played.push(outputs[0][0] - 1 - frame);
        ahead.pump((p) => { stamp(p); frames.push(p.frameIndex); });
      }
    };
    run(6);
    device.skip(1);
    run(6);
    expect(rings.count(Ctl.UNDERRUNS)).toBe(0);
    // Every block played exactly fill periods after the input frame it was rendered for.
    expect(played.slice(2)).toEqual(played.slice(2).map(() => -2 * P));
    expect(frames).toEqual(Array.from({ length: 13 }, (_, i) => i * P));
    expect(ahead.stats.inputGaps).toBe(1);
    // The jump is recorded where it happened, as jackClient.c records it: one period skipped after frame 5·P.
    expect(rings.jumpsSince(0)).toEqual({ jumps: [{ expectedFrame: 6 * P, stepFrames: 2 * P }], next: 1 });
    expect(rings.count(Ctl.FRAME_JUMPS)).toBe(1);
  });

  it.each([44100, 96000])('places the periods of a gap in host time at the stream\'s own rate (%i Hz)', (rate) => {
    const rings = PeriodRings.create(layout);
    const device = new JsCycleSource(rings, rate);
    const ahead = new RenderAhead(rings, 2, (us) => us / 1000);
    ahead.prime();
    const periodUs = (P * 1e6) / rate;
    const io = [new Float32Array(P), new Float32Array(P)];
    const hostMs = new Map<number, number>();
    const cycle = () => {
      device.cycle(io, io, (device.nextFrame / P) * periodUs);
      ahead.pump((p) => { hostMs.set(p.frameIndex, p.hostTimeMs); });
    };
    for (let n = 0; n < 4; n++) cycle();
    device.skip(2);
    cycle();
    // Frames 4·P and 5·P were skipped: rendered on silence, one and two periods before the cycle of 6·P.
    expect(ahead.stats.inputGaps).toBe(1);
    for (const f of [4, 5, 6]) expect(hostMs.get(f * P)).toBeCloseTo((f * periodUs) / 1000, 9);
  });

  it('a frame run twice is rendered once: the engine stays on the stream clock after it', () => {
    const { rings, device, ahead, inputs, outputs } = setup(2);
    // The engine counts its blocks: block i outputs i + 1 (0 is the primed silence). On the stream clock,
    // the cycle of frame f plays block f/P − 2.
    let blocks = 0;
    const counting = (p: RigPeriod) => { blocks++; for (const o of p.outputs) o.fill(blocks); };
    const played: { frame: number; block: number }[] = [];
    const cycle = () => {
      const frame = device.nextFrame;
      device.cycle(inputs, outputs, 0);
      played.push({ frame, block: outputs[0][0] - 1 });
      ahead.pump(counting);
    };
    for (let n = 0; n < 6; n++) cycle();
    // A late client reads the next cycle's frame (a jump of 2 periods), then the same frame again (0).
    device.skip(1);
    cycle();
    device.skip(-1);
    cycle();
    for (let n = 0; n < 8; n++) cycle();
    expect(rings.jumpsSince(0).jumps.map((j) => j.stepFrames)).toEqual([2 * P, 0]);
    expect(ahead.stats).toMatchObject({ repeatedFrames: 1, inputGaps: 1, unfilledGaps: 0 });
    // After the two disturbed cycles, every cycle plays the block of its own frame again.
    const after = played.slice(-6);
    expect(after.map((x) => x.block)).toEqual(after.map((x) => x.frame / P - 2));
  });

  it('loses input periods (counted) when the renderer falls behind by more than the ring, and says where', () => {
    const { rings, device, ahead, inputs, outputs } = setup(1);
    for (let n = 0; n < layout.ringPeriods + 3; n++) device.cycle(inputs, outputs, 0);
    expect(rings.count(Ctl.INPUT_OVERFLOWS)).toBe(3);
    let flags = 0;
    ahead.pump(() => {});
    device.cycle(inputs, outputs, 0);
    ahead.pump((p) => { flags = p.flags; });
    expect(ahead.stats.inputGaps).toBe(1);
    expect(flags & RigFlag.InputOverflow).toBe(RigFlag.InputOverflow);
  });

  // The render worker's own path allocated ~9.4 KB a period at 32 + 32 channels (a subarray view per
  // channel and direction in readInput/writeOutput): 7 MB/s at 64 frames, a scavenge every 2.35 s on the
  // real-time thread (measured with --trace-gc on the jack-native rig). The callback side is included.
  it('moves a period of 32 inputs and 32 outputs through the rings without allocating', async () => {
    const wide = { inputs: 32, outputs: 32, periodFrames: P, ringPeriods: 8, underrunCapacity: 64 };
    const rings = PeriodRings.create(wide);
    const device = new JsCycleSource(rings, 48000);
    const ahead = new RenderAhead(rings, 2, (us) => us / 1000);
    ahead.prime();
    const inputs = Array.from({ length: 32 }, (_, k) => new Float32Array(P).fill(k / 32));
    const outputs = Array.from({ length: 32 }, () => new Float32Array(P));
    let n = 0;
    const play = (p: RigPeriod) => { for (let k = 0; k < p.outputs.length; k++) p.outputs[k][0] = p.inputs[k][0]; };
    const step = () => {
      device.cycle(inputs, outputs, (n++ & 0xffff) * 1000);
      ahead.pump(play);
    };
    let m = await measureAllocation(step);
    for (let i = 0; i < 2 && m.gcDuringMeasurement; i++) m = await measureAllocation(step);
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} periods`).toBe(true);
    expect(rings.count(Ctl.UNDERRUNS)).toBe(0);
    expect(outputs[31][0]).toBe(31 / 32);
  });
});
