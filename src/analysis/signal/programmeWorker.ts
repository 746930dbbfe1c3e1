import { parentPort, workerData } from 'node:worker_threads';
import { compileWatOrPrebuilt } from '../../dsp/prebuiltWasm.ts';
import { TruePeakSimd } from '../loudness/truePeakSimd.ts';
import { powerSpectrumSimd } from '../spectral/powerSpectrumSimd.ts';
import { programmeKernelTexts } from './programmeKernels.ts';
import { claimTruePeaks, type OffThreadRequest, type WorkerAnswer, type WorkerKernels, waitForFrames } from './programmeOffThread.ts';

/**
 * Worker thread of ProgrammeOffThread. As soon as it starts (while the caller is still reading the
 * file) it loads the WebAssembly kernels — prebuilt beside the CLI bundle, else compiled from their
 * text — and posts the caller's two (K-weighting, true peak: a compiled module crosses threads, so the
 * caller never loads the compiler); then it answers one request: the Welch spectrum of the shared
 * channels (frame by frame as the caller reads them in), then the parts of the true-peak searches it
 * claims (with the chunk statistics the caller's level pass publishes), by the WebAssembly kernels (the
 * same bits as powerSpectrum and truePeakLinear).
 */
const { bundleUrl } = (workerData ?? {}) as { bundleUrl?: string };
const texts = programmeKernelTexts();
const [truePeak, kWeighting, welch] = await Promise.all(texts.map(([name, text]) => compileWatOrPrebuilt(name, text, bundleUrl)));
const kernels: WorkerKernels = { kind: 'kernels', truePeak, kWeighting };
parentPort!.postMessage(kernels);
const truePeakSteps = new TruePeakSimd(truePeak);

parentPort!.on('message', ({ channels, sampleRate, framesRead, nextPart, chunkStats }: OffThreadRequest) => {
  const spectrum = powerSpectrumSimd(channels, sampleRate, { module: welch, waitForSamples: (end) => waitForFrames(framesRead, end) });
  waitForFrames(framesRead, channels[0]?.length ?? 0); // the true peaks read every frame
  const truePeaksLinear: (number | null)[] = channels.map(() => null);
  claimTruePeaks(channels, nextPart, truePeakSteps, truePeaksLinear, chunkStats);
  const answer: WorkerAnswer = { kind: 'figures', spectrum, truePeaksLinear };
  parentPort!.postMessage(answer, [spectrum.frequenciesHz.buffer, spectrum.power.buffer] as ArrayBuffer[]);
  parentPort!.close();
});
