import { hannWindow } from '../../dsp/hannWindow.ts';
import { type PowerSpectrum, powerSpectrum, scaledWelchSums, welchFrameSize, windowPowerOf } from './powerSpectrum.ts';
import { WelchKernel } from './welchKernel.ts';

/** Frames staged in the kernel's input area per copy (the copy is N + (FRAMES_PER_BLOCK − 1)·hop samples). */
const FRAMES_PER_BLOCK = 32;

/**
 * `powerSpectrum(channels, sampleRate, frameSize)` to the last bit, with the frames transformed two at
 * a time by the WebAssembly kernel of welchKernel.ts (`npm run bench -- spectrum` times both). Each channel is
 * copied into the kernel's staging area a block of frames at a time (no whole-file copy). A signal no
 * longer than one frame (zero-padded, one frame per channel) is left to powerSpectrum.
 */
export function powerSpectrumSimd(
  channels: Float32Array[],
  sampleRate: number,
  {
    module,
    frameSize = 4096,
    waitForSamples = () => {},
  }: {
    /** Compiled from welchWat(frameSize). */
    module: object;
    frameSize?: number;
    /** Called before samples [0, end) of every channel are read: a reader still filling them blocks here until they are. */
    waitForSamples?: (end: number) => void;
  },
): PowerSpectrum {
  const length = channels[0]?.length ?? 0;
  const N = welchFrameSize(length, frameSize);
  if (length <= N) {
    waitForSamples(length);
    return powerSpectrum(channels, sampleRate, frameSize);
  }
  const hop = N / 2;
  const window = hannWindow(N);
  const blockSamples = N + (FRAMES_PER_BLOCK - 1) * hop;
  const kernel = new WelchKernel(N, window, blockSamples, module);
  let frames = 0;
  for (const x of channels) {
    frames = 0;
    for (let blockStart = 0; blockStart + N <= length; blockStart += FRAMES_PER_BLOCK * hop) {
      const end = Math.min(length, blockStart + blockSamples);
      waitForSamples(end);
      kernel.releaseInput();
      kernel.input.set(x.subarray(blockStart, end));
      for (let s = 0; blockStart + s + N <= end; s += hop, frames++) kernel.addFrame(s);
    }
  }
  return scaledWelchSums(kernel.finish(), sampleRate, N, frames, channels.length, windowPowerOf(window));
}
