import type { Benchmark, BenchOptions } from '../bench/benchmark.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import { HapticEngine, type HapticEngineOptions } from './hapticEngine.ts';
import { nativeKernelAvailable } from './nativeMixKernel.ts';

const SAMPLE_RATE = 48000;
const BLOCK = 128;
const NO_INPUTS: Float32Array[] = [];
const seconds = (o: BenchOptions) => o.seconds ?? 10;

/**
 * The full-load case of issue 2: 8 travelling + 4 standing stimuli sounding, 32 transducers, 48 kHz,
 * block 128, linear interpolation, sources at fixed positions (spread by bend/timbre per channel).
 * setup() starts the notes and renders 1 s so every stimulus is past its attack; the timed run renders
 * `--seconds` (default 10) more through process() directly (render() would add a 32-channel copy).
 */
function fullLoad(options: HapticEngineOptions) {
  return (o: BenchOptions) => {
    const engine = new HapticEngine({ interpolation: 'linear' }, options);
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: BLOCK });
    const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(BLOCK));
    const events: EngineEvent[] = [];
    for (let ch = 0; ch < 12; ch++) {
      const travelling = ch < 8;
      for (const [kind, value] of [[EventKind.PitchBend, ((ch % 8) - 3.5) / 4], [EventKind.Timbre, (ch % 4) / 3], [EventKind.NoteOn, travelling ? 40 : 90]] as const) {
        const e = makeEvent();
        Object.assign(e, { kind, channel: ch, note: kind === EventKind.NoteOn ? 36 + 3 * ch : 0, value, offsetFrames: ch });
        events.push(e);
      }
    }
    engine.process(NO_INPUTS, outputs, BLOCK, events, events.length);
    const blocks = Math.round((seconds(o) * SAMPLE_RATE) / BLOCK);
    for (let i = 0; i < SAMPLE_RATE / BLOCK; i++) engine.process(NO_INPUTS, outputs, BLOCK, events, 0);
    const status = engine.getStatus();
    if (status.activeTravelling !== 8 || status.activeStanding !== 4) throw new Error(`haptic bench: expected 8 + 4 active stimuli, got ${status.activeTravelling} + ${status.activeStanding}`);
    return () => {
      for (let i = 0; i < blocks; i++) engine.process(NO_INPUTS, outputs, BLOCK, events, 0);
    };
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'haptic',
    description: `haptic full load: 8 travelling + 4 standing stimuli, 32 transducers, 48 kHz, block 128, linear (the engine's default kernels in Node: ${nativeKernelAvailable() ? 'native C, built by the install' : 'WebAssembly SIMD — the native ones are not built here'})`,
    audioSeconds: seconds,
    setup: fullLoad({}),
    target: { realtimeFactorAtLeast: 40 },
  },
  {
    name: 'haptic_wasm_kernel',
    description: 'the same full load with the WebAssembly SIMD kernels (what a browser runs, and Node where the native kernels are not built)',
    audioSeconds: seconds,
    setup: fullLoad({ kernel: 'wasm' }),
  },
  {
    name: 'haptic_js_kernel',
    description: 'the same full load with the plain typed-array JavaScript reference kernels (the "before" figure)',
    audioSeconds: seconds,
    setup: fullLoad({ kernel: 'js' }),
  },
];
