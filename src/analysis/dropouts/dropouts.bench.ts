import type { Benchmark } from '../../bench/benchmark.ts';
import { faultyBursts } from '../testSignals/faultyBursts.ts';
import { programmeLike } from '../testSignals/programmeLike.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { sine } from '../testSignals/sine.ts';
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
      const { expected, capture } = faultyBursts(seconds(o), { sampleRate: FS, latencySamples: 480, seed: 5 });
      return () => {
        detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples: 480, gain: 1 });
      };
    },
    target: { realtimeFactorAtLeast: 32 },
  },
];
