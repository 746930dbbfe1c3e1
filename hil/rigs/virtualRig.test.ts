import { describe, expect, it } from 'vitest';
import { RigError } from '../../src/host/audioRig.ts';
import { captureThrough } from './captureThrough.ts';
import { SINC_HALF_WIDTH, SINC_TAPS, sincTaps } from './sincKernel.ts';
import { VirtualRig } from './virtualRig.ts';

const FS = 48000;
/** 48000 / 512: an exact bin of a 512-multiple window, period 512 samples (unambiguous delays < 512). */
const PROBE_HZ = 93.75;

function sine(frames: number, hz = PROBE_HZ, amp = 0.5): Float32Array {
  return Float32Array.from({ length: frames }, (_, n) => amp * Math.sin((2 * Math.PI * hz * n) / FS));
}

/** Amplitude and phase (rad) of `hz` in x[from, from+len) by a DFT at that bin (len a multiple of the period). */
function tone(x: Float32Array, from: number, len: number, hz = PROBE_HZ): { amp: number; phase: number } {
  let re = 0;
  let im = 0;
  for (let n = 0; n < len; n++) {
    const w = (2 * Math.PI * hz * (from + n)) / FS;
    re += x[from + n] * Math.cos(w);
    im -= x[from + n] * Math.sin(w);
  }
  return { amp: (2 * Math.hypot(re, im)) / len, phase: Math.atan2(im, re) };
}

/** Delay (samples, 0…period) of `y` against the known sine sin(ωn) over a window. */
function measuredDelay(y: Float32Array, from: number, len: number): number {
  const ref = tone(sine(from + len), from, len);
  const got = tone(y, from, len);
  const period = FS / PROBE_HZ;
  let d = ((ref.phase - got.phase) / (2 * Math.PI)) * period;
  d = ((d % period) + period) % period;
  return d;
}

const db = (x: number) => 20 * Math.log10(x);

describe('virtual rig loopback', () => {
  it.each([16, 37.3, 100.75, 128, 128.5, 300.125])('recovers a configured latency of %s samples within 0.001 sample', async (latency) => {
    const rig = new VirtualRig({ latencySamples: latency, outputChannels: 2, inputChannels: 2 });
    const cap = await captureThrough(rig, [sine(8192)], 8192);
    const delay = measuredDelay(cap.inputs[0], 2048, 4096) - cap.streamBufferingFrames;
    expect(Math.abs(delay - latency)).toBeLessThan(0.001);
    expect(Math.abs(db(tone(cap.inputs[0], 2048, 4096).amp / 0.5))).toBeLessThan(0.01);
  });

  it('an integer latency delays an impulse exactly, sample for sample', async () => {
    const rig = new VirtualRig({ latencySamples: 40, outputChannels: 1, inputChannels: 1 });
    const impulse = new Float32Array(64);
    impulse[5] = 0.75;
    const cap = await captureThrough(rig, [impulse], 1024);
    const at = 5 + cap.streamBufferingFrames + 40;
    expect(cap.inputs[0][at]).toBe(0.75);
    const energyElsewhere = cap.inputs[0].reduce((s, v, i) => (i === at ? s : s + v * v), 0);
    expect(energyElsewhere).toBe(0);
  });

  /**
   * The loop skips its sinc sum over silence (a 32nd of the cost): a burst after silence must still arrive
   * whole — its sinc pre-ringing in the periods before it lands included, where the burst is only in the
   * sum's last taps — and the silence before as exact zeros. Reference: the same sum in float64.
   */
  it('a fractional latency delays a burst after silence by the sinc sum of every sample, pre-ringing included', async () => {
    const [latency, P, gain] = [100.37, 128, 0.5];
    const rig = new VirtualRig({ latencySamples: latency, outputChannels: 1, inputChannels: 1, gainDb: 20 * Math.log10(gain) });
    // The first sample of the burst in the sum of period 19 only in its last tap (of input frame 20P − 1),
    // its last in period 30's sum only in its first tap (of input frame 30P): the edges of a skip.
    const outputFrameOf = (inputFrame: number) => Math.floor(inputFrame - latency) - SINC_HALF_WIDTH + 1 - rig.streamBufferingFrames;
    const burstAt = outputFrameOf(20 * P) + SINC_TAPS - 2;
    const burstEnd = outputFrameOf(30 * P) + 1;
    const signal = new Float32Array(burstEnd + 500);
    for (let n = burstAt; n < burstEnd; n++) signal[n] = 0.5 * Math.sin(0.3 * n) * Math.cos(0.011 * n);
    const cap = await captureThrough(rig, [signal], 40 * P);
    const taps = new Float64Array(SINC_TAPS);
    sincTaps(Math.ceil(latency) - latency, taps);
    const at = (s: number) => (s >= 0 && s < signal.length ? signal[s] : 0);
    let worst = 0;
    for (let u = 0; u < cap.inputs[0].length; u++) {
      const first = outputFrameOf(u);
      let expected = 0;
      for (let n = 0; n < SINC_TAPS; n++) expected += gain * taps[n] * at(first + n);
      if (first + SINC_TAPS <= burstAt || first >= burstEnd) expect(cap.inputs[0][u], `input frame ${u}`).toBe(0);
      worst = Math.max(worst, Math.abs(cap.inputs[0][u] - expected));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('routes output k to input map[k] and nowhere else (wrong wiring)', async () => {
    const map = [0, 1, 2, 7, 4, 5, 6, 3];
    const rig = new VirtualRig({ outputChannels: 8, inputChannels: 8, channelMap: map });
    const cap = await captureThrough(rig, [undefined, undefined, undefined, sine(4096)], 4096);
    const levels = cap.inputs.map((x) => tone(x, 1024, 2048).amp);
    expect(db(levels[7] / 0.5)).toBeGreaterThan(-0.01);
    for (const [i, a] of levels.entries()) if (i !== 7) expect(a).toBe(0);
    expect(rig.groundTruth.channelMap[3]).toBe(7);
  });

  it('inverts the polarity of the configured outputs only', async () => {
    const rig = new VirtualRig({ outputChannels: 2, inputChannels: 2, latencySamples: 64, invertedOutputs: [1] });
    const pulse = new Float32Array(16).fill(0.5);
    const cap = await captureThrough(rig, [pulse, pulse], 1024);
    const at = cap.streamBufferingFrames + 64 + 4;
    expect(cap.inputs[0][at]).toBeCloseTo(0.5, 6);
    expect(cap.inputs[1][at]).toBeCloseTo(-0.5, 6);
  });

  it('adds a noise floor at the configured RMS within 0.2 dB, reproducibly from the seed', async () => {
    const a = await captureThrough(new VirtualRig({ outputChannels: 1, inputChannels: 1, noiseFloorDbfs: -60, seed: 7 }), [], 24000);
    const b = await captureThrough(new VirtualRig({ outputChannels: 1, inputChannels: 1, noiseFloorDbfs: -60, seed: 7 }), [], 24000);
    const rms = Math.sqrt(a.inputs[0].reduce((s, v) => s + v * v, 0) / a.inputs[0].length);
    expect(Math.abs(db(rms) + 60)).toBeLessThan(0.2);
    expect(b.inputs[0]).toEqual(a.inputs[0]);
  });

  it('drifts the loop delay by driftPpm·1e-6 samples per sample (within 0.005 sample)', async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1, latencySamples: 100, driftPpm: 200 });
    const frames = 48000;
    const cap = await captureThrough(rig, [sine(frames)], frames);
    const early = measuredDelay(cap.inputs[0], 1024, 512);
    const late = measuredDelay(cap.inputs[0], 40960, 512);
    const expected = 200e-6 * (40960 - 1024);
    expect(Math.abs(late - early - expected)).toBeLessThan(0.005);
  });

  it('rejects a loop shorter than the sinc look-ahead with a clear error', () => {
    expect(() => new VirtualRig({ latencySamples: 3 })).toThrow(RigError);
    expect(() => new VirtualRig({ latencySamples: 3 })).toThrow(/must be ≥ 16/);
  });
});

describe('virtual rig fault injection', () => {
  const ramp = (frames: number) => Float32Array.from({ length: frames }, (_, n) => (n + 1) / frames);

  it('a zeroed block reads exact zeros at the chosen frames and nowhere else', async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1, faults: [{ kind: 'zero', atFrame: 2000, lengthFrames: 128 }] });
    const cap = await captureThrough(rig, [ramp(4096)], 4096);
    const zeros = [...cap.inputs[0]].flatMap((v, i) => (v === 0 && i > 256 && i < 4096 ? [i] : []));
    expect(zeros[0]).toBe(2000);
    expect(zeros.length).toBe(128);
    expect(rig.groundTruth.faults[0]).toMatchObject({ kind: 'zero', atFrame: 2000, applied: true, shiftAfterSamples: 0 });
  });

  it('a repeated block captures the preceding frames again and shifts the rest later', async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1, faults: [{ kind: 'repeat', atFrame: 3000, lengthFrames: 64 }] });
    const cap = await captureThrough(rig, [ramp(8192)], 8192);
    const x = cap.inputs[0];
    for (let j = 0; j < 64; j++) expect(x[3000 + j]).toBe(x[3000 - 64 + j]);
    expect(Math.abs(x[5000] - (5000 - 64 - 256 + 1) / 8192)).toBeLessThan(1e-6);
    expect(rig.groundTruth.roundTripSamples(0, 5000)).toBe(128 + 128 + 64);
  });

  it('a dropped single sample shifts everything after it one sample earlier', async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1, faults: [{ kind: 'drop', atFrame: 2500, lengthFrames: 1 }] });
    const cap = await captureThrough(rig, [ramp(8192)], 8192);
    const x = cap.inputs[0];
    expect(x[2499] - x[2498]).toBeCloseTo(1 / 8192, 6);
    expect(x[2500] - x[2499]).toBeCloseTo(2 / 8192, 6);
    expect(rig.groundTruth.deviceLatencySamples(0, 2500)).toBe(127);
  });

  it('runs in paced real time at the period rate', async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1, clock: 'realtime' });
    const times: number[] = [];
    await rig.start((p) => void times.push(p.hostTimeMs));
    await new Promise((r) => setTimeout(r, 200));
    await rig.stop();
    const expected = (0.2 * FS) / 128;
    expect(times.length).toBeGreaterThan(expected * 0.8);
    expect(times.length).toBeLessThan(expected * 1.2);
    expect(() => rig.advance(1)).toThrow(RigError);
  });

  it("counts each start's periods alone (a status read during a run counts that run)", async () => {
    const rig = new VirtualRig({ outputChannels: 1, inputChannels: 1 });
    await rig.start(() => {});
    rig.advance(7);
    await rig.stop();
    expect(rig.stats.periods).toBe(7);
    await rig.start(() => {});
    rig.advance(3);
    expect(rig.stats.periods).toBe(3);
    await rig.stop();
  });
});
