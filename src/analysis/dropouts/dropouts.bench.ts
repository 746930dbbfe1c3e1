import type { Benchmark } from '../../bench/benchmark.ts';
import { type Fault, injectFaults } from '../testSignals/faultInjection.ts';
import { programmeLike } from '../testSignals/programmeLike.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { addSineBursts, type SineBurst, sine } from '../testSignals/sine.ts';
import { detectPilotDropouts, PILOT_CYCLES_PER_SAMPLE } from './pilotToneDetector.ts';
import { detectResidualDropouts } from './residualDetector.ts';

const FS = 48000;
const seconds = (o: { seconds?: number }): number => o.seconds ?? 60;

function residualBench(name: string, latencySamples: number, what: string): Benchmark {
  return {
    name,
    description: `prediction-residual detector on one channel of haptic-like programme at 60 dB SNR, ${what} (32 channels in real time need ≥ 32)`,
    audioSeconds: seconds,
    setup: (o) => {
      const frames = Math.round(seconds(o) * FS);
      const expected = programmeLike(frames, FS, 3);
      const padded = new Float32Array(frames + 2000);
      padded.set(expected);
      const capture = fractionalDelay(padded, latencySamples, 16);
      addNoiseAtSnr(capture, 60, 4);
      return () => {
        detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples });
      };
    },
    target: { realtimeFactorAtLeast: 32 },
  };
}

/**
 * What the haptic HIL captures: 35 ms sine bursts every 61.7 ms rising through 65 Hz … 1 kHz, with a fault
 * every 8th burst (zeroed 64, repeated 128, dropped 1, inserted 1 in turn) — the case that used to thrash
 * (≈ 2.5 s CPU per 4.5 s channel before the hypothesis-based re-alignment).
 */
function faultyBursts(seconds: number): { expected: Float32Array; capture: Float32Array } {
  const frames = Math.round(seconds * FS);
  const bursts: SineBurst[] = [];
  const faults: Fault[] = [];
  const kinds: Fault['kind'][] = ['zeroed', 'repeated', 'dropped', 'inserted'];
  for (let k = 0, t = 2400; t + 4800 < frames; k++, t += Math.round(0.0617 * FS)) {
    bursts.push({ startFrame: t, frequencyHz: 65 * 2 ** ((k % 49) / 12), amplitude: 0.5, attackFrames: 96, sustainFrames: 1584, releaseFrames: 960 });
    if (k % 8 === 4) {
      const kind = kinds[(k >> 3) % 4];
      faults.push({ kind, atFrame: t + 680, lengthFrames: kind === 'zeroed' ? 64 : kind === 'repeated' ? 128 : 1 });
    }
  }
  const expected = addSineBursts(new Float32Array(frames), FS, bursts);
  const padded = new Float32Array(frames + 2000);
  padded.set(expected, 480);
  const { signal } = injectFaults(padded, faults.map((f) => ({ ...f, atFrame: f.atFrame + 480 })));
  addNoiseAtSnr(signal, 60, 5);
  return { expected, capture: signal };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'dropout_pilot',
    description: 'pilot-tone dropout detector on one channel at 60 dB SNR (32 channels in real time need ≥ 32)',
    audioSeconds: seconds,
    setup: (o) => {
      const x = sine(Math.round(seconds(o) * FS), PILOT_CYCLES_PER_SAMPLE * FS, FS, 0.5);
      addNoiseAtSnr(x, 60, 1);
      return () => {
        detectPilotDropouts(x, { sampleRate: FS });
      };
    },
    target: { realtimeFactorAtLeast: 32 },
  },
  residualBench('dropout_residual', 480, 'integer latency'),
  residualBench('dropout_residual_fractional', 480.37, 'fractional latency (16-tap interpolation)'),
  {
    name: 'dropout_residual_bursts',
    description: 'prediction-residual detector on one channel of sine bursts (65 Hz … 1 kHz) with a fault every 0.5 s, integer latency (32 channels in real time need ≥ 32)',
    audioSeconds: seconds,
    setup: (o) => {
      const { expected, capture } = faultyBursts(seconds(o));
      return () => {
        detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples: 480, gain: 1 });
      };
    },
    target: { realtimeFactorAtLeast: 32 },
  },
];
