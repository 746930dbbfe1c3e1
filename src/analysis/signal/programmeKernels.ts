import { kWeightingPairWat } from '../loudness/kWeightingSimd.ts';
import { truePeakWat } from '../loudness/truePeakSimd.ts';
import { welchWat } from '../spectral/welchKernel.ts';

/** The Welch frame size of rig analyze's spectrum (powerSpectrum's default). */
export const PROGRAMME_FRAME_SIZE = 4096;

/**
 * The WebAssembly kernels of the programme analysis, [name, WAT text], in the order the worker loads
 * them: true peak, K-weighting, Welch (4096-point frames). scripts/build-cli.mjs prebuilds each into
 * dist/cli/wasm (src/dsp/prebuiltWasm.ts).
 */
export function programmeKernelTexts(): [string, string][] {
  return [
    ['truePeak', truePeakWat()],
    ['kWeighting', kWeightingPairWat()],
    [`welch${PROGRAMME_FRAME_SIZE}`, welchWat(PROGRAMME_FRAME_SIZE)],
  ];
}
