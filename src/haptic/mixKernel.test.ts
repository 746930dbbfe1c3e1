import { describe, expect, it } from 'vitest';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { HapticEngine } from './hapticEngine.ts';
import { createJsMixKernel } from './jsMixKernel.ts';
import { createWasmMemory, instantiateMixKernel } from './mixKernel.ts';

const events = [
  at.pitchBend(0, 1, 0.4), at.noteOn(3, 1, 50, 30), at.noteOn(40, 2, 57, 50), at.noteOn(41, 3, 62, 120),
  at.timbre(700, 1, 0.9), at.noteOff(3000, 2, 57), at.panic(5000),
];

describe('the WebAssembly SIMD kernels', () => {
  for (const interpolation of ['linear', 'cubic'] as const) {
    it(`render bit-identically to the plain JavaScript reference kernels (${interpolation}, block 37)`, () => {
      const config = { interpolation, masterGainDb: 6, envelope: { attackMs: 3, releaseMs: 30 } };
      const wasm = render(new HapticEngine(config, { kernel: 'wasm' }), { sampleRate: 48000, blockFrames: 37, frames: 6000, events });
      const js = render(new HapticEngine(config, { kernel: 'js' }), { sampleRate: 48000, blockFrames: 37, frames: 6000, events });
      expect(wasm.some((ch) => ch.some((v) => v !== 0))).toBe(true);
      for (let t = 0; t < 32; t++) expect(new Uint32Array(wasm[t].buffer)).toEqual(new Uint32Array(js[t].buffer));
    });
  }

  it('clip to ±1, count the clipped samples, map NaN to +1 and flush subnormals to 0', () => {
    const memory = createWasmMemory(4096);
    const k = instantiateMixKernel(memory);
    const f32 = new Float32Array(memory.buffer);
    f32.set([3, Number.NaN, -0, 1e-40, -2, 0.5, -0.25]);
    const clipped = k.finish(0, 64, 7, 1, 512, 516);
    expect(clipped).toBe(2);
    expect(Array.from(f32.subarray(0, 7))).toEqual([1, 1, 0, 0, -1, 0.5, -0.25]);
    expect(f32[128]).toBe(1); // peak
    const js = createJsMixKernel(memory);
    f32.set([3, Number.NaN, -0, 1e-40, -2, 0.5, -0.25]);
    expect(js.finish(0, 64, 7, 1, 512, 516)).toBe(2);
  });

  it('meters a block whose every sample is flushed as peak 0 and sum of squares 0, as the JavaScript reference does', () => {
    const memory = createWasmMemory(4096);
    const f32 = new Float32Array(memory.buffer);
    const kernels = [instantiateMixKernel(memory), createJsMixKernel(memory)];
    const meters = kernels.map((k) => {
      f32.fill(0, 0, 128);
      f32.set([1e-40, -3e-39, 2e-39, 1e-45, -1e-40, 5e-39, 1e-39, -2e-39, 3e-40], 0); // 8 in the vector loop, 1 in the tail
      k.finish(0, 64, 9, 1, 512, 516);
      return [f32[128], f32[129]];
    });
    expect(meters[0]).toEqual([0, 0]);
    expect(meters[1]).toEqual([0, 0]);
  });
});
