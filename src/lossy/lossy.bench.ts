import type { Benchmark } from '../bench/benchmark.ts';
import { LossyEngine } from './lossyEngine.ts';
import type { LossyParamsInput } from './lossyParams.ts';

const SAMPLE_RATE = 48000;
const BLOCK = 128;

/** Times process() over `seconds` of seeded stereo noise in blocks of 128 frames (buffers made in setup). */
function lossyBench(name: string, description: string, params: LossyParamsInput, target?: number): Benchmark {
  return {
    name,
    description,
    audioSeconds: (o) => o.seconds ?? 10,
    target: target ? { realtimeFactorAtLeast: target } : undefined,
    setup: (o) => {
      const frames = Math.round((o.seconds ?? 10) * SAMPLE_RATE);
      let x = 12345;
      const input = [0, 1].map(() => Float32Array.from({ length: frames }, () => {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        return 0.25 * (((x >>> 0) / 4294967296) * 2 - 1);
      }));
      const engine = new LossyEngine(params);
      engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: BLOCK });
      const ins = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
      const outs = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
      return () => {
        engine.reset();
        for (let at = 0; at < frames; at += BLOCK) {
          const n = Math.min(BLOCK, frames - at);
          ins[0].set(input[0].subarray(at, at + n));
          ins[1].set(input[1].subarray(at, at + n));
          engine.process(ins, outs, n, [], 0);
        }
      };
    },
  };
}

export const benchmarks: Benchmark[] = [
  lossyBench('lossy_default', 'lossy engine with default parameters (64 kbps STFT codec, frame 1024 / hop 512, limiter), stereo 48 kHz', {}, 100),
  lossyBench('lossy_all_stages', 'lossy engine with every stage on (2 biquads, 48 kbps codec, bitcrush, 5 % packet loss, gate, limiter), stereo 48 kHz', {
    filters: { enabled: true, bands: [{ type: 'highpass', frequencyHz: 300 }, { type: 'lowpass', frequencyHz: 3400 }] },
    codec: { bitrateKbps: 48 },
    bitcrush: { enabled: true, bitDepth: 12, holdRateHz: 16000 },
    packetLoss: { enabled: true, lossPercent: 5, burstiness: 0.3 },
    gate: { enabled: true },
  }),
];
