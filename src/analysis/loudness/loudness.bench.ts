import type { Benchmark } from '../../bench/benchmark.ts';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { mulberry32 } from '../signal/seededNoise.ts';
import { KWeightingPair, kWeightingPairWat } from './kWeightingSimd.ts';
import { measureLoudness } from './measureLoudness.ts';
import { truePeakLinear } from './truePeak.ts';
import { TruePeakSimd, truePeakWat } from './truePeakSimd.ts';

const SAMPLE_RATE = 48000;

/** Programme-like stereo: a 997 Hz tone and a 113 Hz tone whose levels move every few seconds, seeded noise. */
export function programme(seconds: number): Float32Array[] {
  const frames = Math.round(seconds * SAMPLE_RATE);
  const left = new Float32Array(frames), right = new Float32Array(frames);
  const uniform = mulberry32(0x2f6b1a3d);
  for (let i = 0; i < frames; i++) {
    const noise = uniform() - 0.5;
    const level = 0.05 + 0.2 * (0.5 + 0.5 * Math.sin((2 * Math.PI * i) / (7.3 * SAMPLE_RATE)));
    const t = i / SAMPLE_RATE;
    left[i] = level * Math.sin(2 * Math.PI * 997 * t) + 0.02 * noise;
    right[i] = level * Math.sin(2 * Math.PI * 113 * t) + 0.02 * noise;
  }
  return [left, right];
}

export const benchmarks: Benchmark[] = [
  {
    name: 'lufs_10min_stereo',
    description:
      'Integrated, short-term, momentary loudness and loudness range of 10 min of 48 kHz stereo (true peak excluded: see truepeak_10min_stereo)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      return () => {
        measureLoudness(channels, SAMPLE_RATE, { truePeak: false });
      };
    },
    target: { realtimeFactorAtLeast: 300 },
  },
  {
    name: 'truepeak_10min_stereo',
    description: 'Full measureLoudness including the 4× oversampled true peak, 10 min of 48 kHz stereo (no target; for information)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      return () => {
        measureLoudness(channels, SAMPLE_RATE);
      };
    },
  },
  {
    name: 'lufs_pair_simd_10min_stereo',
    description: 'lufs_10min_stereo with both channels K-weighted at once by the WebAssembly kernel (KWeightingPair, rig analyze\'s path; same bits)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      const kWeightingPair = new KWeightingPair(compileWat('kWeighting.wat', kWeightingPairWat()), SAMPLE_RATE);
      return () => {
        measureLoudness(channels, SAMPLE_RATE, { truePeak: false, kWeightingPair });
      };
    },
  },
  {
    name: 'truepeak_simd_10min_stereo',
    description: 'The true peak of both channels alone with the WebAssembly steps (TruePeakSimd, rig analyze\'s path; same bits as truePeakLinear in JavaScript)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      const steps = new TruePeakSimd(compileWat('truePeak.wat', truePeakWat()));
      return () => {
        for (const c of channels) truePeakLinear(c, steps);
      };
    },
  },
];
