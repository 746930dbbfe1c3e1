import { performance } from 'node:perf_hooks';
import type { Engine, PrepareOptions } from '../engine/engine.ts';
import { type EngineEvent, EventKind, at, makeEvent } from '../engine/events.ts';
import {
  HAPTIC_PARAMS, HAPTIC_PARAM_NAMES, STEAL_POLICIES, type HapticConfig, type HapticConfigInput, layoutCentre,
  maxSourceDistanceM, parseHapticConfig, transducerPositions,
} from './hapticConfig.ts';
import { type HapticState, type HapticStats, type HapticStatus, emptyStats } from './hapticState.ts';
import { type HapticMixKernel, createWasmMemory, instantiateMixKernel } from './mixKernel.ts';
import { createJsMixKernel } from './jsMixKernel.ts';
import { FIELDS, Field, Flag, META, Meta, Stage, StimulusPool } from './stimulusPool.ts';
import { TapArg, type TapGeometry, writeTapCoefficients } from './tapCoefficients.ts';
import { layoutHapticMemory } from './hapticMemoryLayout.ts';
import { StimulusGenerator } from './stimulusGenerator.ts';

/** Positions glide and taps are recomputed on this grid of absolute frames (never on block starts). */
export const CONTROL_PERIOD_FRAMES = 64;
/**
 * The load is timed on one block in 1024: in Node 20 each performance.now() call allocates a 16-byte
 * number, so timing every block would break the no-allocation contract of process().
 */
const LOAD_SAMPLE_MASK = 1023;

/** Bumped whenever a change alters the output for unchanged configuration and events (recorded in golden sidecars). */
export const HAPTIC_ENGINE_VERSION = '1.0.0';

/**
 * The haptic stimulus engine: 0 inputs, one output per transducer (32 by default, see hapticConfig.ts).
 *
 * Notes are routed by velocity to a travelling-wave pool (velocity < split) or a standing-wave pool,
 * each of fixed capacity with a drop/oldest/quietest policy when full. A stimulus is a sine at
 * 440·2^((note − 69)/12) Hz, amplitude velocity/127 × pressure × envelope (linear attack, sustain 1,
 * linear release from the level at note-off).
 *
 * Travelling wave: one float32 history per stimulus, one fractional tap per transducer at
 * distance/speed·fs samples with gain 1/(1 + 2·distance) (tapCoefficients.ts). The source sits at
 * layout centre + (bend·R, (2·timbre − 1)·R), R = positionRangeM, i.e. MPE moves it around the CENTRE
 * of the layout, not around where the note started; a new note starts at its channel's present
 * position, and later moves glide there with a one-pole (positionGlideMs) evaluated every
 * CONTROL_PERIOD_FRAMES frames of absolute time. After its release a travelling stimulus stays in its
 * pool for the longest possible delay (Tail) so the far transducers hear the end of it, then is freed.
 * Standing wave: the sum of the standing stimuli goes to every transducer × the mode shape (default 1).
 * Output: × master gain, then clipped to ±1 (clipped samples counted), values below FLT_MIN flushed.
 *
 * Per-channel MPE state (pressure, bend, timbre; reset by CC121) applies to the held notes on the
 * channel. Pressure starts at 1 (so non-MPE input plays at full level) and is smoothed over 5 ms.
 */
/** Implementation choices that do not change the output (bit-identical either way). */
export interface HapticEngineOptions {
  /** 'wasm' (default): WebAssembly SIMD kernels; 'js': the plain JavaScript reference kernels. */
  kernel?: 'wasm' | 'js';
}

export class HapticEngine implements Engine<HapticState> {
  readonly name = 'haptic';
  readonly numInputs = 0;
  readonly numOutputs: number;
  readonly paramNames = HAPTIC_PARAM_NAMES;
  readonly config: HapticConfig;

  private readonly geometry: TapGeometry;
  // Fields that hold doubles start as NaN so V8 gives them a double representation from the first
  // engine on; a field that first held a small integer and later a double would change every engine's
  // hidden class and deoptimise the audio path (seen as "wrong map" deopts in the allocation probe).
  private readonly centreX: number = Number.NaN;
  private readonly centreY: number = Number.NaN;
  private readonly modeShape: Float64Array;
  readonly travelling: StimulusPool;
  readonly standing: StimulusPool;
  /** Per MIDI channel: pressure, bend, timbre. */
  private readonly channels = new Float64Array(48);
  private readonly tapArgs = new Float64Array(5);
  /** Parameter values set by Param events (written on the audio path, applied by sync()). */
  private readonly paramValues = new Float64Array(2);
  /** A Smi flag: something for sync() to do. */
  private dirty = 0;
  private paramsDirty = 0;
  /** Bit ch set: CC121 reset the controllers of channel ch (applied by sync()). */
  private channelResets = 0;
  // Configuration copied to plain numeric fields, so every engine has the same hidden class whatever its
  // configuration (event handlers stay monomorphic once V8 has optimised them). Doubles from the start.
  private readonly cubic: number = 0;
  private readonly velocitySplit: number = 0;
  private readonly stealPolicy: number = 0;
  private readonly positionRangeM: number = Number.NaN;

  private sampleRate = Number.NaN;
  private prepared = false;
  private kernel!: HapticMixKernel;
  private f32 = new Float32Array(0);
  private i32 = new Int32Array(0);
  /** Per transducer, a view of its output block in the kernel memory (for a memcpy out). */
  private outViews: Float32Array[] = [];
  private strideFloats = 0;
  private outWord = 0;
  private busWord = 0;
  private histWord = 0;
  private histLen = 0;
  private historyFrames = 0;
  private coefWord = 0;
  private coefWords = 0;
  private gainsWord = 0;
  private peakWord = 0;
  private sumsqWord = 0;
  private glideCoeff = Number.NaN;
  private readonly generator = new StimulusGenerator();

  private frame = 0;
  private writeIndex = 0;
  private serial = 0;
  private waveSpeedMps = Number.NaN;
  private masterGainDb = Number.NaN;
  private stats: HapticStats = emptyStats();
  private readonly peak: Float64Array;
  private readonly rms: Float64Array;
  private loadFraction = Number.NaN;
  private blockCount = 0;

  private readonly kernelKind: 'wasm' | 'js';

  constructor(config?: HapticConfigInput | HapticConfig, options: HapticEngineOptions = {}) {
    this.kernelKind = options.kernel ?? 'wasm';
    this.config = parseHapticConfig(config ?? {}, 'HapticEngine config');
    const positions = transducerPositions(this.config);
    this.numOutputs = positions.length;
    this.geometry = { xsM: Float64Array.from(positions, (p) => p.xM), ysM: Float64Array.from(positions, (p) => p.yM) };
    const c = layoutCentre(positions);
    this.centreX = c.xM;
    this.centreY = c.yM;
    this.modeShape = Float64Array.from(this.config.standingModeShape ?? positions.map(() => 1));
    this.travelling = new StimulusPool(this.config.pools.travelling);
    this.standing = new StimulusPool(this.config.pools.standing);
    this.waveSpeedMps = this.config.waveSpeedMps;
    this.masterGainDb = this.config.masterGainDb;
    this.cubic = this.config.interpolation === 'cubic' ? 1 : 0;
    this.velocitySplit = this.config.pools.velocitySplit;
    this.stealPolicy = STEAL_POLICIES.indexOf(this.config.pools.stealPolicy);
    this.positionRangeM = this.config.positionRangeM;
    this.peak = new Float64Array(this.numOutputs);
    this.rms = new Float64Array(this.numOutputs);
  }

  prepare({ sampleRate, maxBlockFrames }: PrepareOptions): void {
    HapticEngine.warmUpHandlers();
    this.sampleRate = sampleRate;
    const numT = this.numOutputs;
    this.historyFrames = Math.ceil((maxSourceDistanceM(this.config) / HAPTIC_PARAMS[0].min) * sampleRate) + 8;
    const layout = layoutHapticMemory({ numTransducers: numT, maxBlockFrames, travellingCapacity: this.travelling.capacity, historyFrames: this.historyFrames });
    this.strideFloats = layout.strideFloats;
    this.histLen = layout.histLen;
    this.coefWords = layout.coefWords;
    this.outWord = layout.outWord;
    this.busWord = layout.busWord;
    this.histWord = layout.histWord;
    this.coefWord = layout.coefWord;
    this.gainsWord = layout.gainsWord;
    this.peakWord = layout.peakWord;
    this.sumsqWord = layout.sumsqWord;
    const memory = createWasmMemory(layout.words * 4);
    this.kernel = this.kernelKind === 'js' ? createJsMixKernel(memory) : instantiateMixKernel(memory);
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
    const f64 = new Float64Array(memory.buffer);
    this.generator.prepare(this.kernel, { f32: this.f32, f64, sineWord: layout.sineWord }, sampleRate, this.config.envelope, this.historyFrames);
    this.outViews = Array.from({ length: numT }, (_, t) => this.f32.subarray(this.outWord + t * this.strideFloats, this.outWord + (t + 1) * this.strideFloats));
    const glideFrames = (this.config.positionGlideMs / 1000) * sampleRate;
    this.glideCoeff = glideFrames > 0 ? 1 - Math.exp(-CONTROL_PERIOD_FRAMES / glideFrames) : 1;
    this.prepared = true;
    this.reset();
  }

  reset(): void {
    this.f32.fill(0);
    this.travelling.clear();
    this.standing.clear();
    for (let ch = 0; ch < 16; ch++) this.resetChannel(ch);
    this.frame = 0;
    this.writeIndex = this.historyFrames;
    this.serial = 0;
    this.waveSpeedMps = this.paramValues[0] = this.config.waveSpeedMps;
    this.masterGainDb = this.paramValues[1] = this.config.masterGainDb;
    this.dirty = 0;
    this.paramsDirty = 0;
    this.stats = emptyStats();
    this.peak.fill(0);
    this.rms.fill(0);
    if (this.prepared) this.updateStandingGains();
  }

  process(_inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const timed = (this.blockCount++ & LOAD_SAMPLE_MASK) === 0;
    const started = timed ? performance.now() : 0;
    const numT = this.numOutputs;
    const stride = this.strideFloats;
    this.f32.fill(0, this.outWord, this.outWord + numT * stride);
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
            if (kind === EventKind.NoteOn && velocity > 0) this.noteOn(ch, note, velocity);
            else this.noteOff(ch, note);
          } else this.stats.malformedMidi++;
        } else if (kind === EventKind.Pressure || kind === EventKind.Timbre) {
          if (channelOk && v >= 0 && v <= 1) {
            this.channels[ch * 3 + (kind === EventKind.Pressure ? 0 : 2)] = v;
            this.markChannel(ch);
          } else this.stats.malformedMidi++;
        } else if (kind === EventKind.PitchBend) {
          if (channelOk && v >= -1 && v <= 1) {
            this.channels[ch * 3 + 1] = v;
            this.markChannel(ch);
          } else this.stats.malformedMidi++;
        } else if (kind === EventKind.Param) {
          const p = ev.paramIndex;
          if ((p === 0 || p === 1) && v > -Infinity && v < Infinity) {
            this.paramValues[p] = Math.min(HAPTIC_PARAMS[p].max, Math.max(HAPTIC_PARAMS[p].min, v));
            this.markParams();
          } else this.stats.malformedMidi++;
        } else if (kind === EventKind.ControlChange && channelOk) {
          this.controlChange(ch, ev.note);
        } else if (kind === EventKind.Panic) {
          this.panic();
        } else this.stats.malformedMidi++;
      }
      this.sync();
      const phase = this.frame % CONTROL_PERIOD_FRAMES;
      if (phase === 0) this.controlTick();
      let end = Math.min(frames, f + CONTROL_PERIOD_FRAMES - phase);
      if (e < eventCount && events[e].offsetFrames < end) end = events[e].offsetFrames;
      this.renderSpan(f, end - f);
      this.frame += end - f;
      f = end;
    }
    for (; e < eventCount; e++) this.stats.malformedMidi++;
    const outByte = this.outWord * 4;
    this.stats.clippedSamples += this.kernel.finish(outByte, stride * 4, frames, numT, this.peakWord * 4, this.sumsqWord * 4);
    const f32 = this.f32;
    for (let t = 0; t < numT; t++) {
      const o = this.outWord + t * stride;
      const dst = outputs[t];
      if (frames === stride && dst.length === stride) dst.set(this.outViews[t]);
      else for (let i = 0; i < frames; i++) dst[i] = f32[o + i];
      this.peak[t] = f32[this.peakWord + t];
      this.rms[t] = Math.sqrt(f32[this.sumsqWord + t] / frames);
    }
    if (timed) this.loadFraction = (performance.now() - started) / ((frames / this.sampleRate) * 1000);
  }

  // ---- event handlers: integers only (see Meta in stimulusPool.ts) ----

  private static warmedUp = false;

  /**
   * Once per process (from the first prepare()), calls every event handler a few thousand times and
   * runs every event kind through process() on throwaway engines (one per steal policy, covering both
   * interpolators, glide on/off, mode shape), so V8 has compiled them before audio flows. They touch only small integers, so even unoptimised they make
   * no heap numbers, but V8 tiering them up later (compiling code objects on the heap) would show up
   * as allocation inside process() (measured: 1–7 kB per 1000 blocks in the conformance probe).
   * Takes 0.3–0.6 s once per process on this machine (measured under load).
   */
  private static warmUpHandlers(): void {
    if (HapticEngine.warmedUp) return;
    HapticEngine.warmedUp = true;
    // One engine per steal policy, each with other branches of the configuration (interpolation, glide,
    // envelope, mode shape), so that every engine a host makes later runs through code V8 has seen.
    const variants: HapticConfigInput[] = [
      { interpolation: 'linear', envelope: { attackMs: 2, releaseMs: 3 } },
      { interpolation: 'cubic', positionGlideMs: 0, envelope: { attackMs: 0, releaseMs: 0 } },
      { interpolation: 'linear', standingModeShape: [1, -0.5], envelope: { attackMs: 1, releaseMs: 1 } },
    ];
    for (let v = 0; v < STEAL_POLICIES.length; v++) {
      const stealPolicy = STEAL_POLICIES[v];
      const e = new HapticEngine({ ...variants[v], layout: { rows: 1, columns: 2 }, pools: { travelling: 2, standing: 1, stealPolicy } });
      for (let i = 0; i < 1500; i++) {
        const ch = i & 15;
        e.noteOn(ch, i % 128, 1 + (i % 127));
        e.markChannel((ch + 5) & 15);
        e.controlChange(ch, i % 3 === 0 ? 121 : i % 3 === 1 ? 123 : 7);
        e.noteOff((ch + 9) & 15, (i + 64) % 128);
        if (i % 4 === 0) e.panic();
        if (i % 7 === 0) e.markParams();
        if (i % 5 === 0) { e.travelling.clear(); e.standing.clear(); }
      }
      e.prepare({ sampleRate: 8000, maxBlockFrames: 16 });
      for (let i = 0; i < 1500; i++) {
        e.writeIndex = e.histLen;
        e.shiftHistory();
        e.resetChannel(i & 15);
      }
      // Every event kind through process(), so the hot path has seen every branch (no late deopts).
      // Event records of the shapes the project's hosts make (makeEvent(), a spread of an at.* timeline
      // event, a literal), so a host's first block does not deoptimise process() on a new hidden class.
      const shapes: EngineEvent[] = [
        makeEvent(),
        { ...at.noteOn(0, 0, 60, 100), offsetFrames: 0 },
        { ...at.pressure(0, 0, 0.5), offsetFrames: 0 },
        { ...at.param(0, 0, 60.5), offsetFrames: 0 },
        { kind: EventKind.Panic, offsetFrames: 0, channel: 0, note: 0, value: 0.5, paramIndex: 0 },
      ];
      const events = [shapes[0], makeEvent()];
      const outputs = [new Float32Array(16), new Float32Array(16)];
      const kinds = [EventKind.NoteOn, EventKind.Pressure, EventKind.PitchBend, EventKind.Timbre, EventKind.NoteOn,
        EventKind.NoteOff, EventKind.Param, EventKind.ControlChange, EventKind.Panic, 0 as EventKind];
      for (let i = 0; i < 1000; i++) {
        const kind = kinds[i % kinds.length];
        const ev = shapes[i % shapes.length];
        events[0] = ev;
        ev.kind = kind;
        ev.channel = (i >> 2) & 15;
        ev.note = kind === EventKind.ControlChange ? 121 : 40 + (i % 40);
        ev.value = kind === EventKind.NoteOn ? 1 + ((i * 37) % 127) : kind === EventKind.Param ? 20 + (i % 400) : kind === EventKind.PitchBend ? ((i % 9) - 4) / 4 : (i % 7) / 7;
        ev.paramIndex = i & 1;
        ev.offsetFrames = i % 13;
        events[1].kind = EventKind.NoteOn;
        events[1].offsetFrames = 14;
        events[1].value = i % 127;
        events[1].note = 50 + (i % 30);
        e.process(outputs, outputs, i % 5 === 0 ? 15 : 16, events, i % 3);
      }
    }
  }

  private noteOn(ch: number, note: number, velocity: number): void {
    this.stats.notesStarted++;
    this.noteOff(ch, note);
    const toStanding = velocity >= this.velocitySplit;
    const pool = toStanding ? this.standing : this.travelling;
    let s = pool.freeSlot();
    if (s < 0) {
      s = pool.victim(this.stealPolicy);
      if (s < 0) { this.stats.drops++; return; }
      this.stats.steals++;
    }
    this.stats.allocations++;
    const m = pool.meta;
    const o = s * META;
    m[o + Meta.stage] = Stage.Attack;
    m[o + Meta.channel] = ch;
    m[o + Meta.note] = note;
    m[o + Meta.velocity] = velocity;
    m[o + Meta.serial] = ++this.serial;
    m[o + Meta.flags] = Flag.Init;
    m[o + Meta.loudness] = 0;
    this.dirty = 1;
  }

  private noteOff(ch: number, note: number): void {
    const a = this.travelling.findHeld(ch, note);
    if (a >= 0) this.markRelease(this.travelling, a);
    const b = this.standing.findHeld(ch, note);
    if (b >= 0) this.markRelease(this.standing, b);
  }

  private markRelease(pool: StimulusPool, s: number): void {
    const o = s * META;
    pool.meta[o + Meta.stage] = Stage.Release;
    pool.meta[o + Meta.flags] |= Flag.Release;
    this.dirty = 1;
  }

  private panic(): void {
    this.releaseHeld(this.travelling);
    this.releaseHeld(this.standing);
  }

  private releaseHeld(pool: StimulusPool): void {
    for (let s = 0; s < pool.capacity; s++) {
      const st = pool.meta[s * META];
      if (st === Stage.Attack || st === Stage.Sustain) this.markRelease(pool, s);
    }
  }

  private controlChange(ch: number, controller: number): void {
    if (controller === 120 || controller === 123) this.panic();
    else if (controller === 121) {
      this.channelResets |= 1 << ch;
      this.markChannel(ch);
    }
  }

  private markChannel(ch: number): void {
    this.markHeldOn(this.travelling, ch);
    this.markHeldOn(this.standing, ch);
    this.dirty = 1;
  }

  private markHeldOn(pool: StimulusPool, ch: number): void {
    const m = pool.meta;
    for (let s = 0; s < pool.capacity; s++) {
      const o = s * META;
      const st = m[o];
      if ((st === Stage.Attack || st === Stage.Sustain) && m[o + Meta.channel] === ch) m[o + Meta.flags] |= Flag.Mpe;
    }
  }

  private markParams(): void {
    this.paramsDirty = 1;
    this.dirty = 1;
  }

  // ---- the audio path ----

  /**
   * Does the floating-point work the events of this sample asked for. Runs at the start of EVERY span,
   * even when there is nothing to do, so that V8 keeps it (and what it calls) optimised: a function
   * that only runs on events would stay interpreted and allocate a heap number per double operation.
   */
  private sync(): void {
    this.dirty = 0;
    if (this.channelResets !== 0) {
      for (let ch = 0; ch < 16; ch++) if ((this.channelResets >> ch) & 1) this.resetChannel(ch);
      this.channelResets = 0;
    }
    if (this.paramsDirty !== 0) {
      this.paramsDirty = 0;
      this.waveSpeedMps = this.paramValues[0];
      this.masterGainDb = this.paramValues[1];
      for (let s = 0; s < this.travelling.capacity; s++) if (this.travelling.meta[s * META] !== Stage.Free) this.updateTaps(s);
      this.updateStandingGains();
    }
    this.syncPool(this.travelling, true);
    this.syncPool(this.standing, false);
  }

  private syncPool(pool: StimulusPool, travelling: boolean): void {
    const m = pool.meta;
    const d = pool.data;
    for (let s = 0; s < pool.capacity; s++) {
      const mo = s * META;
      const flags = m[mo + Meta.flags];
      if (flags === 0) continue;
      m[mo + Meta.flags] = 0;
      const o = s * FIELDS;
      const ch = m[mo + Meta.channel];
      if (flags & Flag.Init) {
        this.generator.start(pool, s, this.channels[ch * 3]);
        d[o + Field.x] = d[o + Field.targetX] = this.centreX + this.channels[ch * 3 + 1] * this.positionRangeM;
        d[o + Field.y] = d[o + Field.targetY] = this.centreY + (2 * this.channels[ch * 3 + 2] - 1) * this.positionRangeM;
        if (travelling) {
          const base = this.histWord + s * this.histLen;
          this.f32.fill(0, base, base + this.histLen);
          this.updateTaps(s);
        }
      }
      if (flags & Flag.Mpe && !(flags & Flag.Init) && (m[mo] === Stage.Attack || m[mo] === Stage.Sustain)) {
        d[o + Field.pressureTarget] = this.channels[ch * 3];
        d[o + Field.targetX] = this.centreX + this.channels[ch * 3 + 1] * this.positionRangeM;
        d[o + Field.targetY] = this.centreY + (2 * this.channels[ch * 3 + 2] - 1) * this.positionRangeM;
        if (travelling && this.glideCoeff === 1) {
          d[o + Field.x] = d[o + Field.targetX];
          d[o + Field.y] = d[o + Field.targetY];
          this.updateTaps(s);
        }
      }
      if (flags & Flag.Release) this.generator.release(pool, s);
    }
  }

  private renderSpan(offset: number, n: number): void {
    const numT = this.numOutputs;
    const strideB = this.strideFloats * 4;
    const outByte = (this.outWord + offset) * 4;
    if (this.writeIndex + n > this.histLen) this.shiftHistory();
    const tp = this.travelling;
    for (let s = 0; s < tp.capacity; s++) {
      if (tp.meta[s * META] === Stage.Free) continue;
      const at = this.histWord + s * this.histLen + this.writeIndex;
      this.generator.generate(tp, s, at, n, false);
      const coef = (this.coefWord + s * this.coefWords) * 4;
      if (this.cubic === 0) this.kernel.mixLinear(outByte, strideB, at * 4, n, coef, numT);
      else this.kernel.mixCubic(outByte, strideB, at * 4, n, coef, numT);
    }
    const sp = this.standing;
    let anyStanding = false;
    for (let s = 0; s < sp.capacity; s++) {
      if (sp.meta[s * META] === Stage.Free) continue;
      if (!anyStanding) this.f32.fill(0, this.busWord, this.busWord + n);
      anyStanding = true;
      this.generator.generate(sp, s, this.busWord, n, true);
    }
    if (anyStanding) this.kernel.mixGain(outByte, strideB, this.busWord * 4, n, this.gainsWord * 4, numT);
    this.writeIndex += n;
  }

  /** Moves each held history's last `historyFrames` samples to the front (a linear history, no mask in the kernel). */
  private shiftHistory(): void {
    const keep = this.historyFrames;
    for (let s = 0; s < this.travelling.capacity; s++) {
      if (this.travelling.stage(s) === Stage.Free) continue;
      const base = this.histWord + s * this.histLen;
      this.f32.copyWithin(base, base + this.writeIndex - keep, base + this.writeIndex);
    }
    this.writeIndex = keep;
  }

  /**
   * Every CONTROL_PERIOD_FRAMES of absolute time: positions glide one step towards their targets (taps
   * recomputed). Also recomputes the taps of one held stimulus in turn and the standing gains, which
   * changes no bits (same inputs, same function) but keeps that code hot and optimised (see sync()).
   */
  private controlTick(): void {
    const tp = this.travelling;
    const k = this.glideCoeff;
    if (tp.capacity > 0) {
      const r = this.frame / CONTROL_PERIOD_FRAMES % tp.capacity;
      if (tp.meta[r * META] !== Stage.Free) this.updateTaps(r);
    }
    this.updateStandingGains();
    for (let s = 0; s < tp.capacity; s++) {
      if (tp.meta[s * META] === Stage.Free) continue;
      const o = s * FIELDS;
      const d = tp.data;
      const x = d[o + Field.x], y = d[o + Field.y], tx = d[o + Field.targetX], ty = d[o + Field.targetY];
      if (x === tx && y === ty) continue;
      d[o + Field.x] = Math.abs(tx - x) < 1e-6 ? tx : x + (tx - x) * k;
      d[o + Field.y] = Math.abs(ty - y) < 1e-6 ? ty : y + (ty - y) * k;
      this.updateTaps(s);
    }
  }

  private updateTaps(s: number): void {
    const d = this.travelling.data;
    const o = s * FIELDS;
    const args = this.tapArgs;
    args[TapArg.xM] = d[o + Field.x];
    args[TapArg.yM] = d[o + Field.y];
    args[TapArg.waveSpeedMps] = this.waveSpeedMps;
    args[TapArg.sampleRate] = this.sampleRate;
    args[TapArg.gainLinear] = 10 ** (this.masterGainDb / 20);
    writeTapCoefficients(this.geometry, args, this.cubic, this.i32, this.f32, this.coefWord + s * this.coefWords);
  }

  private updateStandingGains(): void {
    const g = 10 ** (this.masterGainDb / 20);
    for (let t = 0; t < this.numOutputs; t++) this.f32[this.gainsWord + t] = g * this.modeShape[t];
  }

  private resetChannel(ch: number): void {
    this.channels[ch * 3] = 1;
    this.channels[ch * 3 + 1] = 0;
    this.channels[ch * 3 + 2] = 0.5;
  }









  getStats(): HapticStats {
    return { ...this.stats };
  }

  getStatus(): HapticStatus {
    return {
      peak: Array.from(this.peak),
      rms: Array.from(this.rms),
      activeTravelling: this.travelling.activeCount(),
      activeStanding: this.standing.activeCount(),
      loadFraction: this.loadFraction,
    };
  }

  getState(): HapticState {
    return {
      version: 1,
      sampleRate: this.sampleRate,
      frame: this.frame,
      writeIndex: this.writeIndex,
      serial: this.serial,
      waveSpeedMps: this.waveSpeedMps,
      masterGainDb: this.masterGainDb,
      channels: this.channels.slice(),
      paramValues: this.paramValues.slice(),
      travellingMeta: this.travelling.meta.slice(),
      travelling: this.travelling.data.slice(),
      standingMeta: this.standing.meta.slice(),
      standing: this.standing.data.slice(),
      history: this.f32.slice(this.histWord, this.histWord + this.travelling.capacity * this.histLen),
      taps: new Uint8Array(this.f32.buffer.slice(this.coefWord * 4, (this.coefWord + this.travelling.capacity * this.coefWords) * 4)),
      stats: { ...this.stats },
    };
  }

  setState(state: HapticState): void {
    const historyWords = this.travelling.capacity * this.histLen;
    if (state.version !== 1 || state.sampleRate !== this.sampleRate || state.history.length !== historyWords
      || state.travelling.length !== this.travelling.data.length || state.standing.length !== this.standing.data.length) {
      throw new Error(`HapticEngine.setState: the state was saved at ${state.sampleRate} Hz with another layout; prepare the engine at the same rate and configuration`);
    }
    this.frame = state.frame;
    this.writeIndex = state.writeIndex;
    this.serial = state.serial;
    this.waveSpeedMps = state.waveSpeedMps;
    this.masterGainDb = state.masterGainDb;
    this.channels.set(state.channels);
    this.paramValues.set(state.paramValues);
    this.travelling.meta.set(state.travellingMeta);
    this.travelling.data.set(state.travelling);
    this.standing.meta.set(state.standingMeta);
    this.standing.data.set(state.standing);
    this.f32.set(state.history, this.histWord);
    new Uint8Array(this.f32.buffer).set(state.taps, this.coefWord * 4);
    this.stats = { ...state.stats };
    this.updateStandingGains();
  }
}

