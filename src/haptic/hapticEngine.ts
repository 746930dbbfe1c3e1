import { performance } from 'node:perf_hooks';
import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind } from '../engine/events.ts';
import {
  HAPTIC_PARAMS, HAPTIC_PARAM_NAMES, STEAL_POLICIES, type HapticConfig, type HapticConfigInput, layoutCentre,
  maxSourceDistanceM, parseHapticConfig, transducerPositions,
} from './hapticConfig.ts';
import { HISTORY_CHUNK_FRAMES, layoutHapticMemory } from './hapticMemoryLayout.ts';
import { MASTER_GAIN_RAMP_MS, MasterGainRamp, R_BAKED_DB, R_TARGET_DB } from './masterGainRamp.ts';
import { type HapticState, type HapticStats, type HapticStatus, emptyStats } from './hapticState.ts';
import type { NumericShape, NumericStatus } from '../engine/numericStatus.ts';
import { WARM_UP_CONFIGS, exerciseNoteHandlers, exerciseOscillatorAnchors, exerciseProcess } from './hapticWarmUp.ts';
import { createJsMixKernel } from './jsMixKernel.ts';
import { type HapticMixKernel, createWasmMemory, instantiateMixKernel } from './mixKernel.ts';
import { MpeChannels, MpeDim } from './mpeChannels.ts';
import { type NativeHapticMixKernel, createNativeMixKernel, nativeKernelAvailable } from './nativeMixKernel.ts';
import { NoteRouter } from './noteRouter.ts';
import { PlateParams } from './plateParams.ts';
import { StandingWaves } from './standingWaves.ts';
import { StimulusGenerator } from './stimulusGenerator.ts';
import { FIELDS, Flag, META, Meta, Stage, StimulusPool } from './stimulusPool.ts';
import { CONTROL_PERIOD_FRAMES, TravellingWaves } from './travellingWaves.ts';

export { CONTROL_PERIOD_FRAMES };

/**
 * The load is timed on one block in 1024: in Node 20 each performance.now() call allocates a 16-byte
 * number, so timing every block would break the no-allocation contract of process().
 */
const LOAD_SAMPLE_MASK = 1023;

/** HapticStats' keys in the order writeStats() writes them. */
const STATS_KEYS = ['notesStarted', 'allocations', 'steals', 'drops', 'malformedMidi', 'clippedSamples'] as const satisfies readonly (keyof HapticStats)[];

/** The bound-output placeholder before the first block. */
const NO_OUTPUT = new Float32Array(0);

/** The longest span rendered in one pass: a history must have room for it past the kept frames. */
const MAX_SPAN_FRAMES = HISTORY_CHUNK_FRAMES;

/**
 * How many times the native kernel re-binds the host's output arrays before it gives up writing into
 * them directly: a host that passes new arrays every block gets the copy instead (binding allocates).
 */
const MAX_OUTPUT_REBINDS = 16;

/** Bumped whenever a change alters the output for unchanged configuration and events (recorded in golden sidecars). */
export const HAPTIC_ENGINE_VERSION = '1.0.0';

/** Implementation choices that do not change the output (bit-identical either way). */
export interface HapticEngineOptions {
  /**
   * 'native': the C kernels built for this machine by the install (nativeMixKernel.ts), the default in
   * Node where they are built; 'wasm': the WebAssembly SIMD kernels, the default elsewhere (a browser, no
   * compiler at install); 'js': the plain JavaScript reference kernels.
   */
  kernel?: 'wasm' | 'js' | 'native';
}

/**
 * The haptic stimulus engine: 0 inputs, one output per transducer (32 by default, see hapticConfig.ts).
 *
 * Notes are routed by velocity to a travelling-wave pool (velocity < split) or a standing-wave pool,
 * each of fixed capacity with a drop/oldest/quietest policy when full (noteRouter.ts, stimulusPool.ts).
 * A stimulus is a sine at 440·2^((note − 69)/12) Hz, amplitude velocity/127 × pressure × envelope
 * (linear attack, sustain 1, linear release from the level at note-off; stimulusGenerator.ts).
 *
 * Travelling wave (travellingWaves.ts): one float32 history per stimulus, one fractional tap per
 * transducer at distance/speed·fs samples with gain 1/(1 + 2·distance) (tapCoefficients.ts). The source
 * sits at layout centre + (bend·R, (2·timbre − 1)·R), R = positionRangeM (mpeChannels.ts); a new note
 * starts at its channel's present position, and later moves glide there with a one-pole
 * (positionGlideMs) evaluated every CONTROL_PERIOD_FRAMES frames of absolute time. After its release a
 * travelling stimulus stays in its pool for the longest possible delay (Tail) so the far transducers
 * hear the end of it, then is freed.
 * Standing wave: the sum of the standing stimuli goes to every transducer × the mode shape (default 1).
 * Output: × master gain, then clipped to ±1 (clipped samples counted), values below FLT_MIN flushed.
 *
 * Per-channel MPE state (pressure, bend, timbre; reset by CC121) applies to the held notes on the
 * channel. Pressure starts at 1 (so non-MPE input plays at full level) and is smoothed over 5 ms.
 */
export class HapticEngine implements Engine<HapticState>, NumericStatus {
  readonly name = 'haptic';
  readonly numInputs = 0;
  readonly numOutputs: number;
  readonly paramNames = HAPTIC_PARAM_NAMES;
  readonly config: HapticConfig;

  readonly travelling: StimulusPool;
  readonly standing: StimulusPool;
  private readonly mpe: MpeChannels;
  private readonly router: NoteRouter;
  private readonly params = new PlateParams();
  private readonly waves: TravellingWaves;
  private readonly standingWaves: StandingWaves;
  private readonly generator = new StimulusGenerator();
  /** Parameter values set by Param events (written on the audio path, applied by sync()). */
  private readonly paramValues = new Float64Array(2);
  private paramsDirty = 0;
  /** A master-gain change ramps over MASTER_GAIN_RAMP_MS on the mixed output, then is baked into the taps (masterGainRamp.ts). */
  private readonly masterRamp = new MasterGainRamp();
  /**
   * A wave-speed change crossfades, over speedFadeFrames (the engine's 10 ms smoothing time), from the
   * mix with the old taps to the mix with the new (fadeSpeed): frames left (0: none), the length, where
   * the old mix is made, and the old mix's weight per frame of the span.
   */
  private speedFadeLeft = 0;
  private speedFadeFrames = 1;
  private fadeWord = 0;
  private fadeWeights = new Float64Array(0);

  // Fields that hold doubles start as NaN so V8 gives them a double representation from the first
  // engine on; a field that first held a small integer and later a double would change every engine's
  // hidden class and deoptimise the audio path (seen as "wrong map" deopts in the allocation probe).
  private sampleRate = Number.NaN;
  private prepared = false;
  private kernel!: HapticMixKernel;
  /** The kernel when it is the native one (it then writes the output straight into the host's arrays). */
  private native: NativeHapticMixKernel | null = null;
  /** The host's output arrays the native kernel has bound (one per transducer), and how often it re-bound. */
  private boundOutputs: Float32Array[] = [];
  private outputRebinds = 0;
  private f32: Float32Array = new Float32Array(0);
  /** Per transducer, a view of its output block in the kernel memory (for a memcpy out). */
  private outViews: Float32Array[] = [];
  private strideFloats = 0;
  private outWord = 0;
  private historyFrames = 0;
  private peakWord = 0;
  private sumsqWord = 0;
  private mixTableWord = 0;

  private frame = 0;
  private readonly peak: Float64Array;
  private readonly rms: Float64Array;
  /** [load fraction of the last timed block]: in a typed array, so writeStatus() (rarely run, so rarely optimised) copies it without boxing. */
  private readonly loadFraction = new Float64Array([Number.NaN]);
  private blockCount = 0;

  /** The kernels this engine runs (HapticEngineOptions.kernel, or the default chosen at construction). */
  readonly kernelKind: 'wasm' | 'js' | 'native';
  /** 1 for cubic taps, 0 for linear (a number: it is read on the audio path). */
  private readonly cubic: number;

  constructor(config?: HapticConfigInput | HapticConfig, options: HapticEngineOptions = {}) {
    this.kernelKind = options.kernel ?? (nativeKernelAvailable() ? 'native' : 'wasm');
    this.config = parseHapticConfig(config ?? {}, 'HapticEngine config');
    const positions = transducerPositions(this.config);
    this.numOutputs = positions.length;
    const centre = layoutCentre(positions);
    this.travelling = new StimulusPool(this.config.pools.travelling);
    this.standing = new StimulusPool(this.config.pools.standing);
    this.mpe = new MpeChannels(centre.xM, centre.yM, this.config.positionRangeM);
    this.router = new NoteRouter(this.travelling, this.standing, this.mpe, this.config.pools.velocitySplit,
      STEAL_POLICIES.indexOf(this.config.pools.stealPolicy));
    const geometry = { xsM: Float64Array.from(positions, (p) => p.xM), ysM: Float64Array.from(positions, (p) => p.yM) };
    this.cubic = this.config.interpolation === 'cubic' ? 1 : 0;
    this.waves = new TravellingWaves(this.travelling, geometry, this.cubic, this.params);
    const modeShape = Float64Array.from(this.config.standingModeShape ?? positions.map(() => 1));
    this.standingWaves = new StandingWaves(this.standing, modeShape, this.params);
    this.params.waveSpeedMps = this.config.waveSpeedMps;
    this.params.masterGainDb = this.config.masterGainDb;
    this.peak = new Float64Array(this.numOutputs);
    this.rms = new Float64Array(this.numOutputs);
  }

  prepare({ sampleRate, maxBlockFrames }: PrepareOptions): void {
    HapticEngine.warmUp();
    this.sampleRate = sampleRate;
    const numT = this.numOutputs;
    this.historyFrames = Math.ceil((maxSourceDistanceM(this.config) / HAPTIC_PARAMS[0].min) * sampleRate) + 8;
    const layout = layoutHapticMemory({
      numTransducers: numT, maxBlockFrames, travellingCapacity: this.travelling.capacity, standingCapacity: this.standing.capacity, historyFrames: this.historyFrames,
    });
    this.strideFloats = layout.strideFloats;
    this.outWord = layout.outWord;
    this.peakWord = layout.peakWord;
    this.sumsqWord = layout.sumsqWord;
    this.mixTableWord = layout.mixTableWord;
    const memory = createWasmMemory(layout.words * 4);
    this.native = this.kernelKind === 'native' ? createNativeMixKernel(memory) : null;
    this.kernel = this.native ?? (this.kernelKind === 'js' ? createJsMixKernel(memory) : instantiateMixKernel(memory));
    this.boundOutputs = Array.from({ length: numT }, () => NO_OUTPUT);
    this.outputRebinds = 0;
    this.f32 = new Float32Array(memory.buffer);
    const f64 = new Float64Array(memory.buffer);
    this.outViews = Array.from({ length: numT }, (_, t) => this.f32.subarray(this.outWord + t * this.strideFloats, this.outWord + (t + 1) * this.strideFloats));
    this.generator.prepare(this.kernel, {
      f32: this.f32, f64, sineWord: layout.sineWord, batchWord: layout.batchWord, batchCapacity: Math.max(this.travelling.capacity, this.standing.capacity),
    }, sampleRate, this.config.envelope, this.historyFrames);
    this.waves.prepare(this.kernel, this.f32, new Int32Array(memory.buffer), layout, this.historyFrames, sampleRate, this.config.positionGlideMs);
    this.standingWaves.prepare(this.f32, layout);
    this.masterRamp.prepare(sampleRate, maxBlockFrames);
    this.speedFadeFrames = Math.max(1, Math.round((MASTER_GAIN_RAMP_MS * sampleRate) / 1000));
    this.fadeWord = layout.fadeWord;
    this.fadeWeights = new Float64Array(maxBlockFrames);
    this.prepared = true;
    this.reset();
  }

  reset(): void {
    this.f32.fill(0);
    this.travelling.clear();
    this.standing.clear();
    this.mpe.resetAll();
    this.frame = 0;
    this.waves.reset();
    this.router.serial = 0;
    this.params.waveSpeedMps = this.paramValues[0] = this.config.waveSpeedMps;
    this.params.masterGainDb = this.paramValues[1] = this.config.masterGainDb;
    this.masterRamp.reset(this.config.masterGainDb);
    this.speedFadeLeft = 0;
    this.waves.fading = 0;
    this.paramsDirty = 0;
    this.router.stats = emptyStats();
    this.peak.fill(0);
    this.rms.fill(0);
    if (this.prepared) this.standingWaves.updateGains();
  }

  process(_inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const timed = (this.blockCount++ & LOAD_SAMPLE_MASK) === 0;
    const started = timed ? performance.now() : 0;
    const numT = this.numOutputs;
    const stride = this.strideFloats;
    const router = this.router;
    let e = 0;
    let f = 0;
    while (f < frames) {
      // Events are decoded here, on the hot path: values (doubles) go straight into typed arrays, and
      // only small integers reach the (rarely run, so rarely optimised) handlers.
      while (e < eventCount && !(events[e].offsetFrames > f)) {
        const ev = events[e++];
        const kind = ev.kind;
        const ch = ev.channel;
        const v = ev.value;
        const channelOk = ch >= 0 && ch < 16 && (ch | 0) === ch;
        if (kind === EventKind.NoteOn || kind === EventKind.NoteOff) {
          const note = ev.note;
          if (channelOk && note >= 0 && note <= 127 && (note | 0) === note && v >= 0 && v <= 127) {
            const velocity = Math.round(v) | 0; // an int32, so passing it boxes nothing
            if (kind === EventKind.NoteOn && velocity > 0) router.noteOn(ch, note, velocity);
            else router.noteOff(ch, note);
          } else router.stats.malformedMidi++;
        } else if (kind === EventKind.Pressure || kind === EventKind.Timbre) {
          if (channelOk && v >= 0 && v <= 1) {
            this.mpe.values[ch * 3 + (kind === EventKind.Pressure ? MpeDim.pressure : MpeDim.timbre)] = v;
            router.markChannel(ch);
          } else router.stats.malformedMidi++;
        } else if (kind === EventKind.PitchBend) {
          if (channelOk && v >= -1 && v <= 1) {
            this.mpe.values[ch * 3 + MpeDim.bend] = v;
            router.markChannel(ch);
          } else router.stats.malformedMidi++;
        } else if (kind === EventKind.Param) {
          const p = ev.paramIndex;
          if ((p === 0 || p === 1) && v > -Infinity && v < Infinity) {
            this.paramValues[p] = Math.min(HAPTIC_PARAMS[p].max, Math.max(HAPTIC_PARAMS[p].min, v));
            this.paramsDirty = 1;
          } else router.stats.malformedMidi++;
        } else if (kind === EventKind.ControlChange && channelOk) {
          router.controlChange(ch, ev.note);
        } else if (kind === EventKind.Panic) {
          router.panic();
        } else router.stats.malformedMidi++;
      }
      this.sync();
      const phase = this.frame % CONTROL_PERIOD_FRAMES;
      if (phase === 0) this.controlTick(this.frame);
      let end = Math.min(frames, f + CONTROL_PERIOD_FRAMES - phase);
      // While no source glides, a control tick changes nothing (its keep-hot recomputation writes the
      // same taps and gains), so the next control periods up to the next event join this span: their
      // ticks run now, and the sources and the mix take one pass instead of one per period. Same bits.
      const nextEvent = e < eventCount ? events[e].offsetFrames : frames;
      while (end < frames && end < nextEvent && end + CONTROL_PERIOD_FRAMES - f <= MAX_SPAN_FRAMES && this.waves.gliding() === 0) {
        this.controlTick(this.frame + end - f);
        end = Math.min(frames, end + CONTROL_PERIOD_FRAMES);
      }
      if (e < eventCount && events[e].offsetFrames < end) end = events[e].offsetFrames;
      const ramp = this.masterRamp;
      if (ramp.framesLeft > 0 && end - f > ramp.framesLeft) end = f + ramp.framesLeft;
      if (this.speedFadeLeft > 0 && end - f > this.speedFadeLeft) end = f + this.speedFadeLeft;
      this.renderSpan(f, end - f);
      if (ramp.framesLeft > 0 && ramp.apply(this.f32, this.outWord, stride, numT, f, end - f) === 1) {
        // The target gain is baked here, on the hot path: bakeMasterGain() runs once a ramp, too rarely for
        // V8 to keep it optimised, and unoptimised every double it moves is a heap number (32 B a bake in
        // the render worker, optimised only after ~1000 ramps).
        const v = ramp.values;
        v[R_BAKED_DB] = v[R_TARGET_DB];
        this.params.masterGainDb = v[R_BAKED_DB];
        this.bakeMasterGain();
      }
      this.frame += end - f;
      f = end;
    }
    for (; e < eventCount; e++) router.stats.malformedMidi++;
    const outByte = this.outWord * 4;
    const f32 = this.f32;
    const native = this.native;
    // The native kernel clips straight into the host's arrays when they are the ones it has bound.
    let clipped = native !== null && this.outputsBound(native, outputs, frames) === 1
      ? native.finishTo(outByte, stride * 4, frames, numT, this.peakWord * 4, this.sumsqWord * 4) : -1;
    if (clipped < 0) {
      clipped = this.kernel.finish(outByte, stride * 4, frames, numT, this.peakWord * 4, this.sumsqWord * 4);
      for (let t = 0; t < numT; t++) {
        const o = this.outWord + t * stride;
        const dst = outputs[t];
        if (frames === stride && dst.length === stride) dst.set(this.outViews[t]);
        else for (let i = 0; i < frames; i++) dst[i] = f32[o + i];
      }
    }
    router.stats.clippedSamples += clipped;
    for (let t = 0; t < numT; t++) {
      this.peak[t] = f32[this.peakWord + t];
      this.rms[t] = Math.sqrt(f32[this.sumsqWord + t] / frames);
    }
    if (timed) this.loadFraction[0] = (performance.now() - started) / ((frames / this.sampleRate) * 1000);
  }

  /**
   * 1 when the native kernel may write this block into `outputs`: every transducer's array is the one it
   * has bound and holds `frames` (a detached array reads length 0). New arrays are bound, up to
   * MAX_OUTPUT_REBINDS times per prepare(); then 0 for good (the host passes new arrays every block).
   */
  private outputsBound(native: NativeHapticMixKernel, outputs: Float32Array[], frames: number): number {
    const bound = this.boundOutputs;
    const numT = bound.length;
    if (outputs.length < numT) return 0;
    let same = 1;
    for (let t = 0; t < numT; t++) {
      const dst = outputs[t];
      if (dst !== bound[t]) same = 0;
      if (!(dst.length >= frames)) return 0;
    }
    if (same === 1) return 1;
    if (this.outputRebinds >= MAX_OUTPUT_REBINDS) return 0;
    this.outputRebinds++;
    for (let t = 0; t < numT; t++) bound[t] = outputs[t];
    return native.bindOutputs(outputs) >= numT ? 1 : 0;
  }

  private static warmedUp = false;
  /**
   * The warm-up's engines, kept for the process's life: optimised code refers weakly to the objects it was
   * compiled against, and their collection deoptimised the audio path's functions still compiled against
   * them ("weak objects" in --trace-deopt: nine at the render worker's post-warm-up full GC; hapticWarmUp.test.ts).
   */
  private static readonly warmUpEngines: HapticEngine[] = [];

  /**
   * Once per process (from the first prepare()), calls every event handler a few thousand times and
   * runs every event kind through process() on throwaway engines (WARM_UP_CONFIGS in hapticWarmUp.ts),
   * so V8 has compiled them before audio flows. The handlers touch only small integers, so even
   * unoptimised they make no heap numbers, but V8 tiering them up later (compiling code objects on the
   * heap) would show up as allocation inside process() (measured: 1–7 kB per 1000 blocks in the
   * conformance probe). Then holds notes across the oscillator's anchor points (exerciseOscillatorAnchors).
   * Takes 0.3–0.6 s once per process on this machine (measured under load); at load 5–7, 0.14–0.16 s
   * before the anchor notes and 0.20–0.21 s with them.
   */
  private static warmUp(): void {
    if (HapticEngine.warmedUp) return;
    HapticEngine.warmedUp = true;
    for (const config of WARM_UP_CONFIGS) {
      const e = new HapticEngine(config);
      exerciseNoteHandlers(e.router);
      e.prepare({ sampleRate: 8000, maxBlockFrames: 16 });
      // The event-driven float work of the audio path lives in functions called only on events (and
      // from syncPool, whose event branches have no feedback when it is first optimised): unwarmed,
      // they ran unoptimised and boxed doubles — 650–1000 bytes per 1000 blocks in the conformance
      // probe, 32 (as before the split) with this loop.
      for (let i = 0; i < 1500; i++) {
        e.waves.writeIndex = e.waves.histLen;
        e.waves.shiftHistory();
        e.mpe.resetChannel(i & 15);
        e.mpe.writeTargets(e.travelling.data, 0, i & 15, (i & 1) === 0);
        e.generator.start(e.travelling, 0);
        e.generator.release(e.travelling, 0);
        e.waves.start(0);
        e.waves.jump(0);
        e.waves.updateAllTaps();
        // The master-gain ramp runs only after a gain change (its apply() loops, and bakeMasterGain).
        e.masterRamp.values[R_TARGET_DB] = -(i % 60) - 0.5;
        e.masterRamp.start();
        e.masterRamp.apply(e.f32, e.outWord, e.strideFloats, e.numOutputs, i % 8, 8);
        // As process() bakes a ramp that has ended (the target becomes the baked gain), then the taps.
        e.masterRamp.values[R_BAKED_DB] = e.masterRamp.values[R_TARGET_DB];
        e.params.masterGainDb = e.masterRamp.values[R_BAKED_DB];
        e.bakeMasterGain();
        // And the wave-speed crossfade (a span of it, then over).
        e.paramValues[0] = 20 + (i % 480);
        e.startSpeedFade();
        e.fadeSpeed(i % 8, 8, 0, 0);
        e.speedFadeLeft = 0;
        e.waves.fading = 0;
      }
      e.reset();
      exerciseProcess(e);
      // On every configuration: with the first one's alone, generate() still lost its code at a second
      // anchor inside a block (hapticWarmUp.test.ts).
      exerciseOscillatorAnchors(e, [e.config.pools.velocitySplit - 1, e.config.pools.velocitySplit]); // both pools
      e.reset();
      HapticEngine.warmUpEngines.push(e);
    }
  }

  // ---- the audio path ----

  /**
   * Does the floating-point work the events of this sample asked for. Runs at the start of EVERY span,
   * even when there is nothing to do, so that V8 keeps it (and what it calls) optimised: a function
   * that only runs on events would stay interpreted and allocate a heap number per double operation.
   */
  private sync(): void {
    this.mpe.applyResets();
    if (this.paramsDirty !== 0) {
      this.paramsDirty = 0;
      const ramp = this.masterRamp;
      if (this.paramValues[1] !== ramp.values[R_TARGET_DB]) {
        ramp.values[R_TARGET_DB] = this.paramValues[1];
        ramp.values[R_BAKED_DB] = this.params.masterGainDb;
        ramp.start();
      }
      // The taps and standing gains change only where the new values are baked: when a wave-speed fade
      // starts (startSpeedFade) and when a gain ramp ends (bakeMasterGain).
    }
    // A new wave speed waits for a crossfade under way to end (then fades from there: no step).
    if (this.speedFadeLeft === 0 && this.paramValues[0] !== this.params.waveSpeedMps) this.startSpeedFade();
    this.syncPool(this.travelling, true);
    this.syncPool(this.standing, false);
  }

  /** Keeps the present taps as the old ones, takes the new wave speed and starts the crossfade. */
  private startSpeedFade(): void {
    this.waves.beginFade();
    this.params.waveSpeedMps = this.paramValues[0];
    this.waves.updateAllTaps();
    this.speedFadeLeft = this.speedFadeFrames;
  }

  /**
   * Frames [offset, offset + n) of a wave-speed crossfade (n ≤ speedFadeLeft): the mix with the old taps
   * (and the same standing bus) is made at fadeWord, and out ← out + a·(old − out) with the old mix's
   * weight a = (L − 1 − k)/R at the span's k-th frame (L frames left at its start, R the fade's length),
   * so the taps' delays move from old to new as a linear crossfade over R frames, reaching the new mix
   * exactly — the same per-sample bound as a 10 ms ramp (a glide of every delay would need per-sample
   * taps in the three mix kernels). Counted on the absolute timeline: spans split at the fade's end.
   */
  private fadeSpeed(offset: number, n: number, count: number, busByte: number): void {
    const numT = this.numOutputs;
    const stride = this.strideFloats;
    const waves = this.waves;
    waves.writeOldList(count);
    this.mixAt((this.fadeWord + offset) * 4, n, waves.oldListByte, count, busByte);
    const w = this.fadeWeights;
    const left = this.speedFadeLeft;
    const length = this.speedFadeFrames;
    for (let k = 0; k < n; k++) w[k] = (left - 1 - k) / length;
    const f32 = this.f32;
    for (let t = 0; t < numT; t++) {
      const o = this.outWord + t * stride + offset;
      const q = this.fadeWord + t * stride + offset;
      for (let k = 0; k < n; k++) {
        const y = f32[o + k];
        f32[o + k] = y + w[k] * (f32[q + k] - y);
      }
    }
    this.speedFadeLeft = left - n;
    if (this.speedFadeLeft === 0) waves.fading = 0;
  }

  /**
   * The master-gain ramp has ended and its target is `params.masterGainDb` (set by the caller): it is baked
   * into the taps and standing gains (the output multiplier is 1 again). Moves no double itself.
   */
  private bakeMasterGain(): void {
    this.waves.updateAllTaps();
    this.standingWaves.updateGains();
  }

  /** Applies the flags the handlers raised on `pool`'s slots: start, follow the channel's MPE, release. */
  private syncPool(pool: StimulusPool, travelling: boolean): void {
    const m = pool.meta;
    const d = pool.data;
    const mpe = this.mpe;
    for (let s = 0; s < pool.capacity; s++) {
      const mo = s * META;
      const flags = m[mo + Meta.flags];
      if (flags === 0) continue;
      m[mo + Meta.flags] = 0;
      const o = s * FIELDS;
      const ch = m[mo + Meta.channel];
      if (flags & Flag.Init) {
        this.generator.start(pool, s);
        mpe.writeTargets(d, o, ch, true);
        if (travelling) this.waves.start(s);
      }
      if (flags & Flag.Mpe && !(flags & Flag.Init) && (m[mo] === Stage.Attack || m[mo] === Stage.Sustain)) {
        mpe.writeTargets(d, o, ch, false);
        if (travelling && this.waves.jumpsToTarget === 1) this.waves.jump(s);
      }
      if (flags & Flag.Release) this.generator.release(pool, s);
    }
  }

  /**
   * Frames [offset, offset + n) of the block: every stimulus's source, then the outputs written whole by
   * one mixSpan (linear: travelling taps, then the standing bus) or, for cubic taps, zeroed and added to
   * stimulus by stimulus (mixCubic), then the bus (mixGain). Same f32 operations in the same order either way.
   */
  private renderSpan(offset: number, n: number): void {
    const waves = this.waves;
    const count = waves.generate(this.generator, n);
    const busByte = this.standingWaves.generate(this.generator, n);
    this.mixAt((this.outWord + offset) * 4, n, waves.listByte, count, busByte);
    if (this.speedFadeLeft > 0) this.fadeSpeed(offset, n, count, busByte);
  }

  /** One span's mix written at byte `outByte`: the `count` stimuli listed at `listByte` (their taps) and the standing bus. */
  private mixAt(outByte: number, n: number, listByte: number, count: number, busByte: number): void {
    const numT = this.numOutputs;
    const strideB = this.strideFloats * 4;
    if (this.cubic === 0) {
      this.kernel.mixSpan(outByte, strideB, n, numT, listByte, count, busByte, this.standingWaves.gainsByte, this.mixTableWord * 4);
    } else {
      this.kernel.mixSpan(outByte, strideB, n, numT, 0, 0, 0, 0, 0);
      this.waves.mixCubic(outByte, strideB, n, numT, count, listByte);
      if (busByte !== 0) this.kernel.mixGain(outByte, strideB, busByte, n, this.standingWaves.gainsByte, numT);
    }
  }

  /**
   * Every CONTROL_PERIOD_FRAMES of absolute time: the travelling sources glide (travellingWaves.ts).
   * Also recomputes the standing gains, which changes no bits but keeps that code hot (see sync()).
   */
  private controlTick(frame: number): void {
    this.waves.controlTick(frame);
    this.standingWaves.updateGains();
  }

  getStats(): HapticStats {
    return { ...this.router.stats };
  }

  /** getStatus() as numbers (numericStatus.ts): peak and rms per output, the active counts, the load. */
  statusShape(): NumericShape {
    const n = this.numOutputs;
    return [['peak', n], ['rms', n], ['activeTravelling', 0], ['activeStanding', 0], ['loadFraction', 0]];
  }

  writeStatus(out: Float64Array, at: number): void {
    // Bulk copies: this runs a few times a second, unoptimised, where each double read element by element is boxed.
    const n = this.numOutputs;
    out.set(this.peak, at);
    out.set(this.rms, at + n);
    out[at + 2 * n] = this.travelling.activeCount();
    out[at + 2 * n + 1] = this.standing.activeCount();
    out.set(this.loadFraction, at + 2 * n + 2);
  }

  /** getStats() as numbers, in HapticStats' order. */
  statsShape(): NumericShape {
    return STATS_KEYS.map((k) => [k, 0] as const);
  }

  writeStats(out: Float64Array, at: number): void {
    const st = this.router.stats;
    out[at] = st.notesStarted;
    out[at + 1] = st.allocations;
    out[at + 2] = st.steals;
    out[at + 3] = st.drops;
    out[at + 4] = st.malformedMidi;
    out[at + 5] = st.clippedSamples;
  }

  getStatus(): HapticStatus {
    return {
      peak: Array.from(this.peak),
      rms: Array.from(this.rms),
      activeTravelling: this.travelling.activeCount(),
      activeStanding: this.standing.activeCount(),
      loadFraction: this.loadFraction[0],
    };
  }

  getState(): HapticState {
    return {
      version: 1,
      sampleRate: this.sampleRate,
      frame: this.frame,
      writeIndex: this.waves.writeIndex,
      serial: this.router.serial,
      waveSpeedMps: this.params.waveSpeedMps,
      masterGainDb: this.params.masterGainDb,
      channels: this.mpe.values.slice(),
      paramValues: this.paramValues.slice(),
      masterGainRamp: Float64Array.of(...this.masterRamp.values, this.masterRamp.framesLeft),
      waveSpeedFadeFrames: this.speedFadeLeft,
      travellingMeta: this.travelling.meta.slice(),
      travelling: this.travelling.data.slice(),
      standingMeta: this.standing.meta.slice(),
      standing: this.standing.data.slice(),
      history: this.waves.saveHistory(),
      taps: this.waves.saveTaps(),
      stats: { ...this.router.stats },
    };
  }

  setState(state: HapticState): void {
    if (state.version !== 1 || state.sampleRate !== this.sampleRate || state.history.length !== this.waves.historyWords()
      || state.travelling.length !== this.travelling.data.length || state.standing.length !== this.standing.data.length) {
      throw new Error(`HapticEngine.setState: the state was saved at ${state.sampleRate} Hz with another layout; prepare the engine at the same rate and configuration`);
    }
    this.frame = state.frame;
    this.waves.writeIndex = state.writeIndex;
    this.router.serial = state.serial;
    this.params.waveSpeedMps = state.waveSpeedMps;
    this.params.masterGainDb = state.masterGainDb;
    this.mpe.values.set(state.channels);
    this.paramValues.set(state.paramValues);
    const ramp = state.masterGainRamp ?? Float64Array.of(1, 0, 1, state.masterGainDb, state.masterGainDb, 0);
    const slots = this.masterRamp.values.length;
    this.masterRamp.values.set(ramp.subarray(0, slots));
    this.masterRamp.framesLeft = ramp[slots];
    this.speedFadeLeft = state.waveSpeedFadeFrames ?? 0;
    this.waves.fading = this.speedFadeLeft > 0 ? 1 : 0;
    this.travelling.meta.set(state.travellingMeta);
    this.travelling.data.set(state.travelling);
    this.standing.meta.set(state.standingMeta);
    this.standing.data.set(state.standing);
    this.waves.restore(state.history, state.taps);
    this.router.stats = { ...state.stats };
    this.standingWaves.updateGains();
  }
}
