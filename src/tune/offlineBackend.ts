import type { EngineEntry } from '../engine/engineDefinition.ts';
import { render } from '../engine/render.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { type TunableValues, applyTunableValues, tunableValuesOf } from './tunableParams.ts';
import type { TunerBackend } from './tunerBackend.ts';
import { type InputLoop, loopedInput } from './tunerInput.ts';
import type { TuningCapture } from './tuningMetrics.ts';
import type { TunerPresets } from './tunerPresets.ts';
import { wetResponse } from './wetResponse.ts';

const BLOCK_FRAMES = 128;
/** The impulse response is rendered until a second of it stays this far below its peak, dB… */
const IR_END_BELOW_PEAK_DB = 100;
/** …or for this long at most. */
const MAX_IR_SECONDS = 30;
/** Shortest warm-up before the analysis window (the engine's smoothing and any codec latency settle). */
const MIN_WARMUP_SECONDS = 1;
/** Loops up to this long are warmed up in whole loops, so the window starts where a loop starts. */
const WHOLE_LOOP_WARMUP_MAX_SECONDS = 10;

export interface OfflineBackendOptions {
  engine: string;
  /** Parameters to start from (a preset's, parsed). */
  params: unknown;
  input: InputLoop;
  windowSeconds: number;
  /** Measure the decay from a rendered impulse response with this dry path taken out (reverbs); otherwise `noDecayReason` says why not. */
  dryGain: ((values: TunableValues) => number) | null;
  noDecayReason: string;
  presets: TunerPresets;
}

function peakOf(channels: readonly Float32Array[], from = 0): number {
  let p = 0;
  for (const x of channels) for (let i = from; i < x.length; i++) p = Math.max(p, Math.abs(x[i]));
  return p;
}

/**
 * The engine's response to a unit impulse on every input, from a fresh engine: rendered a second at a
 * time until the last second stays IR_END_BELOW_PEAK_DB below the peak (or MAX_IR_SECONDS), so the
 * decay analysis sees the whole decay down to its noise-free end.
 */
export function renderImpulseResponse(entry: EngineEntry, params: unknown, sampleRate: number): Float32Array[] {
  const engine = entry.create(params);
  const second = sampleRate;
  const chunks: Float32Array[][] = [];
  let peak = 0;
  for (let s = 0; s < MAX_IR_SECONDS; s++) {
    const input = s === 0 ? Array.from({ length: engine.numInputs }, () => { const x = new Float32Array(second); x[0] = 1; return x; }) : undefined;
    const chunk = render(engine, { sampleRate, blockFrames: BLOCK_FRAMES, frames: second, input, prepare: s === 0, startFrame: s * second });
    chunks.push(chunk);
    const p = peakOf(chunk);
    peak = Math.max(peak, p);
    if (p <= peak * 10 ** (-IR_END_BELOW_PEAK_DB / 20)) break;
  }
  return Array.from({ length: engine.numOutputs }, (_, c) => {
    const out = new Float32Array(chunks.length * second);
    chunks.forEach((chunk, k) => out.set(chunk[c], k * second));
    return out;
  });
}

/**
 * The offline tuner: parameters are a value here, and every capture renders the looped input through
 * a fresh engine, and the wet impulse response (wetResponse.ts) for the decay figures (src/engine/render.ts) — warm-up (at least MIN_WARMUP_SECONDS and the impulse
 * response's length, in whole loops for short loops) and then the analysis window — so a capture is a
 * pure function of (parameters, input), as a live snapshot of a server that has run for a while is.
 */
export class OfflineBackend implements TunerBackend {
  readonly mode = 'offline';
  private params: unknown;
  private readonly entry: EngineEntry;

  constructor(private readonly options: OfflineBackendOptions) {
    this.entry = engineEntry(options.engine);
    this.params = options.params;
  }

  async setValues(values: TunableValues): Promise<void> {
    this.params = applyTunableValues(this.options.engine, this.params, values, `${this.options.engine} parameters`);
  }

  async getValues(): Promise<TunableValues> {
    return tunableValuesOf(this.options.engine, this.params);
  }

  async loadPreset(name: string): Promise<void> {
    this.params = this.options.presets.load(name).params;
  }

  async capture(): Promise<TuningCapture> {
    const { input, windowSeconds } = this.options;
    const sampleRate = input.sampleRate;
    const { dryGain } = this.options;
    const out = dryGain ? renderImpulseResponse(this.entry, this.params, sampleRate) : null;
    const gain = dryGain ? dryGain(tunableValuesOf(this.options.engine, this.params)) : null;
    const ir = out && gain !== null ? wetResponse(out, [Float32Array.of(1)], gain) : null;
    const loopFrames = input.channels[0].length;
    let warmupFrames = Math.max(Math.round(MIN_WARMUP_SECONDS * sampleRate), ir?.[0].length ?? 0);
    if (loopFrames <= WHOLE_LOOP_WARMUP_MAX_SECONDS * sampleRate) warmupFrames = Math.ceil(warmupFrames / loopFrames) * loopFrames;
    const windowFrames = Math.round(windowSeconds * sampleRate);
    const dryAll = loopedInput(input, warmupFrames + windowFrames);
    const wetAll = render(this.entry.create(this.params), { sampleRate, blockFrames: BLOCK_FRAMES, frames: warmupFrames + windowFrames, input: dryAll });
    return {
      sampleRate,
      dry: dryAll.map((x) => x.slice(warmupFrames)),
      wet: wetAll.map((x) => x.slice(warmupFrames)),
      dryGain: gain,
      impulseResponse: ir ? { channels: ir, source: 'wet impulse response rendered offline' } : { reason: this.options.noDecayReason, notApplicable: true },
    };
  }

  savePreset(name: string, force: boolean): Promise<string> {
    return this.options.presets.save(name, this.params, force);
  }

  async close(): Promise<void> {}
}
