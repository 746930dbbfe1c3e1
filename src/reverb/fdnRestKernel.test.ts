import { describe, expect, it } from 'vitest';
import { firstDifference } from '../conformance/checks.ts';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { FdnReverb } from './fdnReverb.ts';
import { REVERB_PARAM_NAMES, type ReverbParamsInput } from './reverbParams.ts';

const SAMPLE_RATE = 48000;
const FRAMES = 12000;
const index = (name: (typeof REVERB_PARAM_NAMES)[number]) => REVERB_PARAM_NAMES.indexOf(name);

/** Seeded noise bursts with a NaN, an Inf and a huge sample in them (the input stage must clean them identically). */
function input(): Float32Array[] {
  let x = 99;
  const channels = [0, 1].map(() => Float32Array.from({ length: FRAMES }, (_, i) => {
    x = (x * 1103515245 + 12345) >>> 0;
    return i % 4000 < 1500 ? (x / 2 ** 32 - 0.5) * 0.8 : 0;
  }));
  channels[0][100] = Number.NaN;
  channels[1][200] = Number.POSITIVE_INFINITY;
  channels[0][300] = 3e9;
  return channels;
}

/** Events that move every path on and off the rest kernel: ramps of the mix, pre-delay and decay, then rest again. */
const jumps = [
  at.param(2100, index('wetDry'), 0.8),
  at.param(4000, index('preDelaySamples'), 301),
  at.param(6100, index('rt60Seconds'), 0.9),
  at.param(9000, index('preDelayMs'), 0),
];

function renderWith(kernel: 'js' | 'wasm', params: Partial<ReverbParamsInput>, blockFrames: number, events = jumps): Float32Array[] {
  return renderAndState(kernel, params, blockFrames, events).output;
}

/**
 * The output and the network's f64 state after the render: the outputs are float32, so a difference in
 * the low bits of the f64 recursion (a rounding in a different place) rarely reaches them; the rings do.
 */
function renderAndState(kernel: 'js' | 'wasm', params: Partial<ReverbParamsInput>, blockFrames: number, events = jumps) {
  const engine = new FdnReverb(params, 'test params', { kernel });
  const output = render(engine, { sampleRate: SAMPLE_RATE, blockFrames, frames: FRAMES, input: input(), events });
  const { core } = engine.getState();
  return { output, f64State: [...core.rings, core.filterState, engine.getState().preL, engine.getState().preR] };
}

/** First index where two f64 arrays differ bit for bit (as in firstDifference), or null. */
function firstStateDifference(a: Float64Array[], b: Float64Array[]): { array: number; index: number } | null {
  for (let k = 0; k < a.length; k++) {
    const x = new BigUint64Array(a[k].buffer, a[k].byteOffset, a[k].length);
    const y = new BigUint64Array(b[k].buffer, b[k].byteOffset, b[k].length);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return { array: k, index: i };
  }
  return null;
}

describe('the WebAssembly rest kernel of the Hadamard FDN', () => {
  const cases: [string, Partial<ReverbParamsInput>][] = [
    ['N = 4', { lines: 4, rt60HighSeconds: 0.8, preDelayMs: 2 }],
    ['N = 8, pre-delay 0', { lines: 8, rt60Seconds: 2, rt60HighSeconds: 1, preDelayMs: 0 }],
    ['N = 16', { lines: 16, rt60HighSeconds: 0.9, preDelaySamples: 96, wetDry: 0.6 }],
    ['N = 32, short lines', { lines: 32, delayMinMs: 5, delayMaxMs: 40 }],
  ];
  for (const [name, params] of cases) {
    it(`renders the same bits as the JavaScript kernels (${name}, blocks 1, 97 and 512, with ramps between rests)`, () => {
      const reference = renderAndState('js', params, 512);
      expect(reference.output[0].some((v) => v !== 0)).toBe(true);
      for (const block of [1, 97, 512]) {
        const fast = renderAndState('wasm', params, block);
        expect(firstDifference(reference.output, fast.output)).toBeNull();
        expect(firstStateDifference(reference.f64State, fast.f64State)).toBeNull();
      }
    });
  }

  it('leaves networks it does not cover to the JavaScript kernels (Householder, N = 2): identical to kernel "js"', () => {
    for (const params of [{ lines: 8, matrix: 'householder' as const }, { lines: 2 }]) {
      expect(firstDifference(renderWith('js', params, 128), renderWith('wasm', params, 128))).toBeNull();
    }
  });

  it('shares its state with the JavaScript path: a state saved under one kernel continues bit-identically under the other', () => {
    const params = { lines: 16, rt60HighSeconds: 0.9 };
    const first = new FdnReverb(params, 'test params', { kernel: 'wasm' });
    render(first, { sampleRate: SAMPLE_RATE, blockFrames: 256, frames: 5000, input: input() });
    const second = new FdnReverb(params, 'test params', { kernel: 'js' });
    second.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 256 });
    second.setState(first.getState());
    const more = { sampleRate: SAMPLE_RATE, blockFrames: 256, frames: 3000, input: input(), prepare: false };
    expect(firstDifference(render(first, more), render(second, more))).toBeNull();
  });
});
