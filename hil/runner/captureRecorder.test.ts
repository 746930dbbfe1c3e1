import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FloatWavWriter } from '../../src/io/floatWavStream.ts';
import { readWav } from '../../src/io/wavFile.ts';
import { type AudioRig, type RigCallback, type RigPeriod, makeRigStats } from '../../src/host/audioRig.ts';
import { CaptureRecorder } from './captureRecorder.ts';
import { measureAllocation } from '../../src/engine/allocationProbe.ts';

const FS = 48_000;
const P = 128;
const PERIOD_MS = (P * 1000) / FS;

/** A rig whose callback the test drives: each period is delivered at a host time the test chooses. */
function scriptedRig(): { rig: AudioRig; deliver: (frameIndex: number, hostTimeMs: number) => void } {
  let cb: RigCallback | undefined;
  const inputs = [new Float32Array(P)];
  const outputs = [new Float32Array(P)];
  const rig: AudioRig = {
    name: 'scripted', kind: 'virtual', clock: 'realtime', sampleRate: FS, periodFrames: P, inputChannels: 1, outputChannels: 1,
    streamBufferingFrames: P, channelMap: [0], stats: makeRigStats(),
    start: async (c) => { cb = c; },
    stop: async () => {},
    advance: () => {},
  };
  const deliver = (frameIndex: number, hostTimeMs: number) => {
    const p: RigPeriod = { inputs, outputs, frames: P, frameIndex, outputFrameIndex: frameIndex + P, hostTimeMs, flags: 0 };
    cb?.(p);
  };
  return { rig, deliver };
}

/**
 * A stream whose clock stalls once by `stallMs` at period `stallAt` (a JACK dummy driver waiting in
 * sync mode), delivered to JavaScript with occasional lateness (a busy event loop, then a burst).
 */
function run(stallAt: number, stallMs: number, periods: number) {
  const { rig, deliver } = scriptedRig();
  const recorder = new CaptureRecorder(rig, periods * P);
  void recorder.wrap().start(() => {});
  const trueOffsetMs = (k: number) => 10 + (k >= stallAt ? stallMs : 0);
  for (let k = 0; k < periods; k++) {
    // Every 50th period JavaScript is 3 periods late; the two after it follow in a burst.
    const lateMs = k % 50 === 0 ? 3 * PERIOD_MS : k % 50 === 1 ? 2 * PERIOD_MS : k % 50 === 2 ? PERIOD_MS : 0.05;
    deliver(k * P, trueOffsetMs(k) + k * PERIOD_MS + lateMs);
  }
  return { recorder, trueOffsetMs };
}

describe('CaptureRecorder: the host time of the period at a frame', () => {
  it('gives each recorded period\'s own host time, across a jump of the stream, and null where no period was', () => {
    const { rig, deliver } = scriptedRig();
    const recorder = new CaptureRecorder(rig, 16 * P);
    void recorder.wrap().start(() => {});
    // Periods 0–4, then a jump of two periods (the server ran cycles without this client), then 7–9.
    for (const k of [0, 1, 2, 3, 4, 7, 8, 9]) deliver(k * P, 100 + k * PERIOD_MS + (k === 7 ? 0.4 : 0));
    expect(recorder.hostMsAtFrame(3 * P)).toBe(100 + 3 * PERIOD_MS);
    expect(recorder.hostMsAtFrame(7 * P)).toBe(100 + 7 * PERIOD_MS + 0.4);
    expect(recorder.hostMsAtFrame(5 * P)).toBeNull();
    expect(recorder.hostMsAtFrame(3 * P + 1)).toBeNull();
    expect(recorder.hostMsAtFrame(10 * P)).toBeNull();
  });
});

describe('CaptureRecorder clock map', () => {
  it('maps a host time just after a stream stall to the frame it was, within 0.06 ms, looking forwards', () => {
    const { recorder, trueOffsetMs } = run(400, 7, 1000);
    // 10 periods after the stall: the stream's frame at that host time.
    const k = 410;
    const hostMs = trueOffsetMs(k) + k * PERIOD_MS;
    const frameMs = (recorder.frameAtHostMsAfterRun(hostMs) * 1000) / FS;
    expect(Math.abs(frameMs - k * PERIOD_MS)).toBeLessThan(0.06);
  });

  it('is right where the live (backwards) map is wrong by the whole stall', () => {
    const { recorder, trueOffsetMs } = run(400, 7, 430);
    const k = 429;
    const hostMs = trueOffsetMs(k) + k * PERIOD_MS;
    // The live map still holds the lower envelope from before the stall (its window is 64 periods).
    const liveErrorMs = (recorder.frameAtHostMs(hostMs) * 1000) / FS - k * PERIOD_MS;
    expect(liveErrorMs).toBeGreaterThan(6.9);
    // After the run there is no period after k = 429 left to look at but k itself: still right.
    const afterErrorMs = (recorder.frameAtHostMsAfterRun(hostMs - 1) * 1000) / FS - (k * PERIOD_MS - 1);
    expect(Math.abs(afterErrorMs)).toBeLessThan(0.06);
  });

  it('measures a stall of the stream clock between a send and a later frame (7 ms within 0.1), and none where the clock kept time', () => {
    const { recorder, trueOffsetMs } = run(400, 7, 1000);
    const sendHostMs = trueOffsetMs(395) + 395 * PERIOD_MS;
    expect(Math.abs(recorder.clockStallMsAfterRun(sendHostMs, 405 * P)! - 7)).toBeLessThan(0.1);
    expect(Math.abs(recorder.clockStallMsAfterRun(sendHostMs, 398 * P)!)).toBeLessThan(0.1);
    // Sent just before the stall, with no period between the send and the stall: still counted.
    const justBeforeMs = trueOffsetMs(399) + 399 * PERIOD_MS + 1;
    expect(Math.abs(recorder.clockStallMsAfterRun(justBeforeMs, 402 * P)! - 7)).toBeLessThan(0.1);
    const laterHostMs = trueOffsetMs(450) + 450 * PERIOD_MS;
    expect(Math.abs(recorder.clockStallMsAfterRun(laterHostMs, 455 * P)!)).toBeLessThan(0.1);
  });

  it('ignores JavaScript lateness: a host time inside a late burst maps to its true frame', () => {
    const { recorder, trueOffsetMs } = run(10_000, 0, 1000);
    const k = 500; // a late period (k % 50 === 0)
    const hostMs = trueOffsetMs(k) + k * PERIOD_MS;
    const frameMs = (recorder.frameAtHostMsAfterRun(hostMs) * 1000) / FS;
    expect(Math.abs(frameMs - k * PERIOD_MS)).toBeLessThan(0.06);
  });
});

describe('CaptureRecorder spilling to a float WAV', () => {
  it('writes exactly what it would have kept in memory, across its write batches and a missing period', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spill-'));
    const periods = 200;
    const record = (spillTo?: string) => {
      const { rig, deliver } = scriptedRig();
      const recorder = new CaptureRecorder(rig, periods * P, spillTo ? new FloatWavWriter(spillTo, 1, FS) : undefined);
      void recorder.wrap().start((p) => { for (let j = 0; j < P; j++) p.inputs[0][j] = Math.sin(0.001 * (p.frameIndex + j)); });
      for (let k = 0; k < periods; k++) if (k !== 130) deliver(k * P, k * PERIOD_MS);
      recorder.closeSpill();
      return recorder;
    };
    // The scripted rig fills its inputs in the server's callback, after the recorder copied them: record
    // what the recorder saw in memory, then the same through the spill.
    const inMemory = record();
    const file = join(dir, 'spill.wav');
    const spilled = record(file);

    expect(spilled.inputs).toEqual([]);
    const back = readWav(file).channels[0];
    expect(back.length).toBe(periods * P);
    expect(Buffer.from(back.buffer).equals(Buffer.from(inMemory.inputs[0].buffer))).toBe(true);
    expect(inMemory.inputs[0].some((v) => v !== 0)).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('CaptureRecorder on the control thread', () => {
  it('keeps a 32-channel period without an object per channel (at most the timing it reads: 3 × 16 B)', async () => {
    // The recorder runs on the thread that also receives the commands: 32 subarrays a period were 2.4 MB/s of
    // garbage at 64 frames, a scavenge every ~40 ms while streaming, and commands waited for them.
    const C = 32;
    const periods = 4000;
    const rig: AudioRig = {
      name: 'scripted', kind: 'virtual', clock: 'realtime', sampleRate: FS, periodFrames: P, inputChannels: C, outputChannels: C,
      streamBufferingFrames: P, channelMap: Array.from({ length: C }, (_, k) => k), stats: makeRigStats(),
      start: async () => {}, stop: async () => {}, advance: () => {},
    };
    const recorder = new CaptureRecorder(rig, periods * P);
    const p: { -readonly [K in keyof RigPeriod]: RigPeriod[K] } = { inputs: Array.from({ length: C }, () => new Float32Array(P).fill(0.25)), outputs: [], frames: P, frameIndex: 0, outputFrameIndex: P, hostTimeMs: 0, flags: 0 };
    let k = 0;
    const m = await measureAllocation(() => {
      p.frameIndex = (k++ % periods) * P;
      p.hostTimeMs = 10 + k * PERIOD_MS;
      recorder.record(p);
    }, { calls: 1000, warmupCalls: 2000, spaces: 'young' });
    expect(m.bytes / m.calls, `${m.bytes} B over ${m.calls} periods`).toBeLessThanOrEqual(3 * 16);
    expect(recorder.inputs[C - 1][P * 5]).toBe(0.25);
  });
});
