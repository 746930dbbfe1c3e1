import { describe, expect, it } from 'vitest';
import { layoutCentre, parseHapticConfig, transducerPositions } from '../../src/haptic/hapticConfig.ts';
import { arrivalFollowsWaveSpeed } from './expectations.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
import type { ScenarioRun, SentCommand } from './runScenario.ts';

const FS = 48000;
const DELAY = 300;
const N = 8000;

/**
 * The travelling-wave arrival expectation on a made capture: every transducer's burst starts at the
 * note's applied frame + its path delay + distance / wave speed (a linear ramp from that fractional
 * frame), so the arrival error is ~0; a second note's bursts are scattered by 40 samples per transducer,
 * as a period lost by the machine during that note would scatter them.
 */
describe('arrivals follow distance / wave speed', () => {
  const cfg = parseHapticConfig({});
  const pos = transducerPositions(cfg);
  const centre = layoutCentre(pos);
  const outputs = [0, 5, 11, 20];
  const paths: ChannelPath[] = outputs.map((output, input) => ({ output, input, totalDelayFrames: DELAY, deviceDelayFrames: 0, inverted: false, gain: 1 }) as ChannelPath);
  const notes = [1000, 5000];
  const capture = outputs.map((output, k) => {
    const x = new Float32Array(N);
    const d = Math.hypot(pos[output].xM - centre.xM, pos[output].yM - centre.yM);
    notes.forEach((at, i) => {
      const t0 = at + DELAY + (d / cfg.waveSpeedMps) * FS + (i === 1 ? 40 * k : 0);
      for (let n = Math.ceil(t0); n < Math.min(N, t0 + 2000); n++) x[n] += Math.min(0.5, (n - t0) * 0.01);
    });
    return x;
  });
  const sent = notes.map((at, i) => ({
    appliedFrame: at, planned: { type: 'noteOn', rows: [], noteOn: { channel: 1, note: 60 + i, velocity: 10 } },
  })) as unknown as SentCommand[];
  const run = { sent, capture } as unknown as ScenarioRun;
  const gates = new Map(paths.map((p) => [p.input, 0.01]));

  it('fails on the scattered note, and leaves it out when its onsets lie at an environment event', () => {
    const all = arrivalFollowsWaveSpeed(run, cfg, paths, gates, FS);
    expect(all.passed).toBe(false);
    const spans = [{ start: 5000 + DELAY, end: 5000 + DELAY + 400 }];
    const left = arrivalFollowsWaveSpeed(run, cfg, paths, gates, FS, spans);
    expect(left.passed, left.detail).toBe(true);
    expect(left.detail).toMatch(/^1 travelling-wave notes: .*; 1 left out/);
    // A span in the first note's search (it ends where the second's begins) leaves the scattered note judged.
    const elsewhere = arrivalFollowsWaveSpeed(run, cfg, paths, gates, FS, [{ start: 4000, end: 4100 }]);
    expect(elsewhere.passed).toBe(false);
    expect(elsewhere.detail).toMatch(/^1 travelling-wave notes: .*; 1 left out/);
  });

  /**
   * A driver xrun AFTER the onsets still moves them: the onset is where the envelope reaches half the
   * burst's own peak, read over the 70 ms after it starts, and a zeroed period there changes that peak.
   * Bursts of 180 Hz under a 1 ms raised-cosine attack (mpe-glide's), one period zeroed on every channel
   * at one frame 16 ms after the note's first arrival, as a late cycle of the audio server zeroes it.
   */
  it('leaves out a note whose level window holds an environment event after its onsets', () => {
    const attack = 48;
    const zeroAt = 1000 + DELAY + 768;
    const burstCapture = outputs.map((output) => {
      const x = new Float32Array(N);
      const t0 = 1000 + DELAY + (Math.hypot(pos[output].xM - centre.xM, pos[output].yM - centre.yM) / cfg.waveSpeedMps) * FS;
      for (let n = Math.ceil(t0); n < N; n++) {
        const t = n - t0;
        x[n] = 0.5 * (t < attack ? 0.5 - 0.5 * Math.cos((Math.PI * t) / attack) : 1) * Math.sin((2 * Math.PI * 180 * t) / FS);
      }
      return x;
    });
    const one = { sent: sent.slice(0, 1), capture: burstCapture } as unknown as ScenarioRun;
    expect(arrivalFollowsWaveSpeed(one, cfg, paths, gates, FS).passed, 'clean bursts arrive on time').toBe(true);
    for (const x of burstCapture) x.fill(0, zeroAt, zeroAt + 64);
    const judged = arrivalFollowsWaveSpeed(one, cfg, paths, gates, FS);
    expect(judged.passed, `the zeroed period moves the onsets: ${judged.detail}`).toBe(false);
    const left = arrivalFollowsWaveSpeed(one, cfg, paths, gates, FS, [{ start: zeroAt - 10, end: zeroAt + 74 }]);
    expect(left.detail).toMatch(/no travelling-wave note with measurable onsets; 1 left out/);
  });
});
