import { describe, expect, it } from 'vitest';
import { type ChannelPath, captureGates, measureEventLatencies } from './latencyMeasurement.ts';
import type { SentCommand } from './runScenario.ts';

const FS = 48000;
const DELAY = 300;
const N = 30_000;
const NOTES = [2000, 14_000];

/** A 1 ms raised-cosine attack on 180 Hz from `t0` (fractional), 0.5 full scale. */
function burst(x: Float32Array, t0: number): void {
  for (let n = Math.ceil(t0); n < Math.min(x.length, t0 + 9000); n++) {
    const t = n - t0;
    x[n] += 0.5 * (t < 48 ? 0.5 - 0.5 * Math.cos((Math.PI * t) / 48) : 1) * Math.sin((2 * Math.PI * 180 * t) / FS);
  }
}

/**
 * Two note-ons on two transducers, the capture their render delayed by the path. The second note's capture
 * has a period lost 5 ms after its onset on every channel (zeroed, as a late cycle of the audio server
 * leaves it): its onsets move, and so do its latencies — unless the environment's record places an event
 * there (its spans are the stream's, every channel's).
 */
describe('measureEventLatencies: onsets at an environment event', () => {
  const paths: ChannelPath[] = [0, 1].map((k) => ({ output: k, input: k, totalDelayFrames: DELAY, deviceDelayFrames: 64, inverted: false, gain: 1 }));
  const render = [new Float32Array(N), new Float32Array(N)];
  for (const r of render) for (const at of NOTES) burst(r, at + 10);
  const capture = render.map((r) => {
    const c = new Float32Array(N);
    c.set(r.subarray(0, N - DELAY), DELAY);
    return c;
  });
  const lostAt = NOTES[1] + 10 + DELAY + 240;
  for (const c of capture) c.fill(0, lostAt, lostAt + 64);
  const sent = NOTES.map((at, i) => ({
    planned: { index: i, transport: 'socket', noteOn: { channel: 1, note: 60, velocity: 100 }, rows: [] },
    sendFrame: at - 10, arrivalFrame: at - 5, appliedFrame: at,
  })) as unknown as SentCommand[];
  const gates = captureGates(capture, paths, FS);
  const latencies = (excluded = [] as { start: number; end: number }[]) => measureEventLatencies(sent, render, capture, paths, FS, gates, excluded);

  it('the lost period moves the second note\'s latencies; with the event on record they are left out and counted', () => {
    const all = latencies().flatMap((e) => e.onsets.map((o) => o.unexplainedMs));
    expect(all).toHaveLength(4);
    // Clean onsets: the capture is the render delayed by the calibrated path, to 0.01 sample.
    expect(all.slice(0, 2).every((u) => Math.abs(u) < (0.01 * 1000) / FS)).toBe(true);
    expect(all.slice(2).every((u) => Math.abs(u) > (1 * 1000) / FS)).toBe(true);

    const left = latencies([{ start: lostAt - 10, end: lostAt + 74 }]);
    expect(left[0].onsets).toHaveLength(2);
    expect(left[0].atEnvironmentOnsets).toBeUndefined();
    expect(left[1].onsets).toEqual([]);
    expect(left[1].atEnvironmentOnsets).toBe(2);
    // A span away from every search leaves all four measured; so does one in the first note's search (which
    // runs to the second note) but 120 ms past its onset, beyond the 71 ms the onset is read from.
    expect(latencies([{ start: 10, end: 20 }]).flatMap((e) => e.onsets)).toHaveLength(4);
    const late = NOTES[0] + 10 + DELAY + Math.round(0.12 * FS);
    expect(late + 100).toBeLessThan(NOTES[1] + DELAY);
    expect(latencies([{ start: late, end: late + 100 }]).flatMap((e) => e.onsets)).toHaveLength(4);
    // 60 ms past it, inside what was read: left out.
    const read = NOTES[0] + 10 + DELAY + Math.round(0.06 * FS);
    expect(latencies([{ start: read, end: read + 100 }])[0].atEnvironmentOnsets).toBe(2);
  });
});
