import { parentPort, workerData } from 'node:worker_threads';
import { powerSpectrum } from './powerSpectrum.ts';

/** Worker thread of powerSpectrumOffThread: one powerSpectrum of the shared channels, posted back. */
const { channels, sampleRate } = workerData as { channels: Float32Array[]; sampleRate: number };
const spectrum = powerSpectrum(channels, sampleRate);
parentPort!.postMessage(spectrum, [spectrum.frequenciesHz.buffer, spectrum.power.buffer] as ArrayBuffer[]);
