import { parentPort } from 'node:worker_threads';
import { hannWindow } from '../../dsp/hannWindow.ts';
import { TruePeakSimd, truePeakLinearSimd } from '../loudness/truePeakSimd.ts';
import { powerSpectrumSimd } from '../spectral/powerSpectrumSimd.ts';
import { WelchKernel } from '../spectral/welchKernel.ts';
import { claimTruePeaks, type OffThreadRequest, type WorkerAnswer } from './programmeOffThread.ts';

/**
 * Worker thread of ProgrammeOffThread. Compiles its WebAssembly kernels as soon as it starts (while the
 * caller is still reading the file), then answers one request: the Welch spectrum of the shared
 * channels, then the true peaks of the channels it claims, by the WebAssembly kernels (the same bits
 * as powerSpectrum and truePeakLinear).
 */
new TruePeakSimd();
new WelchKernel(4096, hannWindow(4096), 4096);

parentPort!.once('message', ({ channels, sampleRate, nextChannel }: OffThreadRequest) => {
  const spectrum = powerSpectrumSimd(channels, sampleRate);
  const truePeaksLinear: (number | null)[] = channels.map(() => null);
  claimTruePeaks(channels, nextChannel, truePeakLinearSimd, truePeaksLinear);
  const answer: WorkerAnswer = { spectrum, truePeaksLinear };
  parentPort!.postMessage(answer, [spectrum.frequenciesHz.buffer, spectrum.power.buffer] as ArrayBuffer[]);
  parentPort!.close();
});
