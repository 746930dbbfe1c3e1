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
    const spans = [{ start: 5000 + DELAY - 100, end: 5000 + DELAY + 400 }];
    const left = arrivalFollowsWaveSpeed(run, cfg, paths, gates, FS, spans);
    expect(left.passed, left.detail).toBe(true);
    expect(left.detail).toMatch(/^1 travelling-wave notes: .*; 1 left out/);
    // A span elsewhere leaves nothing out.
    expect(arrivalFollowsWaveSpeed(run, cfg, paths, gates, FS, [{ start: 7500, end: 7600 }]).passed).toBe(false);
  });
});
