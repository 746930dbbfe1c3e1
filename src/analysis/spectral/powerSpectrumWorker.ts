import { parentPort, workerData } from 'node:worker_threads';
import { powerSpectrumSimd } from './powerSpectrumSimd.ts';

/** Worker thread of powerSpectrumOffThread: one powerSpectrum of the shared channels (the WebAssembly kernel: same bits), posted back. */
const { channels, sampleRate } = workerData as { channels: Float32Array[]; sampleRate: number };
const spectrum = powerSpectrumSimd(channels, sampleRate);
parentPort!.postMessage(spectrum, [spectrum.frequenciesHz.buffer, spectrum.power.buffer] as ArrayBuffer[]);
