import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind, makeEvent } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { runSteps } from '../engine/prepareInSteps.ts';
import { prepareWarmUpEnabled } from '../engine/prepareWarmUp.ts';
import { dbToGain } from '../dsp/portableMath.ts';
import { Bitcrush } from './bitcrush.ts';
import { Limiter } from './limiter.ts';
import { LOSSY_RAMP_MS, LossyControls } from './lossyControls.ts';
import { LossyFilters } from './lossyFilters.ts';
import {
  LOSSY_PARAM_NAMES, LOSSY_PARAM_RANGES, type LossyParams, type LossyParamsInput, LossyParamIndex, type LossyStageName,
  automatableValues, lossyParamsSchema,
} from './lossyParams.ts';
import type { LossyStage } from './lossyStage.ts';
import { NoiseGate } from './noiseGate.ts';
import { PacketLoss } from './packetLoss.ts';
import { StftCodec } from './stftCodec.ts';

export interface LossyEngineState {
  /** The automatable parameters' present values, in `paramNames` order. */
  automation: Float64Array;
  stages: Record<LossyStageName, unknown>;
  /** The output gain's ramp: [present gain, target gain, frames left, step per frame]. */
  outputRamp: Float64Array;
}

/** A change of `outputGainDb` reaches its new gain along a linear ramp of this length (no click). */
export const OUTPUT_GAIN_RAMP_MS = LOSSY_RAMP_MS;

/** Bumped whenever a change alters the output for unchanged parameters (recorded in golden sidecars). */
export const LOSSY_ENGINE_VERSION = '1.4.0';

const SMALLEST_NORMAL_FLOAT32 = 1.1754943508222875e-38;
/** Warm-up (see LossyEngine.warmUp): rounds of one event per parameter, the periods after each, and the periods at rest at the end. */
const WARM_UP_ROUNDS = 4;
const WARM_UP_PERIODS_PER_EVENT = 24;
const WARM_UP_REST_PERIODS = 2000;
/** Two in-range values per parameter (LOSSY_PARAM_NAMES order), alternated by round. */
const WARM_UP_VALUES = [[6, 0, -50, -3, -6], [16, 20, -90, -1, 3]];
/** Values set directly on the controls in the warm-up, per parameter: as shares of its range, out of it (clamped), whole and fractional. */
const WARM_UP_SHARES = [-0.1, 0, 0.25, 0.3183, 0.5, 0.77, 1, 1.1];
const WARM_UP_CONTROL_SETS = 4000;
/** Control sets between two pauses of the stepped warm-up (prepareSteps). */
const WARM_UP_CONTROL_SETS_PER_STEP = 50;

/**
 * Low-bitrate codec and network damage, stereo in and out: a chain of six stages in the order the
 * parameters give (`order`), each enabled or bypassed — biquad filters (lossyFilters.ts), STFT codec
 * emulation (stftCodec.ts), bitcrush (bitcrush.ts), packet loss with concealment (packetLoss.ts), noise
 * gate (noiseGate.ts) and limiter (limiter.ts). Input and output gains wrap the chain.
 *
 * Every stage keeps its own position on the absolute timeline and works on [start, end) ranges, and the
 * engine splits blocks at Param events, so output is bit-identical at every block size. The packet-loss
 * PRNG is seeded from `seed`. Internally float64; the output is written as float32 with values below
 * the smallest normal float32 flushed to zero. Latency: the codec's frame size when the codec is on.
 * Param events (`paramNames`): bitcrush.bitDepth, packetLoss.lossPercent, gate.thresholdDb,
 * limiter.ceilingDb, outputGainDb — values are clamped to the schema's range and converted once per
 * change (lossyControls.ts). A change of outputGainDb ramps the linear gain over OUTPUT_GAIN_RAMP_MS
 * (10 ms) from where it is, so a jump steps each sample by at most |Δgain|/rampFrames·max|x|; the
 * limiter's ceiling ramps the same way (limiter.ts); the loss rate acts through the packet crossfade,
 * the gate threshold through the gate's attack/release, and the bit depth switches at its sample
 * (sim/clickFreeParams.test.ts bounds each).
 */
export class LossyEngine implements Engine<LossyEngineState> {
  readonly name = 'lossy';
  readonly numInputs = 2;
  readonly numOutputs = 2;
  readonly paramNames: readonly string[] = LOSSY_PARAM_NAMES;
  readonly params: LossyParams;
  private readonly codec: StftCodec;
  private readonly bitcrush: Bitcrush;
  private readonly packetLoss: PacketLoss;
  private readonly gate: NoiseGate;
  private readonly limiter: Limiter;
  private readonly filters: LossyFilters;
  private readonly stageByName: Record<LossyStageName, LossyStage>;
  /** The enabled stages in processing order. */
  private readonly chain: LossyStage[];
  private left = new Float64Array(0);
  private right = new Float64Array(0);
  // Fields that hold doubles start as NaN (prepare() sets them), so V8 gives them a double representation
  // from the first engine on: a field that first held a small integer and later a double changes the
  // hidden class and deoptimises the audio path (haptic engine, same rule).
  private inputGain = Number.NaN;
  /** Output gain ramp (OUTPUT_GAIN_RAMP_MS): present and target linear gain, frames left, step per frame. */
  private outputGain = Number.NaN;
  private outputTarget = Number.NaN;
  private outputRampLeft = 0;
  private outputStep = Number.NaN;
  private rampFrames = 1;
  /**
   * The automatable parameters (`paramNames` order) and their linear forms, shared with the stages, which
   * read them at each range (lossyControls.ts): an event stores its value through a typed array and the
   * conversion runs once per change, not per range.
   */
  private readonly controls = new LossyControls();

  constructor(params: LossyParamsInput | LossyParams = {}) {
    this.params = parseParams(lossyParamsSchema, params, 'lossy engine parameters');
    const p = this.params;
    this.filters = new LossyFilters(p.filters.bands);
    this.codec = new StftCodec(p.codec);
    this.bitcrush = new Bitcrush(p.bitcrush, this.controls);
    this.packetLoss = new PacketLoss(p.packetLoss, p.seed, this.controls);
    this.gate = new NoiseGate(p.gate, this.controls);
    this.limiter = new Limiter(p.limiter, this.controls);
    this.stageByName = {
      filters: this.filters, codec: this.codec, bitcrush: this.bitcrush,
      packetLoss: this.packetLoss, gate: this.gate, limiter: this.limiter,
    };
    this.chain = p.order.filter((name) => p[name].enabled).map((name) => this.stageByName[name]);
    this.inputGain = dbToGain(p.inputGainDb);
    this.controls.setAll(automatableValues(p));
  }

  /**
   * Before a live host's stream starts (EngineEntry.prepareThread): warms up (JIT) engines with every stage
   * enabled, at each codec frame the shipped presets use (512, 1024, 2048), so that a structural change that
   * enables a stage or changes the frame (a preset load) is built with code V8 has already optimised and does
   * not compile it on the render thread. Measured on the native JACK rig before the frames were added: the first
   * load of stream-128kbps (2048) took a 7.5 ms slice and 8 underruns.
   */
  static prepareThread(options: PrepareOptions): void {
    for (const frameSize of [512, 1024, 2048]) {
      new LossyEngine({
        codec: { frameSize, hopSize: frameSize / 2 },
        filters: { enabled: true, bands: [{ type: 'highpass', frequencyHz: 200 }, { type: 'peaking', frequencyHz: 2000, gainDb: 3 }] },
        bitcrush: { enabled: true }, packetLoss: { enabled: true, lossPercent: 5 }, gate: { enabled: true },
      }).prepare(options);
    }
  }

  /** Samples of delay from input to output (the codec's frame when it is enabled). */
  get latencySamples(): number {
    return this.params.codec.enabled ? this.codec.latencySamples : 0;
  }

  prepare(options: PrepareOptions): void {
    runSteps(this.prepareSteps(options));
  }

  /** prepare() in pieces (SteppedPrepare, prepareInSteps.ts): a stage a step, the warm-up a block or a few dozen control sets at a time. */
  *prepareSteps({ sampleRate, maxBlockFrames }: PrepareOptions): Generator<void, void, void> {
    this.left = new Float64Array(maxBlockFrames);
    this.right = new Float64Array(maxBlockFrames);
    this.controls.setAll(automatableValues(this.params)); // first: the stages start at these values
    for (const stage of Object.values(this.stageByName)) {
      stage.prepare(sampleRate);
      yield;
    }
    this.rampFrames = Math.max(1, Math.round((OUTPUT_GAIN_RAMP_MS * sampleRate) / 1000));
    this.resetOutputGain();
    if (prepareWarmUpEnabled()) {
      yield* this.warmUpSteps(maxBlockFrames);
      this.reset();
    }
  }

  /**
   * Runs process() with Param events of every parameter, and at rest, before the audio thread needs
   * it, so that V8 has optimised every path: unoptimised JavaScript boxes every double it computes
   * (an allocation per sample), and a branch first met on the audio thread deoptimises its function.
   * Measured without it (scripts/lossyEventAllocation.ts, defaults, load 10): 0.4–5.5 MB over the
   * first 2000 periods after prepare() with one event every 200, and up to 547 bytes per event later;
   * with it 0–144 bytes over those first 2000 periods (V8 optimising the probe's own loop) and 0 later
   * (no test holds it: a fresh isolate sometimes allocates 48–110 B a block steadily after it — see the
   * removal of lossyRareEvents.test.ts). Cost: prepare() ~55–65 ms. `reset()` afterwards restores the fresh state (every stage's
   * reset() is its prepare() without the allocation; the golden renders are unchanged).
   */
  private *warmUpSteps(maxBlockFrames: number): Generator<void, void, void> {
    const block = Math.max(1, Math.min(maxBlockFrames, 64));
    const input = new Float32Array(block).map((_, i) => (i % 3 === 0 ? 0.4 : -0.2) * Math.sin(i));
    const inputs = [input, input];
    const outputs = [new Float32Array(block), new Float32Array(block)];
    const event = makeEvent();
    event.kind = EventKind.Param;
    const events = [event];
    // The conversions of a parameter change run only on events: called here often enough that V8 optimises
    // them on their own, through every branch (fractional bit depths take pow2's exp path), before the
    // audio thread needs them.
    const controls = this.controls;
    for (let k = 0; k < WARM_UP_CONTROL_SETS; k++) {
      const index = k % LOSSY_PARAM_NAMES.length;
      const [lo, hi] = LOSSY_PARAM_RANGES[index];
      controls.incoming[0] = lo + WARM_UP_SHARES[Math.floor(k / LOSSY_PARAM_NAMES.length) % WARM_UP_SHARES.length] * (hi - lo);
      controls.set(index);
      if (k % WARM_UP_CONTROL_SETS_PER_STEP === WARM_UP_CONTROL_SETS_PER_STEP - 1) yield;
    }
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      for (let index = 0; index < LOSSY_PARAM_NAMES.length; index++) {
        event.paramIndex = index;
        event.value = WARM_UP_VALUES[round % 2][index];
        event.offsetFrames = (round * 7 + index) % block;
        this.process(inputs, outputs, block, events, 1);
        yield;
        for (let b = 1; b < WARM_UP_PERIODS_PER_EVENT; b++) {
          this.process(inputs, outputs, block, events, 0);
          yield;
        }
      }
    }
    this.reset(); // the rest periods at the engine's own parameter values, as after prepare()
    yield;
    for (let b = 0; b < WARM_UP_REST_PERIODS; b++) {
      this.process(inputs, outputs, block, events, 0);
      yield;
    }
  }

  reset(): void {
    this.controls.setAll(automatableValues(this.params)); // first: the stages start at these values
    for (const stage of Object.values(this.stageByName)) stage.reset();
    this.resetOutputGain();
  }

  /** The output gain at its parameter's value, no ramp running. */
  private resetOutputGain(): void {
    this.outputGain = this.outputTarget = this.controls.linear[LossyParamIndex.outputGainDb];
    this.outputRampLeft = 0;
    this.outputStep = 0;
  }

  private runChain(start: number, end: number): void {
    const l = this.left;
    const r = this.right;
    for (let s = 0; s < this.chain.length; s++) this.chain[s].process(l, r, start, end);
    const target = this.controls.linear[LossyParamIndex.outputGainDb];
    if (target !== this.outputTarget) {
      // A new target: ramp from the present gain over rampFrames (a ramp under way restarts from where it is).
      this.outputTarget = target;
      this.outputRampLeft = this.rampFrames;
      this.outputStep = (target - this.outputGain) / this.rampFrames;
    }
    let g = this.outputGain;
    let left = this.outputRampLeft;
    if (left === 0 && g === 1) return;
    const step = this.outputStep;
    for (let i = start; i < end; i++) {
      if (left > 0) {
        left--;
        g = left === 0 ? target : g + step;
      }
      l[i] *= g;
      r[i] *= g;
    }
    this.outputGain = g;
    this.outputRampLeft = left;
  }

  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const l = this.left;
    const r = this.right;
    const n = Math.min(frames, l.length);
    const inL = inputs[0];
    const inR = inputs[1] ?? inputs[0];
    const gi = this.inputGain;
    for (let i = 0; i < n; i++) {
      l[i] = inL ? inL[i] * gi : 0;
      r[i] = inR ? inR[i] * gi : 0;
    }
    let start = 0;
    for (let e = 0; e < eventCount; e++) {
      const ev = events[e];
      if (ev.kind !== EventKind.Param) continue;
      const at = Math.min(n, Math.max(start, ev.offsetFrames));
      if (at > start) this.runChain(start, at);
      start = at;
      const index = ev.paramIndex;
      this.controls.incoming[0] = ev.value;
      if ((index | 0) === index) this.controls.set(index);
    }
    if (n > start) this.runChain(start, n);
    const outL = outputs[0];
    const outR = outputs[1];
    for (let i = 0; i < n; i++) {
      let a = l[i];
      let b = r[i];
      if (!(Math.abs(a) >= SMALLEST_NORMAL_FLOAT32) || a !== a) a = 0;
      if (!(Math.abs(b) >= SMALLEST_NORMAL_FLOAT32) || b !== b) b = 0;
      if (a > 3.4e38) a = 3.4e38;
      else if (a < -3.4e38) a = -3.4e38;
      if (b > 3.4e38) b = 3.4e38;
      else if (b < -3.4e38) b = -3.4e38;
      outL[i] = a;
      outR[i] = b;
    }
  }

  getState(): LossyEngineState {
    const stages = {} as Record<LossyStageName, unknown>;
    for (const name of Object.keys(this.stageByName) as LossyStageName[]) stages[name] = this.stageByName[name].getState();
    return { automation: this.controls.values.slice(), stages, outputRamp: Float64Array.of(this.outputGain, this.outputTarget, this.outputRampLeft, this.outputStep) };
  }

  setState(state: LossyEngineState): void {
    this.controls.setAll(state.automation);
    [this.outputGain, this.outputTarget, this.outputRampLeft, this.outputStep] = state.outputRamp;
    for (const name of Object.keys(this.stageByName) as LossyStageName[]) this.stageByName[name].setState(state.stages[name]);
  }
}
