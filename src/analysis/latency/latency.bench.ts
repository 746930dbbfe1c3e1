import type { Benchmark } from '../../bench/benchmark.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { addNoiseAtSnr, gaussianNoise } from '../testSignals/seededRandom.ts';
import { estimateDelays } from './estimateDelay.ts';

const SAMPLE_RATE = 48000;
const CHANNELS = 32;

export const benchmarks: Benchmark[] = [
  {
    name: 'latency_estimate',
    description: 'sub-sample delay of 32 captured channels against one reference, 2 s at 48 kHz, delays searched 0 … 100 ms',
    setup: () => {
      const frames = 2 * SAMPLE_RATE;
      const reference = gaussianNoise(frames, 0.1, 1);
      const captures = Array.from({ length: CHANNELS }, (_, c) => {
        const y = fractionalDelay(reference, 100 + 3.37 * c, 8);
        addNoiseAtSnr(y, 40, 100 + c);
        return y;
      });
      return () => {
        const r = estimateDelays(reference, captures, { maxDelaySamples: SAMPLE_RATE / 10 });
        if (!r.every((e) => e.ok)) throw new Error('latency_estimate: a channel gave no measurement');
      };
    },
    target: { msAtMost: 200 },
  },
];
