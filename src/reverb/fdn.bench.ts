import type { Benchmark, BenchOptions } from '../bench/benchmark.ts';
import { FdnReverb, type FdnReverbOptions } from './fdnReverb.ts';
import type { ReverbParamsInput } from './reverbParams.ts';

const SAMPLE_RATE = 48000;
const BLOCK_FRAMES = 512;
const seconds = (o: BenchOptions) => o.seconds ?? 10;

/** Renders `seconds` of stereo noise through the reverb in 512-frame blocks (buffers made in setup). */
function fdnBenchmark(name: string, description: string, params: Partial<ReverbParamsInput>, target?: number, engineOptions: FdnReverbOptions = {}): Benchmark {
  return {
    name,
    description,
    audioSeconds: seconds,
    target: target === undefined ? undefined : { realtimeFactorAtLeast: target },
    setup: (options) => {
      const engine = new FdnReverb(params, name, engineOptions);
      engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: BLOCK_FRAMES });
      const blocks = Math.ceil((seconds(options) * SAMPLE_RATE) / BLOCK_FRAMES);
      let x = 12345;
      const inputs = [0, 1].map(() => Float32Array.from({ length: BLOCK_FRAMES }, () => {
        x = (x * 1103515245 + 12345) >>> 0;
        return (x / 2 ** 32 - 0.5) * 0.5;
      }));
      const outputs = [new Float32Array(BLOCK_FRAMES), new Float32Array(BLOCK_FRAMES)];
      return () => {
        for (let b = 0; b < blocks; b++) engine.process(inputs, outputs, BLOCK_FRAMES, [], 0);
      };
    },
  };
}

/** Targets of fdn8_stereo and fdn16_stereo: Faust's re.fdnrev0 on the same lines with g++ -O3, as issue 15 measured it (scripts/bench-peers.mjs measures it here). */
const FAUST_FDN8_REALTIME = 1000;
const FAUST_FDN16_REALTIME = 400;

export const benchmarks: Benchmark[] = [
  fdnBenchmark('fdn8_stereo', 'FDN reverb, 8 lines, Hadamard, RT60 2 s with HF damping, 48 kHz stereo', { lines: 8, rt60Seconds: 2, rt60HighSeconds: 1 }, FAUST_FDN8_REALTIME),
  fdnBenchmark('fdn16_stereo', 'FDN reverb, 16 lines, Hadamard, RT60 2 s with HF damping, 48 kHz stereo', { lines: 16, rt60Seconds: 2, rt60HighSeconds: 1 }, FAUST_FDN16_REALTIME),
  fdnBenchmark('fdn8_js_kernel', 'fdn8_stereo with the JavaScript reference kernels only (the "before" figure of the WebAssembly rest kernel)', { lines: 8, rt60Seconds: 2, rt60HighSeconds: 1 }, undefined, { kernel: 'js' }),
  fdnBenchmark('fdn16_js_kernel', 'fdn16_stereo with the JavaScript reference kernels only', { lines: 16, rt60Seconds: 2, rt60HighSeconds: 1 }, undefined, { kernel: 'js' }),
  fdnBenchmark('fdn16_low_target_stereo', 'FDN reverb, 16 lines, Hadamard, RT60 2 s, 1 s highs, 2.6 s lows (shelved lines), 48 kHz stereo', { lines: 16, rt60Seconds: 2, rt60HighSeconds: 1, rt60LowSeconds: 2.6 }),
  fdnBenchmark('fdn8_low_target_stereo', 'FDN reverb, 8 lines, Hadamard, RT60 2 s, 1 s highs, 2.6 s lows (shelved lines), 48 kHz stereo', { lines: 8, rt60Seconds: 2, rt60HighSeconds: 1, rt60LowSeconds: 2.6 }),
  fdnBenchmark('fdn16_householder_stereo', 'FDN reverb, 16 lines, Householder, 48 kHz stereo', { lines: 16, matrix: 'householder' }),
  fdnBenchmark('fdn16_random_stereo', 'FDN reverb, 16 lines, random orthogonal (dense), 48 kHz stereo', { lines: 16, matrix: 'randomOrthogonal' }),
  fdnBenchmark('fdn8_modulated_stereo', 'FDN reverb, 8 lines, Hadamard, cubic-modulated delays, 48 kHz stereo', { lines: 8, modDepthMs: 1, modRateHz: 0.7 }),
];
