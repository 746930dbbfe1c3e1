import { describe, expect, it } from 'vitest';
import { type EngineEvent, at, makeEvent } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { HapticEngine, type HapticEngineOptions } from './hapticEngine.ts';
import { nativeKernelAvailable } from './nativeMixKernel.ts';

/**
 * The engine on the native kernels (built by the install, so required here) against the WebAssembly
 * ones: the same bits, meters and clip counts, whether the limiter writes straight into the host's arrays
 * (the same arrays every block, as render() passes them) or the host passes new arrays every block, or
 * detaches one. The kernels one by one are checked in mixKernel.reference.test.ts.
 */
const events = [
  at.pitchBend(0, 1, 0.4), at.noteOn(3, 1, 50, 30), at.noteOn(40, 2, 57, 50), at.noteOn(41, 3, 62, 120), at.noteOn(45, 4, 64, 127),
  at.timbre(700, 1, 0.9), at.noteOff(3000, 2, 57), at.panic(5000),
];
/** Loud enough to clip (the clip count is compared too). */
const config = { masterGainDb: 12, envelope: { attackMs: 3, releaseMs: 30 } };

const words = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** One note-on per block for the first blocks, then none: the engine's blocks driven by hand with `outputsFor(block)`. */
function drive(kernel: HapticEngineOptions['kernel'], blocks: number, frames: number, outputsFor: (block: number) => Float32Array[]) {
  const engine = new HapticEngine(config, { kernel });
  engine.prepare({ sampleRate: 48000, maxBlockFrames: frames });
  const out: number[][] = Array.from({ length: engine.numOutputs }, () => []);
  const ev: EngineEvent[] = [makeEvent()];
  for (let b = 0; b < blocks; b++) {
    Object.assign(ev[0], { kind: 1, channel: b % 16, note: 40 + b, value: 100, offsetFrames: b % frames });
    const outputs = outputsFor(b);
    engine.process([], outputs, frames, ev, b < 12 ? 1 : 0);
    for (let t = 0; t < engine.numOutputs; t++) if (outputs[t].length > 0) out[t].push(...words(outputs[t].subarray(0, frames)));
  }
  return { out, stats: engine.getStats(), status: engine.getStatus() };
}

describe('the native haptic kernels in the engine', () => {
  it('are built here and are the engine’s default in Node', () => {
    expect(nativeKernelAvailable()).toBe(true);
    expect(new HapticEngine().kernelKind).toBe('native');
  });

  for (const interpolation of ['linear', 'cubic'] as const) {
    it(`render the bits, meters and clip count of the WebAssembly kernels (${interpolation}, block 37, the host's arrays written directly)`, () => {
      const engines = [new HapticEngine({ ...config, interpolation }, { kernel: 'native' }), new HapticEngine({ ...config, interpolation }, { kernel: 'wasm' })];
      const [native, wasm] = engines.map((engine) => render(engine, { sampleRate: 48000, blockFrames: 37, frames: 6000, events }));
      expect(native.some((ch) => ch.some((v) => v !== 0))).toBe(true);
      for (let t = 0; t < 32; t++) expect(words(native[t])).toEqual(words(wasm[t]));
      expect(engines[0].getStats().clippedSamples).toBeGreaterThan(0);
      expect(engines[0].getStats()).toEqual(engines[1].getStats());
      const meters = (e: HapticEngine) => ({ ...e.getStatus(), loadFraction: 0 }); // the load is timed
      expect(meters(engines[0])).toEqual(meters(engines[1]));
    });
  }

  it('write the same bits when the host passes new arrays every block (re-bound, then copied)', () => {
    const fresh = () => Array.from({ length: 32 }, () => new Float32Array(64));
    const native = drive('native', 40, 64, fresh);
    const wasm = drive('wasm', 40, 64, fresh);
    expect(native.out).toEqual(wasm.out);
    expect(native.stats).toEqual(wasm.stats);
  });

  it('write the same bits when the host swaps one array between blocks, and survive a detached one', () => {
    const run = (kernel: HapticEngineOptions['kernel']) => {
      const outputs = Array.from({ length: 32 }, () => new Float32Array(64));
      return drive(kernel, 30, 64, (b) => {
        if (b === 10) outputs[5] = new Float32Array(64);
        if (b === 20) structuredClone(outputs[7].buffer, { transfer: [outputs[7].buffer] }); // outputs[7] now reads length 0
        if (b === 25) outputs[7] = new Float32Array(64);
        return outputs;
      });
    };
    const native = run('native');
    const wasm = run('wasm');
    expect(native.out[7].length).toBe(64 * 25);
    expect(native.out).toEqual(wasm.out);
  });

  it('write the same bits into arrays on a SharedArrayBuffer whose slots a host cycles through, and into a list with a non-Float32Array', () => {
    const run = (kernel: HapticEngineOptions['kernel']) => {
      const ring = new SharedArrayBuffer(3 * 32 * 64 * 4);
      const slots = [0, 1, 2].map((slot) => Array.from({ length: 32 }, (_, t) => new Float32Array(ring, (slot * 32 + t) * 256, 64)));
      const odd = Array.from({ length: 32 }, (_, t) => (t === 9 ? (new Float64Array(64) as unknown as Float32Array) : new Float32Array(64)));
      return drive(kernel, 20, 64, (b) => (b >= 6 ? odd : slots[b % 3])); // 7 bindings: all within MAX_OUTPUT_REBINDS
    };
    const native = run('native');
    const wasm = run('wasm');
    expect(native.out).toEqual(wasm.out);
  });
});
