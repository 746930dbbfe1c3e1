import { describe, expect, it } from 'vitest';
import { injectFaults } from '../testSignals/faultInjection.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { sine } from '../testSignals/sine.ts';
import { detectPilotDropouts, PILOT_CYCLES_PER_SAMPLE } from './pilotToneDetector.ts';

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
});
