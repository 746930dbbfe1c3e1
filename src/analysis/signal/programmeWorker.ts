import { parentPort } from 'node:worker_threads';
import { hannWindow } from '../../dsp/hannWindow.ts';
import { compileWat } from '../../dsp/wasmRuntime.ts';
import { kWeightingPairWat } from '../loudness/kWeightingSimd.ts';
import { TruePeakSimd, truePeakWat } from '../loudness/truePeakSimd.ts';
import { powerSpectrumSimd } from '../spectral/powerSpectrumSimd.ts';
import { WelchKernel } from '../spectral/welchKernel.ts';
import { claimTruePeaks, type OffThreadRequest, type WorkerAnswer, type WorkerKernels, waitForFrames } from './programmeOffThread.ts';

/**
 * Worker thread of ProgrammeOffThread. As soon as it starts (while the caller is still reading the
 * file) it compiles the WebAssembly kernels and posts the caller's two (K-weighting, true peak: a
 * compiled module crosses threads, so the caller never loads the compiler); then it answers one
 * request: the Welch spectrum of the shared channels (frame by frame as the caller reads them in), then the parts of the true-peak searches it claims,
 * by the WebAssembly kernels (the same bits as powerSpectrum and truePeakLinear).
 */
const kernels: WorkerKernels = { kind: 'kernels', truePeak: compileWat('truePeak.wat', truePeakWat()), kWeighting: compileWat('kWeighting.wat', kWeightingPairWat()) };
parentPort!.postMessage(kernels);
const truePeakSteps = new TruePeakSimd(kernels.truePeak);
new WelchKernel(4096, hannWindow(4096), 4096); // compiles the 4096-point kernel now

parentPort!.on('message', ({ channels, sampleRate, framesRead, nextPart }: OffThreadRequest) => {
  const spectrum = powerSpectrumSimd(channels, sampleRate, undefined, (end) => waitForFrames(framesRead, end));
  waitForFrames(framesRead, channels[0]?.length ?? 0); // the true peaks read every frame
  const truePeaksLinear: (number | null)[] = channels.map(() => null);
  claimTruePeaks(channels, nextPart, truePeakSteps, truePeaksLinear);
  const answer: WorkerAnswer = { kind: 'figures', spectrum, truePeaksLinear };
  parentPort!.postMessage(answer, [spectrum.frequenciesHz.buffer, spectrum.power.buffer] as ArrayBuffer[]);
  parentPort!.close();
});
