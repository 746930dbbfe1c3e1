import { describe, expect, it } from 'vitest';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import type { RigPeriod } from './audioRig.ts';
import { AudioHost } from './audioHost.ts';
import { EffectSource, type SourceSpec } from './effectSource.ts';
import { SignalRing } from './signalRing.ts';

const FS = 48000;

/** `frames` of a source rendered in periods of `period` frames, concatenated per channel. */
function render(spec: SourceSpec, frames: number, period: number, rigInputs: Float32Array[] = []): Float32Array[] {
  const s = new EffectSource(spec, 2, period, FS);
  const out = [new Float32Array(frames), new Float32Array(frames)];
  for (let i = 0; i < frames; i += period) {
    const b = s.fill(rigInputs.map((c) => c.subarray(i, i + period)), period);
    out.forEach((o, k) => o.set(b[k], i));
  }
  return out;
}

describe('effect source', () => {
  it('plays a tone that is the same whatever the period size (phase carried across periods)', () => {
    const a = render({ kind: 'tone', frequencyHz: 997, amplitude: 0.25 }, 4096, 64);
    const b = render({ kind: 'tone', frequencyHz: 997, amplitude: 0.25 }, 4096, 256);
    for (let i = 0; i < 4096; i++) expect(a[0][i]).toBeCloseTo(0.25 * Math.sin((2 * Math.PI * 997 * i) / FS), 5);
    expect(a[1]).toEqual(b[1]);
  });

  it('plays the same seeded noise on every run, independent per input, new for another seed', () => {
    const a = render({ kind: 'noise', seed: 5, amplitude: 0.5 }, 2048, 128);
    expect(render({ kind: 'noise', seed: 5, amplitude: 0.5 }, 2048, 64)).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
    expect(render({ kind: 'noise', seed: 6, amplitude: 0.5 }, 2048, 128)[0]).not.toEqual(a[0]);
    expect(Math.max(...a[0].map(Math.abs))).toBeLessThanOrEqual(0.5);
  });

  it('loops a recording across period boundaries, a mono one on both inputs', () => {
    const rec = Float32Array.from({ length: 100 }, (_, i) => i);
    const out = render({ kind: 'loop', channels: [rec], name: 'ramp' }, 256, 64);
    expect(Array.from(out[0].subarray(95, 105))).toEqual([95, 96, 97, 98, 99, 0, 1, 2, 3, 4]);
    expect(out[1]).toEqual(out[0]);
  });

  it('copies the chosen rig inputs, and reads silence for a channel the rig does not have', () => {
    const ins = [new Float32Array(128).fill(1), new Float32Array(128).fill(2), new Float32Array(128).fill(3)];
    const out = render({ kind: 'rig', channels: [2, 7] }, 128, 64, ins);
    expect(out[0].every((v) => v === 3)).toBe(true);
    expect(out[1].every((v) => v === 0)).toBe(true);
  });
});

describe('signal ring', () => {
  it('returns the newest frames in order across the wrap, and says when it was torn', () => {
    const ring = SignalRing.create(1, 100); // 128 frames
    for (let b = 0; b < 5; b++) ring.write([Float32Array.from({ length: 48 }, (_, j) => b * 48 + j)], 48);
    const { channels, endFrame, torn } = ring.readLast(100);
    expect(endFrame).toBe(240);
    expect(Array.from(channels[0])).toEqual(Array.from({ length: 100 }, (_, i) => 140 + i));
    expect(torn).toBe(false);
    expect(ring.readLast(1000).channels[0].length).toBe(128);
  });
});

describe('audio host with an effect source and signal rings', () => {
  // Without Param events: the reverb's own event path allocates (about 750 bytes per event, measured on
  // FdnReverb.process alone), which is the engine's business, not the host's. Without them the whole
  // period allocates nothing. It once measured 5–18 bytes a period for the first source of the file: the
  // sampling heap profiler put them in processPeriod's unoptimised code (doubles boxed), because 5000
  // warm-up periods on a busy machine had not yet brought TurboFan's code in; a settle pause does.
  it.each(['tone', 'noise'] as const)('with a %s source rendering the reverb into the rings, allocates nothing a period', async (kind) => {
    const engine = new FdnReverb({ rt60Seconds: 1 });
    const signals = { input: SignalRing.create(2, FS), output: SignalRing.create(2, FS) };
    const source = new EffectSource(kind === 'noise' ? { kind, seed: 1, amplitude: 0.25 } : { kind, frequencyHz: 440, amplitude: 0.25 }, 2, 128, FS);
    const host = new AudioHost({ engine, sampleRate: FS, periodFrames: 128, loadEveryBlocks: 0, source, signals });
    const outs = [new Float32Array(128), new Float32Array(128)];
    const p: RigPeriod = { inputs: [], outputs: outs, frames: 128, frameIndex: 0, outputFrameIndex: 128, hostTimeMs: 0, flags: 0 };
    let frame = 0;
    const step = () => {
      (p as { frameIndex: number }).frameIndex = frame;
      host.processPeriod(p);
      frame += 128;
    };
    let m = await measureAllocation(step, { settleMs: 50 });
    for (let i = 0; i < 2 && m.gcDuringMeasurement; i++) m = await measureAllocation(step, { settleMs: 50 });
    expect(isAllocationFree(m), `${m.bytes} bytes over ${m.calls} periods`).toBe(true);
    expect(signals.output.framesWritten).toBe(frame);
    expect(Math.max(...signals.output.readLast(4800).channels[0].map(Math.abs))).toBeGreaterThan(0.01);
  });
});
