import wabtInit from 'wabt';
import { FFT_WAT } from '../../dsp/fftKernel.ts';
import { HAPTIC_MIX_WAT } from '../../haptic/mixKernel.ts';
import { fdnRestWat } from '../../reverb/fdnRestWat.ts';
import { lineDesignWat } from '../../reverb/lineDesignWat.ts';
import { fnv1aHex } from './textHash.ts';

/** One precompiled kernel: the fingerprint of its WAT text and the WebAssembly binary, base64. */
export interface KernelBinary {
  textHash: string;
  base64: string;
}

/** Line counts of the Hadamard FDN that have a rest kernel (fdnRestWat.ts). */
export const FDN_REST_LINE_COUNTS = [4, 8, 16, 32] as const;

/** Every WAT text the engines compile, by the name they pass to compileWat (src/dsp/wasmRuntime.ts). */
export function kernelTexts(): Record<string, string> {
  const texts: Record<string, string> = { 'hapticMix.wat': HAPTIC_MIX_WAT, 'lineDesign.wat': lineDesignWat(), 'fft.wat': FFT_WAT };
  for (const n of FDN_REST_LINE_COUNTS) texts[`fdnRest${n}.wat`] = fdnRestWat(n);
  return texts;
}

/**
 * Compiles (at build time, in Node, with the same `wabt` as the engines use at load time) every kernel
 * of kernelTexts() to its binary, for the browser bundle: an AudioWorklet has no wabt and no file
 * system, so src/browser/worklet/wasmRuntime.browser.ts looks the binary up by name and checks the
 * text's fingerprint (a stale build fails loudly instead of running other code).
 */
export async function compileKernelBinaries(): Promise<Record<string, KernelBinary>> {
  const wabt = await wabtInit();
  const out: Record<string, KernelBinary> = {};
  for (const [name, text] of Object.entries(kernelTexts())) {
    const parsed = wabt.parseWat(name, text, { simd: true });
    try {
      parsed.validate();
      out[name] = { textHash: fnv1aHex(text), base64: Buffer.from(parsed.toBinary({}).buffer).toString('base64') };
    } finally {
      parsed.destroy();
    }
  }
  return out;
}
