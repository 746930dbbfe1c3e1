import { describe, expect, it } from 'vitest';
import { injectFaults } from '../testSignals/faultInjection.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { mulberry32 } from '../signal/seededNoise.ts';
import { sine } from '../testSignals/sine.ts';
import { detectPilotDropouts, PILOT_CYCLES_PER_SAMPLE, PilotToneDetector } from './pilotToneDetector.ts';

const FS = 48000;
const pilot = (frequencyHz = PILOT_CYCLES_PER_SAMPLE * FS, frames = 2 * FS): Float32Array => sine(frames, frequencyHz, FS, 0.5, 0.3);

describe('PilotToneDetector', () => {
  it('reports nothing on 2 s of clean pilot at 60 dB SNR', () => {
    const x = pilot();
    addNoiseAtSnr(x, 60, 1);
    expect(detectPilotDropouts(x, { sampleRate: FS })).toEqual([]);
  });

  it('finds a single dropped sample within 1 ms as a phase jump', () => {
    const { signal, injected } = injectFaults(pilot(), [{ kind: 'dropped', atFrame: 40000, lengthFrames: 1 }]);
    addNoiseAtSnr(signal, 60, 2);
    const events = detectPilotDropouts(signal, { sampleRate: FS });
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('phase-jump');
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('finds a zeroed block with its start within 1 ms and its length within 1 ms', () => {
    const { signal, injected } = injectFaults(pilot(), [{ kind: 'zeroed', atFrame: 50001, lengthFrames: 256 }]);
    addNoiseAtSnr(signal, 60, 3);
    const events = detectPilotDropouts(signal, { sampleRate: FS });
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('zeroed');
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
    expect(Math.abs(events[0].lengthFrames - 256)).toBeLessThan(FS / 1000);
  });

  it('ends a zeroed window left open by the capture\'s end where the zeroing ends: one window (24 frames) zeroed 34 frames before the end', () => {
    // The event opens when the zeroed window ends and no relock follows (that needs two more whole windows): finish()
    // closes it, and its end is the opening window's end, the last frame that was flagged, not a frame past it.
    const x = pilot(PILOT_CYCLES_PER_SAMPLE * FS, 24058);
    x.fill(0, 24000, 24024);
    addNoiseAtSnr(x, 60, 3);

    expect(detectPilotDropouts(x, { sampleRate: FS })).toEqual([{ kind: 'zeroed', startFrame: 24000, lengthFrames: 24 }]);
  });

  it('finds a repeated 128-frame block', () => {
    const { signal, injected } = injectFaults(pilot(), [{ kind: 'repeated', atFrame: 30000, lengthFrames: 128 }]);
    addNoiseAtSnr(signal, 60, 4);
    const events = detectPilotDropouts(signal, { sampleRate: FS });
    expect(events.map((e) => e.kind)).toEqual(['phase-jump']);
    expect(Math.abs(events[0].startFrame - injected[0].faultyFrame)).toBeLessThan(FS / 1000);
  });

  it('misses a dropped sample with a 607 Hz pilot and per-sample residual alone — the pitfall the default pilot avoids', () => {
    const { signal } = injectFaults(pilot(607), [{ kind: 'dropped', atFrame: 40000, lengthFrames: 1 }]);
    addNoiseAtSnr(signal, 60, 5);
    // the per-sample residual (2·sin(0.079/2) = 7.9 % of A) stays under 10 %, and only the window phase test
    // at its default 0.1 rad would catch the turn of 0.079 rad — it does not either:
    expect(detectPilotDropouts(signal, { sampleRate: FS, frequencyHz: 607 })).toEqual([]);
  });

  it('reports a capture without the pilot as one zeroed event over all of it', () => {
    const silence = new Float32Array(FS);
    addNoiseAtSnr(silence.fill(1e-3), 0, 6);
    expect(detectPilotDropouts(silence.map((v) => v - 1e-3), { sampleRate: FS })).toEqual([{ kind: 'zeroed', startFrame: 0, lengthFrames: FS }]);
  });

  it('cannot see a repeated block of 9 frames — one whole pilot period (the blind spot the residual detector covers)', () => {
    const { signal } = injectFaults(pilot(), [{ kind: 'repeated', atFrame: 30000, lengthFrames: 9 }]);
    addNoiseAtSnr(signal, 60, 7);
    expect(detectPilotDropouts(signal, { sampleRate: FS })).toEqual([]);
  });

  it.each([0.5, 0.3])('reads the pilot continuing at %s of its level for 1000 frames as an amplitude loss (not zeroed: that is under 0.1), where it happened', (factor) => {
    const x = pilot();
    for (let n = 40000; n < 41000; n++) x[n] *= factor;
    addNoiseAtSnr(x, 60, 8);
    const events = detectPilotDropouts(x, { sampleRate: FS });
    expect(events.map((e) => e.kind)).toEqual(['amplitude-loss']);
    expect(Math.abs(events[0].startFrame - 40000)).toBeLessThan(FS / 1000);
    expect(Math.abs(events[0].startFrame + events[0].lengthFrames - 41000)).toBeLessThan(FS / 1000);
  });

  it('follows a pilot 0.5 Hz off its nominal frequency whose level drifts up by 20 % over 2 s, without an event', () => {
    const w = (2 * Math.PI * (PILOT_CYCLES_PER_SAMPLE * FS + 0.5)) / FS;
    const x = Float32Array.from({ length: 2 * FS }, (_, n) => 0.5 * (1 + (0.2 * n) / (2 * FS)) * Math.cos(w * n + 0.3));
    addNoiseAtSnr(x, 60, 12);
    expect(detectPilotDropouts(x, { sampleRate: FS })).toEqual([]);
  });

  it('never locks on a pilot under 1e-6 (−120 dBFS): the capture reads as without a pilot', () => {
    expect(detectPilotDropouts(sine(FS / 2, PILOT_CYCLES_PER_SAMPLE * FS, FS, 5e-7), { sampleRate: FS })).toEqual([{ kind: 'zeroed', startFrame: 0, lengthFrames: FS / 2 }]);
  });

  it('reads a one-sample click as a glitch of under 1 ms at the click', () => {
    const x = pilot();
    x[30000] += 0.4;
    addNoiseAtSnr(x, 60, 9);
    const events = detectPilotDropouts(x, { sampleRate: FS });
    expect(events.map((e) => e.kind)).toEqual(['glitch']);
    expect(Math.abs(events[0].startFrame - 30000)).toBeLessThan(FS / 1000);
    expect(events[0].lengthFrames).toBeLessThan(FS / 1000);
  });

  it('measures the phase of a jump: a pilot that continues 0.5 rad ahead reads +0.5 rad, one 0.5 rad behind −0.5 rad', () => {
    const w = 2 * Math.PI * PILOT_CYCLES_PER_SAMPLE;
    for (const step of [0.5, -0.5]) {
      const x = Float32Array.from({ length: FS }, (_, n) => 0.5 * Math.cos(w * n + 0.3 + (n >= 20000 ? step : 0)));
      addNoiseAtSnr(x, 60, 10);
      const events = detectPilotDropouts(x, { sampleRate: FS });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ kind: 'phase-jump' });
      expect(Math.abs(events[0].phaseJumpRad! - step)).toBeLessThan(0.02);
    }
  });

  it('finds the same events whatever blocks the capture arrives in', () => {
    const { signal } = injectFaults(pilot(), [
      { kind: 'zeroed', atFrame: 20011, lengthFrames: 300 },
      { kind: 'dropped', atFrame: 60000, lengthFrames: 3 },
    ]);
    addNoiseAtSnr(signal, 60, 11);
    const whole = detectPilotDropouts(signal, { sampleRate: FS });
    expect(whole.map((e) => e.kind)).toEqual(['zeroed', 'phase-jump']);
    const d = new PilotToneDetector({ sampleRate: FS });
    for (let n = 0, k = 0; n < signal.length; k++) {
      const size = [1, 7, 24, 100, 4096][k % 5];
      d.process(signal.subarray(n, n + size));
      n += size;
    }
    expect(d.finish()).toEqual(whole);
  });

  it('reports nothing for an empty capture, and is not locked before the pilot comes', () => {
    expect(detectPilotDropouts(new Float32Array(0), { sampleRate: FS })).toEqual([]);
    const d = new PilotToneDetector({ sampleRate: FS });
    d.process(new Float32Array(1000));
    expect(d.isLocked).toBe(false);
    d.process(pilot(undefined, 2000));
    expect(d.isLocked).toBe(true);
  });

  it('fits windows of 0.5 ms by default (24 frames at 48 kHz, 48 at 96 kHz), and of 4 frames at least', () => {
    expect(new PilotToneDetector({ sampleRate: FS }).frequencyHz).toBeCloseTo(5357, 9);
    // A window's worth of frames is what one relock costs: the zeroed event ends within a window of the block's end.
    const ends = [48000, 96000].map((fs) => {
      const x = sine(fs, PILOT_CYCLES_PER_SAMPLE * fs, fs, 0.5, 0.3);
      x.fill(0, fs / 2, fs / 2 + 480);
      const [e] = detectPilotDropouts(x, { sampleRate: fs });
      return [e.startFrame - fs / 2, e.startFrame + e.lengthFrames - (fs / 2 + 480)];
    });
    expect(Math.abs(ends[0][0])).toBeLessThan(24);
    expect(Math.abs(ends[1][0])).toBeLessThan(48);
    expect(detectPilotDropouts(pilot(), { sampleRate: FS, windowFrames: 1 })).toEqual([]);
  });

  it('starts a zeroed block’s event at its first sample off by more than 10 % of A (within 3 frames), however the capture is cut', () => {
    const x = pilot();
    x.fill(0, 50001, 50201);
    const whole = detectPilotDropouts(x, { sampleRate: FS });
    expect(whole).toHaveLength(1);
    expect(Math.abs(whole[0].startFrame - 50001)).toBeLessThanOrEqual(3);
    expect(Math.abs(whole[0].startFrame + whole[0].lengthFrames - 50201)).toBeLessThanOrEqual(3); // its last sample off, not the relock
    // Cut at the block's first frame, and one frame at a time around it.
    const d = new PilotToneDetector({ sampleRate: FS });
    d.process(x.subarray(0, 49990));
    for (let n = 49990; n < 50100; n++) d.process(x.subarray(n, n + 1));
    d.process(x.subarray(50100));
    expect(d.finish()).toEqual(whole);
    const e = new PilotToneDetector({ sampleRate: FS });
    e.process(x.subarray(0, 50001));
    e.process(x.subarray(50001));
    expect(e.finish()).toEqual(whole);
  });

  it('reads a negative one-sample click as a glitch too', () => {
    const x = pilot();
    x[30000] -= 0.4;
    const events = detectPilotDropouts(x, { sampleRate: FS });
    expect(events.map((e) => [e.kind, e.startFrame])).toEqual([['glitch', 30000]]);
  });

  it('locks only on two consecutive windows in which the pilot explains ≥ 80 % of the energy', () => {
    // A clean pilot, and the same pilot with, in every other 24-frame window, an interference orthogonal to the pilot's
    // cos and sin over that window (so every window fits the same (a, b), and consecutive windows agree) carrying twice
    // the pilot's energy: the pilot explains 1/3 of those windows. No two consecutive windows are then dominant.
    const W = 24;
    const w = 2 * Math.PI * PILOT_CYCLES_PER_SAMPLE;
    const frames = FS / 2;
    const clean = Float32Array.from({ length: frames }, (_, n) => 0.5 * Math.cos(w * n + 0.3));
    const interfered = Float64Array.from(clean);
    const next = mulberry32(17);
    for (let k = 1; (k + 1) * W <= frames; k += 2) {
      const r = Array.from({ length: W }, () => next() - 0.5);
      const cos = r.map((_, j) => Math.cos(w * (k * W + j)));
      const sin = r.map((_, j) => Math.sin(w * (k * W + j)));
      // r minus its least-squares projection on (cos, sin): orthogonal to both.
      const dot = (p: number[], q: number[]): number => p.reduce((acc, v, j) => acc + v * q[j], 0);
      const [cc, ss, cs, rc, rs] = [dot(cos, cos), dot(sin, sin), dot(cos, sin), dot(r, cos), dot(r, sin)];
      const det = cc * ss - cs * cs;
      const pa = (rc * ss - rs * cs) / det;
      const pb = (rs * cc - rc * cs) / det;
      const v = r.map((x, j) => x - pa * cos[j] - pb * sin[j]);
      const scale = Math.sqrt((2 * dot(Array.from(clean.subarray(k * W, (k + 1) * W)), Array.from(clean.subarray(k * W, (k + 1) * W)))) / dot(v, v));
      for (let j = 0; j < W; j++) interfered[k * W + j] += scale * v[j];
    }
    expect(detectPilotDropouts(clean, { sampleRate: FS })).toEqual([]);
    const d = new PilotToneDetector({ sampleRate: FS });
    d.process(Float32Array.from(interfered));
    expect(d.isLocked).toBe(false);
    expect(d.finish()).toEqual([{ kind: 'zeroed', startFrame: 0, lengthFrames: frames }]);
  });

  it('spans a zeroed block from its first to its last sample off the pilot by more than 10 % of A, exactly', () => {
    // Noise-free: the lock's amplitude is A to ~1e-7, so a zeroed sample is flagged where |pilot| > 0.1·A (none of the
    // pilot's samples here lies within 1e-4·A of that threshold).
    const A = 0.5;
    const w = 2 * Math.PI * PILOT_CYCLES_PER_SAMPLE;
    for (const [from, to] of [[50001, 50201], [30000, 30100], [40007, 40519]]) {
      const x = Float32Array.from({ length: 60000 }, (_, n) => A * Math.cos(w * n + 0.3));
      const off: number[] = [];
      for (let n = from; n < to; n++) if (Math.abs(x[n]) > 0.1 * A) off.push(n);
      for (let n = from; n < to; n++) expect(Math.abs(Math.abs(x[n]) - 0.1 * A)).toBeGreaterThan(1e-4 * A);
      x.fill(0, from, to);
      const [e, ...rest] = detectPilotDropouts(x, { sampleRate: FS });
      expect(rest).toEqual([]);
      expect(e).toEqual({ kind: 'zeroed', startFrame: off[0], lengthFrames: off[off.length - 1] + 1 - off[0] });
    }
  });

  /**
   * An amplitude loss (or a glitch) ends where the detector relocks, at the end of the window in which the pilot came
   * back (windows of 24 frames from frame 0): at most a window late, never early. Its last flagged sample would be the
   * end to the sample with the default per-sample rule (the loss below ends at 40 266 either way), but a loss that rule
   * does not see (here the rule set out of reach; a loss of 10–15 % sits on both lines) flags nothing after the
   * window that opened the event: ended there, a 258-frame loss read 24 frames.
   */
  it('ends an amplitude loss at the first window after the pilot came back, however many of its samples were flagged', () => {
    const [from, to] = [40008, 40266];
    const x = Float32Array.from(pilot(), (v, n) => (n >= from && n < to ? 0.316 : 1) * v);
    addNoiseAtSnr(x, 70, 5);
    for (const options of [{}, { residualThreshold: 100 }]) {
      const events = detectPilotDropouts(x, { sampleRate: FS, ...options });
      expect(events, JSON.stringify(options)).toEqual([{ kind: 'amplitude-loss', startFrame: from, lengthFrames: Math.ceil(to / 24) * 24 - from }]);
    }
  });
});
