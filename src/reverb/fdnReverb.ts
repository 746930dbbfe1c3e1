import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { designAbsorptionInto } from './absorptionDesign.ts';
import { designShelvedInto } from './threeAnchorAbsorption.ts';
import { delayLengthsSamples } from './delayLengths.ts';
import { MOD_INCREMENT, MOD_TARGET } from './delayModulation.ts';
import { FLUSH_THRESHOLD, FdnCore, MAX_CHUNK_FRAMES } from './fdnCore.ts';
import type { FdnCoreState } from './fdnCoreState.ts';
import {
  MAX_PRE_DELAY_SAMPLES, REVERB_PARAM_NAMES, RT60_HIGH_HZ, RT60_LOW_HZ, RT60_MID_HZ, type ReverbParams, type ReverbParamsInput,
  reverbParamsSchema,
} from './reverbParams.ts';

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

/** Allowed range of each Param event value, in `REVERB_PARAM_NAMES` order (events are clamped into it). */
const EVENT_MIN = Float64Array.of(0, 0, 0.1, 0.05, 0, 0, 0, 0.1, 0);
const EVENT_MAX = Float64Array.of(1, 1, 30, 30, 500, 5, 10, 30, MAX_PRE_DELAY_SAMPLES);
const WARM_UP_EVENTS = 1000;
const WARM_UP_ROUNDS = 4;
const WARM_UP_VALUES = [[0.5, 0.9, 1.5, 0.8, 3, 0.5, 10, 2, 100], [0.2, 1, 2.5, 2, 0, 0, 7, 3, 0]];
const P_WET = 0, P_FEEDBACK = 1, P_RT60 = 2, P_RT60_HIGH = 3, P_PREDELAY = 4, P_DEPTH = 5, P_RATE = 6;
const P_RT60_LOW = 7, P_PREDELAY_SAMPLES = 8;

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
 * output is bit-identical at every block size.
 */
export class FdnReverb implements Engine<FdnReverbState> {
  readonly name = 'reverb';
  readonly numInputs = 2;
  readonly numOutputs = 2;
  readonly paramNames = REVERB_PARAM_NAMES;
  readonly params: ReverbParams;
  private sampleRate = 48000;
  private core!: FdnCore;
  private readonly values = new Float64Array(REVERB_PARAM_NAMES.length);
  private readonly damping: Float64Array;
  /** Copied out of `params`: the audio path never reads the params object, whose shape varies. */
  private readonly rt60Mode: boolean;
  private preL = new Float64Array(1);
  private preR = new Float64Array(1);
  private preMask = 0;
  private prePos = 0;
  private readonly smooth = new Float64Array(8);
  private readonly remaining = new Int32Array(2);
  private rampFrames = 0;
  private cleanL = new Float64Array(0);
  private cleanR = new Float64Array(0);
  private inL = new Float64Array(0);
  private inR = new Float64Array(0);
  private yL = new Float64Array(0);
  private yR = new Float64Array(0);
  private silence = new Float32Array(0);
  private readonly designSpec = new Float64Array(6);
  private readonly design = new Float64Array(2);
  private readonly shelvedSpec = new Float64Array(8);
  private readonly shelvedDesign = new Float64Array(6);
  private readonly eventValue = new Float64Array(1);

  constructor(params: Partial<ReverbParamsInput> = {}, source = 'FdnReverb params') {
    this.params = parseParams(reverbParamsSchema, params, source);
    const d = this.params.damping;
    this.damping = Float64Array.from({ length: this.params.lines }, (_, i) => (typeof d === 'number' ? d : d[i]));
    this.rt60Mode = this.params.decayMode === 'rt60';
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

  prepare({ sampleRate, maxBlockFrames }: PrepareOptions): void {
    const p = this.params;
    this.sampleRate = sampleRate;
    const delays = delayLengthsSamples(p.lines, sampleRate, p.delayMinMs, p.delayMaxMs);
    this.core = new FdnCore(delays, p.matrix, p.seed, p.interpolation);
    let size = 1;
    while (size < Math.max(Math.ceil((500 * sampleRate) / 1000), MAX_PRE_DELAY_SAMPLES) + MAX_CHUNK_FRAMES + 4) size *= 2;
    this.preL = new Float64Array(size);
    this.preR = new Float64Array(size);
    this.preMask = size - 1;
    const chunk = this.core.maxChunkFrames;
    this.cleanL = new Float64Array(chunk);
    this.cleanR = new Float64Array(chunk);
    this.inL = new Float64Array(chunk);
    this.inR = new Float64Array(chunk);
    this.yL = new Float64Array(chunk);
    this.yR = new Float64Array(chunk);
    this.silence = new Float32Array(Math.max(1, maxBlockFrames));
    this.rampFrames = Math.round((p.smoothingMs * sampleRate) / 1000);
    this.reset();
    this.warmUp(maxBlockFrames);
    this.reset();
  }

  /**
   * Runs the Param-event path a few thousand times, and every ramp of the audio path, so that the JIT
   * has optimised them before the audio thread needs them: unoptimised code boxes every double it
   * computes, so a cold event path allocates (measured: about 200 bytes per event) and a branch first
   * met on the audio thread deoptimises its function. `reset()` afterwards restores the fresh state.
   */
  private warmUp(maxBlockFrames: number): void {
    for (let k = 0; k < WARM_UP_EVENTS; k++) {
      this.eventValue[0] = (k % 5) / 5;
      this.applyParam(k % REVERB_PARAM_NAMES.length);
    }
    // Every ramp and the modulated read, so no branch is first met (and deoptimised) on the audio thread.
    const block = Math.min(maxBlockFrames, 64);
    const input = new Float32Array(block).map((_, i) => (i % 2 ? 0.25 : -0.25));
    const outputs = [new Float32Array(block), new Float32Array(block)];
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      for (let index = 0; index < REVERB_PARAM_NAMES.length; index++) {
        this.eventValue[0] = WARM_UP_VALUES[round % 2][index];
        this.applyParam(index);
      }
      for (let done = 0; done < this.rampFrames + 2 * this.core.maxChunkFrames; done += block) {
        this.process([input, input], outputs, block, [], 0);
      }
    }
  }

  reset(): void {
    const p = this.params;
    this.core.clear();
    this.preL.fill(0);
    this.preR.fill(0);
    this.prePos = 0;
    this.values.set([
      p.wetDry, p.feedbackGain, p.rt60Seconds, p.rt60HighSeconds ?? Number.NaN, p.preDelayMs ?? 0, p.modDepthMs, p.modRateHz,
      p.rt60LowSeconds ?? Number.NaN, p.preDelaySamples ?? Number.NaN,
    ]);
    this.core.setShelved(this.rt60Mode && p.rt60LowSeconds != null);
    this.updateCoefficients(0);
    this.core.modulation.state[MOD_TARGET] = (p.modDepthMs * this.sampleRate) / 1000;
    this.core.modulation.startDepthRamp(0);
    this.core.modulation.state[MOD_INCREMENT] = (2 * Math.PI * p.modRateHz) / this.sampleRate;
    // Whole samples at rest (an exact delay, no interpolation loss); ramps glide between them.
    const pre = p.preDelaySamples ?? Math.round(((p.preDelayMs ?? 0) * this.sampleRate) / 1000);
    this.smooth.set([pre, pre, 0, p.wetDry, 1 - p.wetDry, 0, 0, p.wetDry]);
    this.remaining.fill(0);
  }

  /** Recomputes every line's target (b0, pole) from the present values and ramps to it. */
  private updateCoefficients(rampFrames: number): void {
    const core = this.core;
    const coefs = core.coefficients;
    const feedback = this.values[P_FEEDBACK];
    const rt60 = this.values[P_RT60];
    const high = Number.isNaN(this.values[P_RT60_HIGH]) ? rt60 : this.values[P_RT60_HIGH];
    const spec = this.designSpec;
    spec[1] = this.sampleRate;
    spec[2] = rt60;
    spec[3] = RT60_MID_HZ;
    spec[4] = high;
    spec[5] = RT60_HIGH_HZ;
    if (core.shelved) {
      const shelved = this.shelvedSpec;
      shelved.set(spec);
      shelved[6] = this.values[P_RT60_LOW];
      shelved[7] = RT60_LOW_HZ;
      const out = this.shelvedDesign;
      for (let i = 0; i < core.lines; i++) {
        shelved[0] = core.delaySamples[i];
        designShelvedInto(shelved, out);
        coefs.b0Target[i] = feedback * out[0];
        coefs.poleTarget[i] = out[1];
        coefs.shelfTarget[0][i] = out[2];
        coefs.shelfTarget[1][i] = out[3];
        coefs.shelfTarget[2][i] = out[4];
      }
      coefs.startRamp(rampFrames);
      return;
    }
    for (let i = 0; i < core.lines; i++) {
      if (this.rt60Mode) {
        spec[0] = core.delaySamples[i];
        designAbsorptionInto(spec, this.design);
        coefs.b0Target[i] = feedback * this.design[0];
        coefs.poleTarget[i] = this.design[1];
      } else {
        coefs.b0Target[i] = feedback * (1 - this.damping[i]);
        coefs.poleTarget[i] = this.damping[i];
      }
    }
    coefs.startRamp(rampFrames);
  }

  /** Hands a Param event to `applyParam` (the value through a typed array, so no double is boxed). */
  private applyEvent(ev: EngineEvent): void {
    if (ev.kind !== EventKind.Param || !(ev.paramIndex >= 0 && ev.paramIndex < EVENT_MIN.length)) return;
    this.eventValue[0] = ev.value;
    this.applyParam(ev.paramIndex | 0);
  }

  /** Sets parameter `index` to `eventValue[0]` (clamped to its range; NaN ignored) and starts its ramp. */
  private applyParam(index: number): void {
    const raw = this.eventValue[0];
    if (Number.isNaN(raw)) return;
    const value = Math.min(EVENT_MAX[index], Math.max(EVENT_MIN[index], raw));
    this.values[index] = value;
    const ramp = this.rampFrames;
    const s = this.smooth;
    if (index === P_WET) {
      s[7] = value;
      if (ramp === 0) {
        s[3] = value;
        s[4] = 1 - value;
      } else {
        s[5] = (value - s[3]) / ramp;
        s[6] = (1 - value - s[4]) / ramp;
      }
      this.remaining[1] = ramp;
    } else if (index === P_PREDELAY || index === P_PREDELAY_SAMPLES) {
      s[1] = index === P_PREDELAY ? Math.round((value * this.sampleRate) / 1000) : Math.round(value);
      if (ramp === 0) s[0] = s[1];
      else s[2] = (s[1] - s[0]) / ramp;
      this.remaining[0] = ramp;
    } else if (index === P_DEPTH) {
      this.core.modulation.state[MOD_TARGET] = (value * this.sampleRate) / 1000;
      this.core.modulation.startDepthRamp(ramp);
    } else if (index === P_RATE) {
      this.core.modulation.state[MOD_INCREMENT] = (2 * Math.PI * value) / this.sampleRate;
    } else {
      if (index === P_RT60_LOW && this.rt60Mode) this.core.setShelved(true);
      this.updateCoefficients(ramp);
    }
  }

  /**
   * Reads the events and renders the spans between them. This function only moves integers and
   * event values (loaded doubles are stored, never computed on): the host's event objects may change
   * shape and deoptimise it, and unoptimised code must not box doubles on the audio path.
   */
  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const xL = inputs[0] ?? this.silence;
    const xR = inputs[1] ?? xL;
    let done = 0;
    let e = 0;
    while (done < frames) {
      while (e < eventCount && events[e].offsetFrames <= done) this.applyEvent(events[e++]);
      let n = frames - done;
      if (e < eventCount && events[e].offsetFrames - done < n) n = events[e].offsetFrames - done;
      this.renderSpan(xL, xR, outputs[0], outputs[1], done, n);
      done += n;
    }
    while (e < eventCount) this.applyEvent(events[e++]);
  }

  /** Renders `frames` samples from `offset` in chunks that never cross a ramp end or the chunk limit. */
  private renderSpan(xL: Float32Array, xR: Float32Array, oL: Float32Array, oR: Float32Array, offset: number, frames: number): void {
    let done = 0;
    while (done < frames) {
      let n = Math.min(frames - done, this.core.chunkLimit());
      if (this.remaining[0] > 0 && this.remaining[0] < n) n = this.remaining[0];
      if (this.remaining[1] > 0 && this.remaining[1] < n) n = this.remaining[1];
      this.processChunk(xL, xR, oL, oR, offset + done, n);
      done += n;
    }
  }

  private processChunk(xL: Float32Array, xR: Float32Array, oL: Float32Array, oR: Float32Array, off: number, n: number): void {
    const { cleanL, cleanR, inL, inR, yL, yR, preL, preR, smooth, remaining } = this;
    const pm = this.preMask;
    const p0 = this.prePos;
    // The network takes g·(L + R) and g·(L − R) (see FdnCore.process): formed while reading the pre-delay.
    const g = this.core.inputGain;
    let d = smooth[0];
    if (remaining[0] === 0) {
      // At rest the delay is a whole number d ≥ 0 of samples (see reset/applyParam): sample k reads
      // what was written d samples earlier — in this loop or a previous chunk — so the write, the read
      // and the sums share one pass.
      const base = p0 - d;
      for (let k = 0; k < n; k++) {
        const x = xL[off + k];
        const y = xR[off + k];
        const a = x > -1e9 && x < 1e9 ? x : 0;
        const b = y > -1e9 && y < 1e9 ? y : 0;
        cleanL[k] = a;
        cleanR[k] = b;
        preL[(p0 + k) & pm] = a;
        preR[(p0 + k) & pm] = b;
        const i0 = (base + k) & pm;
        const u = preL[i0];
        const v = preR[i0];
        inL[k] = g * (u + v);
        inR[k] = g * (u - v);
      }
      this.prePos = (p0 + n) & pm;
      this.core.process(inL, inR, yL, yR, n);
      this.mixOut(oL, oR, off, n);
      return;
    }
    for (let k = 0; k < n; k++) {
      const a = xL[off + k];
      const b = xR[off + k];
      cleanL[k] = a > -1e9 && a < 1e9 ? a : 0;
      cleanR[k] = b > -1e9 && b < 1e9 ? b : 0;
      preL[(p0 + k) & pm] = cleanL[k];
      preR[(p0 + k) & pm] = cleanR[k];
    }
    // The pre-delay is ramping: fractional reads, linear interpolation between the two nearest samples.
    const dStep = smooth[2];
    for (let k = 0; k < n; k++) {
      d += dStep;
      const di = Math.floor(d);
      const f = d - di;
      const i0 = (p0 + k - di) & pm;
      const i1 = (i0 - 1) & pm;
      const a = preL[i0] + f * (preL[i1] - preL[i0]);
      const b = preR[i0] + f * (preR[i1] - preR[i0]);
      inL[k] = g * (a + b);
      inR[k] = g * (a - b);
    }
    remaining[0] -= n;
    smooth[0] = remaining[0] === 0 ? smooth[1] : d;
    this.prePos = (p0 + n) & pm;
    this.core.process(inL, inR, yL, yR, n);
    this.mixOut(oL, oR, off, n);
  }

  /** out = dry·x + wet·y (ramped while the mix ramps), with NaN/Inf/subnormal flushed to 0. */
  private mixOut(oL: Float32Array, oR: Float32Array, off: number, n: number): void {
    const { cleanL, cleanR, yL, yR, smooth, remaining } = this;
    let wet = smooth[3];
    let dry = smooth[4];
    const mixRamping = remaining[1] > 0;
    if (mixRamping) {
      const ws = smooth[5];
      const ds = smooth[6];
      for (let k = 0; k < n; k++) {
        wet += ws;
        dry += ds;
        const l = dry * cleanL[k] + wet * yL[k];
        const r = dry * cleanR[k] + wet * yR[k];
        const al = Math.abs(l);
        const ar = Math.abs(r);
        oL[off + k] = al > FLUSH_THRESHOLD && al < 1e30 ? l : 0;
        oR[off + k] = ar > FLUSH_THRESHOLD && ar < 1e30 ? r : 0;
      }
    } else {
      for (let k = 0; k < n; k++) {
        const l = dry * cleanL[k] + wet * yL[k];
        const r = dry * cleanR[k] + wet * yR[k];
        const al = Math.abs(l);
        const ar = Math.abs(r);
        oL[off + k] = al > FLUSH_THRESHOLD && al < 1e30 ? l : 0;
        oR[off + k] = ar > FLUSH_THRESHOLD && ar < 1e30 ? r : 0;
      }
    }
    if (mixRamping) {
      remaining[1] -= n;
      if (remaining[1] === 0) {
        smooth[3] = smooth[7];
        smooth[4] = 1 - smooth[7];
      } else {
        smooth[3] = wet;
        smooth[4] = dry;
      }
    }
  }

  getState(): FdnReverbState {
    return {
      core: this.core.getState(),
      values: this.values.slice(),
      preL: this.preL.slice(),
      preR: this.preR.slice(),
      prePos: this.prePos,
      smooth: this.smooth.slice(),
      remaining: this.remaining.slice(),
    };
  }

  setState(state: FdnReverbState): void {
    if (state.preL.length !== this.preL.length) {
      throw new RangeError(`FdnReverb.setState: the state was saved at another sample rate (pre-delay ring ${state.preL.length} ≠ ${this.preL.length})`);
    }
    this.core.setState(state.core);
    this.values.set(state.values);
    this.preL.set(state.preL);
    this.preR.set(state.preR);
    this.prePos = state.prePos;
    this.smooth.set(state.smooth);
    this.remaining.set(state.remaining);
  }
}
