import type { Benchmark } from '../../bench/benchmark.ts';
import { programme } from '../loudness/loudness.bench.ts';
import { powerSpectrum } from './powerSpectrum.ts';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { powerSpectrumSimd } from './powerSpectrumSimd.ts';
import { welchWat } from './welchKernel.ts';

const SAMPLE_RATE = 48000;

export const benchmarks: Benchmark[] = [
  {
    name: 'spectrum_10min_stereo',
    description: 'Welch spectrum (4096-point Hann frames, 50 % overlap) of 10 min of 48 kHz stereo with fftOfSize (fft.js\'s transform in WebAssembly SIMD)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      return () => {
        powerSpectrum(channels, SAMPLE_RATE);
      };
    },
  },
  {
    name: 'spectrum_simd_10min_stereo',
    description: 'spectrum_10min_stereo with two frames per WebAssembly SIMD call (welchKernel.ts, rig analyze\'s path; same bits)',
    audioSeconds: (o) => o.seconds ?? 600,
    setup: (o) => {
      const channels = programme(o.seconds ?? 600);
      const module = compileWat('welch4096.wat', welchWat(4096));
      return () => {
        powerSpectrumSimd(channels, SAMPLE_RATE, { module });
      };
    },
  },
];
