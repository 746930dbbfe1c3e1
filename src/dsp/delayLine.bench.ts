import type { Benchmark, BenchOptions } from '../bench/benchmark.ts';
import { DelayLine } from './delayLine.ts';
import type { InterpolatorKind } from './interpolators/interpolator.ts';

/*
 * Measured on this 2-core machine in CPU time (wall-clock figures were 3–5× lower while other jobs
 * loaded it): per-sample readTaps linear 255×, cubic 134× real time; block readInto linear 310× → 370×
 * and cubic 216× → 233× after hoisting the taps out of the loop and skipping the mask when the window
 * does not wrap.
 */
const SAMPLE_RATE = 48000;
const BLOCK_FRAMES = 128;
const TAPS = 32;
const seconds = (o: BenchOptions) => o.seconds ?? 5;

/** Fractional delays of 32 transducers 5–60 cm from a source at 100 m/s, in samples at 48 kHz. */
function tapDelays(): Float64Array {
  return Float64Array.from({ length: TAPS }, (_, k) => ((0.05 + (0.55 * k) / TAPS) / 100) * SAMPLE_RATE + 0.37);
}

/** One delay line, 32 fractional taps, per sample: write() then readTaps() (the haptic engine's shape). */
function perSample(kind: InterpolatorKind): Benchmark {
  return {
    name: `dsp_delay_${kind}_32taps_per_sample`,
    description: `DelayLine (${kind}), 32 taps read per sample with readTaps, 48 kHz`,
    audioSeconds: seconds,
    setup: (options) => {
      const line = new DelayLine(kind);
      line.prepare(1024, BLOCK_FRAMES, TAPS);
      const delays = tapDelays();
      const out = new Float64Array(TAPS);
      const frames = Math.round(seconds(options) * SAMPLE_RATE);
      return () => {
        let x = 0.1;
        for (let n = 0; n < frames; n++) {
          x = -x;
          line.write(x);
          line.readTaps(delays, out, TAPS);
        }
      };
    },
  };
}

/** Block-structured: writeBlock(128) then one readInto per tap (channel-major) into Float32 outputs. */
function perBlock(kind: InterpolatorKind): Benchmark {
  return {
    name: `dsp_delay_${kind}_32taps_block`,
    description: `DelayLine (${kind}), 32 taps read with readInto per 128-frame block, 48 kHz`,
    audioSeconds: seconds,
    setup: (options) => {
      const line = new DelayLine(kind);
      line.prepare(1024, BLOCK_FRAMES, TAPS);
      const delays = tapDelays();
      const input = Float32Array.from({ length: BLOCK_FRAMES }, (_, i) => Math.sin(i * 0.1));
      const outputs = Array.from({ length: TAPS }, () => new Float32Array(BLOCK_FRAMES));
      const blocks = Math.ceil((seconds(options) * SAMPLE_RATE) / BLOCK_FRAMES);
      return () => {
        for (let b = 0; b < blocks; b++) {
          line.writeBlock(input, BLOCK_FRAMES);
          for (let k = 0; k < TAPS; k++) line.readInto(outputs[k], BLOCK_FRAMES, delays[k], 0, k);
        }
      };
    },
  };
}

export const benchmarks: Benchmark[] = [perSample('linear'), perBlock('linear'), perSample('cubic'), perBlock('cubic')];
