import type { Benchmark } from '../../bench/benchmark.ts';
import { decayingNoise } from '../signal/seededNoise.ts';
import { analyzeDecay } from './decayAnalysis.ts';
import { multirateOctaveFilterBank, splitOctaveBands } from './octaveBands.ts';

const SAMPLE_RATE = 48000;

export const benchmarks: Benchmark[] = [
  {
    name: 'rt60_octaves_5s',
    description: 'T30 (Lundeby on) in every octave band 63 Hz – 8 kHz of a 5 s, 48 kHz impulse response (T = 1.5 s, −80 dB floor)',
    setup: () => {
      const h = decayingNoise({ sampleRate: SAMPLE_RATE, seconds: 5, rt60Seconds: 1.5, seed: 1, noiseFloorDb: -80 });
      const bank = multirateOctaveFilterBank(SAMPLE_RATE);
      return () => {
        for (const { filter, signal, sampleRate } of splitOctaveBands(h, SAMPLE_RATE, bank)) {
          const a = analyzeDecay(signal, sampleRate, { which: ['t30'], clarity: false });
          if (a.t30Seconds === null) throw new Error(`no T30 in the ${filter.nominalHz} Hz band`);
        }
      };
    },
    target: { msAtMost: 50 },
  },
];
