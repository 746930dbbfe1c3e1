import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { runSteps, zeroInSteps } from '../engine/prepareInSteps.ts';
import { prepareWarmUpEnabled } from '../engine/prepareWarmUp.ts';
import { delayLengthsSamples } from './delayLengths.ts';
import { MOD_INCREMENT, MOD_TARGET } from './delayModulation.ts';
import { mixDryWet } from './dryWetMix.ts';
import { FdnCore } from './fdnCore.ts';
import type { FdnCoreState } from './fdnCoreState.ts';
import { FdnRestKernel } from './fdnRestKernel.ts';
import { LineCoefficientDesign } from './lineCoefficientDesign.ts';
import {
  PARAM_EVENT_MAX, PARAM_EVENT_MIN, P_DEPTH, P_PREDELAY, P_PREDELAY_SAMPLES, P_RATE, P_RT60_LOW, P_WET,
} from './reverbParamIndex.ts';
import { REVERB_PARAM_NAMES, type ReverbParams, type ReverbParamsInput, reverbParamsSchema } from './reverbParams.ts';
import { ReverbSmoothing, S_PRE_DELAY_TARGET, S_WET_TARGET } from './reverbSmoothing.ts';
import { StereoPreDelay } from './stereoPreDelay.ts';

export interface FdnReverbState {
  core: FdnCoreState;
  /**
   * Continuous parameter values in `paramNames` order (rt60HighSeconds NaN = follows rt60Seconds,
   * rt60LowSeconds NaN = no low anchor, preDelaySamples NaN = given in ms).
   */
  values: Float64Array;
  preL: Float64Array;
  preR: Float64Array;
  prePos: number;
  /** [preDelay, preDelayTarget, preDelayStep, wet, dry, wetStep, dryStep, wetTarget] */
  smooth: Float64Array;
  /** [preDelayRemaining, mixRemaining] */
  remaining: Int32Array;
}

/** The largest line count prepareThread warms up ahead (32 lines cost the most to warm up and are rarely switched to). */
const MAX_LINES_FOR_WARM_UP = 16;
/** Param events applied directly in the warm-up; the first WARM_UP_DESIGNS go through every parameter, the rest through UNDESIGNED_PARAMS. */
const WARM_UP_EVENTS = 20000;
const WARM_UP_DESIGNS = 900;
const WARM_UP_SHELF_SWITCHES = 2000;
/** Periods rendered at rest at the end of the warm-up (the rest kernel's path). */
const WARM_UP_REST_PERIODS = 3000;
/**
 * Direct calls of the rest kernel's render (one frame each) in the warm-up: its JavaScript side runs once a
 * period, and the periods at rest alone left it unoptimised in ~1 of 11 fresh isolates (see warmUpSteps).
 */
const WARM_UP_REST_RENDERS = 10000;
/** Periods rendered in each other steady state (modulated, shelved) at the end of the warm-up. */
const WARM_UP_STEADY_PERIODS = 600;
/** Parameters whose events redesign no loop filter (cheap to repeat). */
const UNDESIGNED_PARAMS = [P_WET, P_PREDELAY, P_DEPTH, P_RATE, P_PREDELAY_SAMPLES];
const WARM_UP_ROUNDS = 4;
/** The share of the long warm-up's loops a later engine of an already warmed shape runs (FdnReverb.warmUp). */
const WARM_UP_REPEAT_SCALE = 0.05;
/** Blocks rendered at rest after each warm-up event's ramp (the rest kernel's share of the warm-up). */
const WARM_UP_REST_BLOCKS = 8;
/** Param events applied (or shelf switches made) between two pauses of the stepped warm-up (prepareSteps). */
const WARM_UP_EVENTS_PER_STEP = 50;
/** Direct rest-kernel renders between two pauses of the stepped warm-up (one frame each: cheaper than an event). */
const WARM_UP_REST_RENDERS_PER_STEP = 500;
const WARM_UP_VALUES = [[0.5, 0.9, 1.5, 0.8, 3, 0.5, 10, 2, 100], [0.2, 1, 2.5, 2, 0, 0, 7, 3, 0]];

/** Implementation choices that do not change the output (bit-identical either way). */
export interface FdnReverbOptions {
  /**
   * 'wasm' (default): Hadamard networks of 4…32 lines render their rest state in WebAssembly
   * (fdnRestKernel.ts); 'js': always the JavaScript kernels (the reference).
   */
  kernel?: 'wasm' | 'js';
}

/** Bumped whenever a change alters the output for unchanged parameters (recorded in golden sidecars). */
export const FDN_REVERB_VERSION = '1.1.0';

/**
 * Stereo feedback-delay-network reverb (Jot & Chaigne 1991; Smith, PASP "Feedback Delay Networks").
 * `lines` delay lines of distinct prime lengths spread over `delayMinMs…delayMaxMs`, an orthogonal
 * feedback matrix from the dsp registry, a one-pole absorption filter per line (Jot's RT60 design, or
 * manual damping; with a low target a low shelf times that one-pole, threeAnchorAbsorption.ts),
 * pre-delay (ms or whole samples), dry/wet mix, and optional LFO modulation of the line lengths read
 * through the cubic (or linear) interpolator. Param events (see `paramNames`) take effect at their
 * sample and ramp linearly over `smoothingMs`. The network runs in chunks (see `FdnCore`), so the
 * output is bit-identical at every block size. A chunk goes through the input stage (stereoPreDelay.ts),
 * the network (fdnCore.ts, its loop filters designed by lineCoefficientDesign.ts) and the dry/wet mix
 * (dryWetMix.ts); the pre-delay and mix ramps are reverbSmoothing.ts, the event ranges reverbParamIndex.ts.
 */
export class FdnReverb implements Engine<FdnReverbState> {
  readonly name = 'reverb';
  readonly numInputs = 2;
  readonly numOutputs = 2;
  readonly paramNames = REVERB_PARAM_NAMES;
  readonly params: ReverbParams;
  private sampleRate = 48000;
  private core!: FdnCore;
  private coefficientDesign!: LineCoefficientDesign;
  private preDelay!: StereoPreDelay;
  private readonly values = new Float64Array(REVERB_PARAM_NAMES.length);
  /** Copied out of `params`: the audio path never reads the params object, whose shape varies. */
  private readonly rt60Mode: boolean;
  private readonly smoothing = new ReverbSmoothing();
  private rampFrames = 0;
  private yL = new Float64Array(0);
  private yR = new Float64Array(0);
  private silence = new Float32Array(0);
  private readonly eventValue = new Float64Array(1);
  /** Network shapes whose paths this isolate has warmed up in full (warmUp). */
  private static readonly warmedShapes = new Set<string>();
  private readonly kernelKind: 'wasm' | 'js';
  /** The WebAssembly rest kernel, when the network has one (see FdnReverbOptions). */
  private rest: FdnRestKernel | null = null;

  constructor(params: Partial<ReverbParamsInput> = {}, source = 'FdnReverb params', options: FdnReverbOptions = {}) {
    this.params = parseParams(reverbParamsSchema, params, source);
    this.rt60Mode = this.params.decayMode === 'rt60';
    this.kernelKind = options.kernel ?? 'wasm';
  }

  /**
   * Before a live host's stream starts (EngineEntry.prepareThread): compiles the WebAssembly any network needs
   * (the rest kernel of every line count; the loop design's one module is compiled by the thread's first
   * engine) and warms up in full each other line count of `params`' network (4, 8, 16, 32 lines; the same
   * matrix, interpolation and decay mode), so that a structural change to one of them is built with the short
   * warm-up and played by code V8 has already optimised for it. Measured on the native JACK rig before this
   * (scenarios/reverb-structure.json, lines 8 → 16): the render thread spent 3.6–5.4 ms in one chain during
   * the first 16-line build and again in the first blocks after the switch — 2–8 underruns a run.
   */
  static prepareThread(params: ReverbParams, options: PrepareOptions): void {
    FdnRestKernel.precompile();
    for (let lines = 4; lines <= 32; lines *= 2) {
      if (lines === params.lines || lines > MAX_LINES_FOR_WARM_UP) continue;
      const p = { ...params, lines, damping: Array.isArray(params.damping) ? params.damping[0] ?? 0.2 : params.damping };
      if (reverbParamsSchema.safeParse(p).success) new FdnReverb(p).prepare(options);
    }
  }

  /** Line lengths in samples at the prepared rate. */
  get delaySamples(): Int32Array {
    return this.core.delaySamples;
  }

  /**
   * The loop's per-line one-pole coefficients at present (b0 includes the line gain), and the low
   * shelves [c0, c1, q] (in use only with a low target; see threeAnchorAbsorption.ts).
   */
  get lineCoefficients(): { b0: Float64Array; pole: Float64Array; shelf: readonly Float64Array[] } {
    const c = this.core.coefficients;
    return { b0: c.b0, pole: c.pole, shelf: c.shelf };
  }

  /** Energy stored in the delay lines (Σ over the last m_i samples of each line), for losslessness tests. */
  storedEnergy(): number {
    return this.core.storedEnergy();
  }

  prepare(options: PrepareOptions): void {
    runSteps(this.prepareSteps(options));
  }

  /**
   * prepare() in pieces (SteppedPrepare, prepareInSteps.ts): the allocations and designs, each delay line
   * cleared, the warm-up a block or a few dozen events at a time — the same engine as prepare() makes.
   */
  *prepareSteps({ sampleRate, maxBlockFrames }: PrepareOptions): Generator<void, void, void> {
    const p = this.params;
    this.sampleRate = sampleRate;
    const delays = delayLengthsSamples(p.lines, sampleRate, p.delayMinMs, p.delayMaxMs);
    const rest = this.kernelKind === 'wasm' && FdnRestKernel.supports(p.lines, p.matrix) ? new FdnRestKernel(delays, sampleRate, maxBlockFrames) : null;
    yield;
    this.coefficientDesign = new LineCoefficientDesign(p, sampleRate, delays);
    yield;
    this.core = new FdnCore(delays, p.matrix, p.seed, p.interpolation, rest?.alloc, this.coefficientDesign.alloc);
    this.coefficientDesign.bind(this.core.coefficients);
    yield;
    const chunk = this.core.maxChunkFrames;
    this.preDelay = new StereoPreDelay(sampleRate, chunk, this.core.inputGain, this.smoothing, rest?.alloc);
    rest?.bind(this.core, this.preDelay);
    this.rest = rest;
    this.yL = new Float64Array(chunk);
    this.yR = new Float64Array(chunk);
    this.silence = new Float32Array(Math.max(1, maxBlockFrames));
    this.rampFrames = Math.round((p.smoothingMs * sampleRate) / 1000);
    yield;
    yield* this.resetSteps();
    if (prepareWarmUpEnabled()) {
      yield* this.warmUpSteps(maxBlockFrames);
      yield* this.resetSteps();
    }
  }

  /**
   * Runs every path a Param event can take before the audio thread needs it, so that V8 has optimised
   * it: unoptimised JavaScript boxes every double it computes (an allocation per sample in a ramp
   * kernel), a branch first met on the audio thread deoptimises its function, and a function first
   * called there is compiled there. In order: the event path alone WARM_UP_EVENTS times (each
   * function of it often enough to be optimised on its own); the shelf switch; then through
   * `process()` itself with real event lists, each parameter alone (its own ramp kernels: a mix or
   * pre-delay ramp alone renders the JavaScript network at rest, a coefficient ramp the per-line
   * kernels, a depth the modulated ones) followed by blocks at rest, unshelved and then shelved,
   * WARM_UP_ROUNDS times with two values each; last, each steady state a period can be in (modulated,
   * shelved, both, and the rest kernel — whose render is also called directly, see below) for a few
   * hundred to a few thousand periods. The loop design
   * itself runs in WebAssembly (lineCoefficientDesign.ts). `reset()` afterwards restores the fresh
   * state. Measured with fdnRareEvents.test.ts (a fresh isolate per parameter): 0 bytes per rare
   * event after the first 20; the first 4000 periods after prepare() 0–1200 bytes (V8 optimising the
   * probe's own loop; 216 isolates at idle, none with render still unoptimised — 8 of 90 before the
   * direct renders), up to 1.7 KB at load 10 when the background compiler delivers late. Cost: a
   * prepare() of 16 lines takes ~75–200 ms, the first of a process 0.4–1.2 s (load 10; was ~20 ms).
   */
  private *warmUpSteps(maxBlockFrames: number): Generator<void, void, void> {
    const block = Math.min(maxBlockFrames, 64);
    // V8 shares optimised code between the instances of an isolate: the long warm-up once per isolate and
    // shape of network, a short one (every path still run, a few times) for the next engine of that shape —
    // a structural switch or a preset load builds one while audio runs (in-thread hosts, the worklet).
    const shape = `${this.params.lines}|${this.params.matrix}|${this.params.interpolation}|${this.kernelKind}|${this.rt60Mode}|${block}|${this.rest !== null}`;
    const full = !FdnReverb.warmedShapes.has(shape);
    FdnReverb.warmedShapes.add(shape);
    const scale = full ? 1 : WARM_UP_REPEAT_SCALE;
    const input = new Float32Array(block).map((_, i) => (i % 2 ? 0.25 : -0.25));
    const inputs = [input, input];
    const outputs = [new Float32Array(block), new Float32Array(block)];
    const event = makeEvent();
    event.kind = EventKind.Param;
    const events = [event];
    const blocksPerEvent = Math.ceil((this.rampFrames + 2 * this.core.maxChunkFrames) / block) + WARM_UP_REST_BLOCKS;
    // The event path, called often enough that V8 optimises each function of it on its own: an event
    // reaches each ramp start from a branch taken too rarely for TurboFan to inline it into its caller.
    for (let k = 0; k < WARM_UP_EVENTS * scale; k++) {
      event.paramIndex = k < WARM_UP_DESIGNS ? k % REVERB_PARAM_NAMES.length : UNDESIGNED_PARAMS[k % UNDESIGNED_PARAMS.length];
      event.value = (k % 5) / 5;
      this.applyEvent(event);
      if (k % WARM_UP_EVENTS_PER_STEP === WARM_UP_EVENTS_PER_STEP - 1) yield;
    }
    // Switching the shelves on copies a sample per line: once per engine's life, so repeated here.
    for (let k = 0; k < WARM_UP_SHELF_SWITCHES * scale; k++) {
      this.core.setShelved(false);
      this.core.setShelved(true);
      if (k % WARM_UP_EVENTS_PER_STEP === WARM_UP_EVENTS_PER_STEP - 1) yield;
    }
    yield* this.resetSteps();
    const unshelved = REVERB_PARAM_NAMES.map((_, index) => index).filter((index) => index !== P_RT60_LOW);
    const order = [...unshelved, P_RT60_LOW, ...unshelved, P_RT60_LOW];
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      for (let k = 0; k < order.length; k++) {
        event.paramIndex = order[k];
        event.value = WARM_UP_VALUES[round % 2][order[k]];
        event.offsetFrames = (round * 7 + k) % block;
        this.process(inputs, outputs, block, events, 1);
        yield;
        for (let b = 1; b < blocksPerEvent; b++) {
          this.process(inputs, outputs, block, events, 0);
          yield;
        }
      }
      yield* this.resetSteps(); // the shelves off again for the next round
    }
    // Every period runs one of these steady paths, so each runs long enough that V8 has optimised it
    // before the audio thread needs it: modulated lines, the shelves (with and without modulation),
    // then the rest kernel (the network at rest, the state reset() leaves).
    const steady = this.rt60Mode ? [[P_DEPTH], [P_RT60_LOW], [P_DEPTH]] : [[P_DEPTH]];
    for (const [index] of steady) {
      event.paramIndex = index;
      event.value = WARM_UP_VALUES[0][index];
      this.process(inputs, outputs, block, events, 1);
      yield;
      for (let b = 1; b < WARM_UP_STEADY_PERIODS * scale; b++) {
        this.process(inputs, outputs, block, events, 0);
        yield;
      }
      if (index === P_DEPTH) yield* this.resetSteps(); // no modulation (and no shelves) for the next state
    }
    // The rest kernel's JavaScript side (render, and the core's advance it calls) runs once a period: the
    // periods at rest below reach it through renderSpan, and whether V8 counts them against render's own
    // budget depends on when its background compiler delivers renderSpan (with render inlined or not) —
    // in ~1 of 11 fresh isolates render was still unoptimised after the warm-up, boxing its doubles
    // (~50 B a period: 0.14–0.25 MB in the first 4000 periods, fdnRareEvents.test.ts). Called directly,
    // one frame at a time, often enough that V8 optimises it on its own, whatever the timing.
    const rest = this.rest;
    if (rest !== null) {
      for (let k = 0; k < WARM_UP_REST_RENDERS * scale; k++) {
        rest.render(this.core, this.preDelay, this.smoothing, 0, 1);
        if (k % WARM_UP_REST_RENDERS_PER_STEP === WARM_UP_REST_RENDERS_PER_STEP - 1) yield;
      }
    }
    yield* this.resetSteps();
    for (let b = 0; b < WARM_UP_REST_PERIODS * scale; b++) {
      this.process(inputs, outputs, block, events, 0);
      yield;
    }
  }

  reset(): void {
    runSteps(this.resetSteps());
  }

  /** reset() in pieces: the delay lines and pre-delay rings ZERO_STEP_SAMPLES at a time (the costliest part: fresh memory is faulted in), then the rest. */
  private *resetSteps(): Generator<void, void, void> {
    const p = this.params;
    for (const ring of this.core.rings) yield* zeroInSteps(ring);
    this.core.clearFilters();
    for (const ring of this.preDelay.rings) yield* zeroInSteps(ring);
    this.preDelay.rewind();
    this.values.set([
      p.wetDry, p.feedbackGain, p.rt60Seconds, p.rt60HighSeconds ?? Number.NaN, p.preDelayMs ?? 0, p.modDepthMs, p.modRateHz,
      p.rt60LowSeconds ?? Number.NaN, p.preDelaySamples ?? Number.NaN,
    ]);
    this.core.setShelved(this.rt60Mode && p.rt60LowSeconds != null);
    this.coefficientDesign.apply(this.values, this.core, 0);
    this.core.modulation.state[MOD_TARGET] = (p.modDepthMs * this.sampleRate) / 1000;
    this.core.modulation.startDepthRamp(0);
    this.core.modulation.state[MOD_INCREMENT] = (2 * Math.PI * p.modRateHz) / this.sampleRate;
    // Whole samples at rest (an exact delay, no interpolation loss); ramps glide between them.
    const pre = p.preDelaySamples ?? Math.round(((p.preDelayMs ?? 0) * this.sampleRate) / 1000);
    this.smoothing.reset(pre, p.wetDry);
  }

  /** Hands a Param event to `applyParam` (the value through a typed array, so no double is boxed). */
  private applyEvent(ev: EngineEvent): void {
    if (ev.kind !== EventKind.Param || !(ev.paramIndex >= 0 && ev.paramIndex < PARAM_EVENT_MIN.length)) return;
    this.eventValue[0] = ev.value;
    this.applyParam(ev.paramIndex | 0);
  }

  /** Sets parameter `index` to `eventValue[0]` (clamped to its range; NaN ignored) and starts its ramp. */
  private applyParam(index: number): void {
    const raw = this.eventValue[0];
    if (Number.isNaN(raw)) return;
    const value = Math.min(PARAM_EVENT_MAX[index], Math.max(PARAM_EVENT_MIN[index], raw));
    this.values[index] = value;
    const ramp = this.rampFrames;
    if (index === P_WET) {
      this.smoothing.values[S_WET_TARGET] = value;
      this.smoothing.startWetRamp(ramp);
    } else if (index === P_PREDELAY || index === P_PREDELAY_SAMPLES) {
      this.smoothing.values[S_PRE_DELAY_TARGET] = index === P_PREDELAY ? Math.round((value * this.sampleRate) / 1000) : Math.round(value);
      this.smoothing.startPreDelayRamp(ramp);
    } else if (index === P_DEPTH) {
      this.core.modulation.state[MOD_TARGET] = (value * this.sampleRate) / 1000;
      this.core.modulation.startDepthRamp(ramp);
    } else if (index === P_RATE) {
      this.core.modulation.state[MOD_INCREMENT] = (2 * Math.PI * value) / this.sampleRate;
    } else {
      if (index === P_RT60_LOW && this.rt60Mode) this.core.setShelved(true);
      this.coefficientDesign.apply(this.values, this.core, ramp);
    }
  }

  /**
   * Reads the events and renders the spans between them. This function only moves integers and
   * event values (loaded doubles are stored, never computed on): the host's event objects may change
   * shape and deoptimise it, and unoptimised code must not box doubles on the audio path.
   */
  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const rest = this.rest;
    let xL = inputs[0] ?? this.silence;
    let xR = inputs[1] ?? xL;
    let oL = outputs[0];
    let oR = outputs[1];
    if (rest !== null) {
      // Every path reads and writes the blocks in the kernel memory, so spans may switch between them.
      rest.copyIn(xL, xR, frames);
      xL = rest.inL;
      xR = rest.inR;
      oL = rest.outL;
      oR = rest.outR;
    }
    let done = 0;
    let e = 0;
    while (done < frames) {
      while (e < eventCount && events[e].offsetFrames <= done) this.applyEvent(events[e++]);
      let n = frames - done;
      if (e < eventCount && events[e].offsetFrames - done < n) n = events[e].offsetFrames - done;
      this.renderSpan(xL, xR, oL, oR, done, n);
      done += n;
    }
    while (e < eventCount) this.applyEvent(events[e++]);
    if (rest !== null) rest.copyOut(outputs[0], outputs[1], frames);
  }

  /**
   * Renders `frames` samples from `offset` in chunks that never cross a ramp end or the chunk limit:
   * the input stage (clean, pre-delay, sum/difference), the network, the dry/wet mix.
   */
  private renderSpan(xL: Float32Array, xR: Float32Array, oL: Float32Array, oR: Float32Array, offset: number, frames: number): void {
    const pre = this.preDelay;
    const rest = this.rest;
    let done = 0;
    while (done < frames) {
      if (rest !== null && rest.covers(this.core, this.smoothing)) {
        rest.render(this.core, pre, this.smoothing, offset + done, frames - done);
        return;
      }
      const n = this.smoothing.chunkLimit(Math.min(frames - done, this.core.chunkLimit()));
      pre.process(xL, xR, offset + done, n);
      this.core.process(pre.sum, pre.diff, this.yL, this.yR, n);
      mixDryWet(pre.cleanL, pre.cleanR, this.yL, this.yR, this.smoothing, oL, oR, offset + done, n);
      done += n;
    }
  }

  getState(): FdnReverbState {
    return {
      core: this.core.getState(),
      values: this.values.slice(),
      preL: this.preDelay.left.slice(),
      preR: this.preDelay.right.slice(),
      prePos: this.preDelay.pos,
      smooth: this.smoothing.values.slice(),
      remaining: this.smoothing.remaining.slice(),
    };
  }

  setState(state: FdnReverbState): void {
    const pre = this.preDelay;
    if (state.preL.length !== pre.left.length) {
      throw new RangeError(`FdnReverb.setState: the state was saved at another sample rate (pre-delay ring ${state.preL.length} ≠ ${pre.left.length})`);
    }
    this.core.setState(state.core);
    this.values.set(state.values);
    pre.left.set(state.preL);
    pre.right.set(state.preR);
    pre.pos = state.prePos;
    this.smoothing.values.set(state.smooth);
    this.smoothing.remaining.set(state.remaining);
  }
}
