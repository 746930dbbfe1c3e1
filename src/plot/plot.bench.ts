import type { Benchmark } from '../bench/benchmark.ts';
import { computeSpectrogram, spectrogramPng } from './spectrogram.ts';
import { reduceToColumns } from './waveformPlot.ts';

const RATE = 48000;

/** Ten minutes of a decaying tone burst every second: content in every column, nothing to skip. */
function tenMinutes(seconds: number): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = Math.exp(-(i % RATE) / 4800) * Math.sin((2 * Math.PI * 1000 * i) / RATE);
  return x;
}

/**
 * The report figures' cost on a long capture (the soak's): their work is bounded by the picture
 * (columns), not by the signal, so these are the figures for 10 minutes (`--seconds` for another length).
 */
export const benchmarks: Benchmark[] = [
  {
    name: 'plot_spectrogram_10min',
    description: 'spectrogram of 10 min at 48 kHz for a report: 1200 columns of 2048-point FFTs, then the PNG',
    audioSeconds: (o) => o.seconds ?? 600,
    target: { msAtMost: 3000 },
    setup: (o) => {
      const x = tenMinutes(o.seconds ?? 600);
      return () => {
        spectrogramPng(computeSpectrogram(x, RATE));
      };
    },
  },
  {
    name: 'plot_waveform_10min',
    description: 'waveform of 10 min at 48 kHz reduced to 720 pixel columns (min/max per column), before the chart is drawn',
    audioSeconds: (o) => o.seconds ?? 600,
    target: { msAtMost: 1000 },
    setup: (o) => {
      const x = tenMinutes(o.seconds ?? 600);
      return () => {
        reduceToColumns({ name: 'x', samples: x }, RATE, 720);
      };
    },
  },
];
