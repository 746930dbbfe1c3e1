import type { HapticMixKernel } from './mixKernel.ts';
import { FIELDS, Field, META, Meta, Stage, type StimulusPool } from './stimulusPool.ts';

/** The oscillator is re-anchored to the exact phase ω·age every this many samples. */
const OSC_ANCHOR_MASK = 4095;
const PRESSURE_SMOOTHING_SECONDS = 0.005;
const TINY = 1e-30;
const LOUDNESS_SCALE = 16777216;

/** The kernel memory as the generator sees it (views of one buffer) and where its sineRun state lives. */
export interface GeneratorMemory {
  f32: Float32Array;
  f64: Float64Array;
  /** Index in f64 words of the sineRun state block (5 f64). */
  sineWord: number;
  /** Index in f64 words of the sineRunMany table: `batchCapacity` entries of 6 f64 (see queue()). */
  batchWord: number;
  batchCapacity: number;
}

/** f64 words per sineRunMany table entry: g, cos, sin, cosStep, sinStep, then the i32 dst byte address. */
const BATCH_ENTRY = 6;

/**
 * One stimulus's source signal: a sine at 440·2^((note − 69)/12) Hz (a quadrature oscillator rotated
 * by ω = 2π·f/fs per sample and re-anchored to cos/sin(ω·age) every 4096 samples) × velocity/127 ×
 * pressure × envelope. The envelope rises linearly from 0 to 1 over attackMs, holds 1, and falls
 * linearly over releaseMs from the level at note-off; pressure follows its target through a one-pole
 * of 5 ms (k = 1 − e^(−1/(0.005·fs)), snapped to the target within 1e−7). Values below 1e−30 are
 * written as 0. A travelling stimulus then stays in the Tail stage for `tailFrames` (its delay line
 * draining) before it is freed; a standing one is freed when its release ends.
 *
 * Holds no stimulus state of its own: it reads and writes the slots of the pool it is given.
 */
export class StimulusGenerator {
  // Doubles start as NaN so V8 gives these fields a double representation from the first instance on.
  private sampleRate = Number.NaN;
  private pressureCoeff = Number.NaN;
  private attackFrames = Number.NaN;
  private releaseFrames = Number.NaN;
  private tailFrames = 0;
  private kernel!: HapticMixKernel;
  private f32: Float32Array = new Float32Array(0);
  private f64: Float64Array = new Float64Array(0);
  private sineWord = 0;
  private batchWord = 0;
  /** Slots of the queued stimuli (one pool per batch), in table order. */
  private batchSlots = new Int32Array(0);
  private batchCount = 0;
  private i32: Int32Array = new Int32Array(0);

  prepare(kernel: HapticMixKernel, memory: GeneratorMemory, sampleRate: number, envelope: { attackMs: number; releaseMs: number }, tailFrames: number): void {
    this.kernel = kernel;
    this.f32 = memory.f32;
    this.f64 = memory.f64;
    this.sineWord = memory.sineWord;
    this.batchWord = memory.batchWord;
    this.batchSlots = new Int32Array(memory.batchCapacity);
    this.batchCount = 0;
    this.i32 = new Int32Array(memory.f64.buffer);
    this.sampleRate = sampleRate;
    this.pressureCoeff = 1 - Math.exp(-1 / (PRESSURE_SMOOTHING_SECONDS * sampleRate));
    this.attackFrames = (envelope.attackMs / 1000) * sampleRate;
    this.releaseFrames = (envelope.releaseMs / 1000) * sampleRate;
    this.tailFrames = tailFrames;
  }

  /** Starts slot s of `pool` (its note and velocity already in meta) at phase 0; the caller sets pressure and position. */
  start(pool: StimulusPool, s: number): void {
    const m = pool.meta;
    const d = pool.data;
    const mo = s * META;
    const o = s * FIELDS;
    const omega = (2 * Math.PI * 440 * 2 ** ((m[mo + Meta.note] - 69) / 12)) / this.sampleRate;
    const attack = this.attackFrames >= 1;
    if (!attack && m[mo + Meta.stage] === Stage.Attack) m[mo + Meta.stage] = Stage.Sustain;
    d[o + Field.level] = attack ? 0 : 1;
    d[o + Field.step] = attack ? 1 / this.attackFrames : 0;
    d[o + Field.amp] = m[mo + Meta.velocity] / 127;
    d[o + Field.cos] = 1;
    d[o + Field.sin] = 0;
    d[o + Field.cosStep] = Math.cos(omega);
    d[o + Field.sinStep] = Math.sin(omega);
    d[o + Field.omega] = omega;
    d[o + Field.age] = 0;
    d[o + Field.tailLeft] = 0;
  }

  /** Starts the release of slot s from its present level (immediate when releaseMs is below a sample). */
  release(pool: StimulusPool, s: number): void {
    const d = pool.data;
    const o = s * FIELDS;
    d[o + Field.step] = this.releaseFrames >= 1 ? d[o + Field.level] / this.releaseFrames : Infinity;
    d[o + Field.tailLeft] = this.tailFrames;
  }

  /**
   * 1 when slot s's next n samples can go through the batch (queue → flush): sustained at a constant gain
   * (pressure at its target) with no oscillator anchor before the run's last sample. Else 0: use generate().
   */
  batchable(pool: StimulusPool, s: number, n: number): number {
    const d = pool.data;
    const o = s * FIELDS;
    return pool.meta[s * META + Meta.stage] === Stage.Sustain && d[o + Field.pressure] === d[o + Field.pressureTarget]
      && (d[o + Field.age] & OSC_ANCHOR_MASK) + n <= OSC_ANCHOR_MASK + 1 ? 1 : 0;
  }

  /** Queues slot s (batchable) to write its next samples at f32[at…] (or onto the bus given to flush()). */
  queue(pool: StimulusPool, s: number, at: number): void {
    const d = pool.data;
    const o = s * FIELDS;
    const e = this.batchWord + this.batchCount * BATCH_ENTRY;
    const f64 = this.f64;
    f64[e] = d[o + Field.amp] * d[o + Field.pressure] * d[o + Field.level];
    f64[e + 1] = d[o + Field.cos];
    f64[e + 2] = d[o + Field.sin];
    f64[e + 3] = d[o + Field.cosStep];
    f64[e + 4] = d[o + Field.sinStep];
    this.i32[2 * (e + 5)] = at * 4;
    this.batchSlots[this.batchCount++] = s;
  }

  /**
   * Renders the n samples of every queued slot of `pool` (four at a time in sineRunMany, the rest one by
   * one), each to its own place, or added to the bus at f32[busWord…] in queue order when busWord ≥ 0;
   * then advances their oscillators as generate() does. The same bits as generate() per slot in queue order.
   */
  flush(pool: StimulusPool, n: number, busWord: number): void {
    const count = this.batchCount;
    if (count === 0) return;
    this.batchCount = 0;
    const kernel = this.kernel;
    const table = this.batchWord * 8;
    const bus = busWord >= 0 ? busWord * 4 : 0;
    kernel.sineRunMany(table, count, n, bus);
    for (let k = count & -4; k < count; k++) {
      const e = table + k * BATCH_ENTRY * 8;
      kernel.sineRun(bus === 0 ? this.i32[(e >> 2) + 10] : bus, n, e, bus === 0 ? 0 : 1);
    }
    const d = pool.data;
    const f64 = this.f64;
    for (let k = 0; k < count; k++) {
      const s = this.batchSlots[k];
      const o = s * FIELDS;
      const e = this.batchWord + k * BATCH_ENTRY;
      const age = d[o + Field.age] + n;
      d[o + Field.age] = age;
      if ((age & OSC_ANCHOR_MASK) === 0) {
        d[o + Field.cos] = Math.cos(d[o + Field.omega] * age);
        d[o + Field.sin] = Math.sin(d[o + Field.omega] * age);
      } else {
        d[o + Field.cos] = f64[e + 1];
        d[o + Field.sin] = f64[e + 2];
      }
      pool.meta[s * META + Meta.loudness] = Math.round(f64[e] * LOUDNESS_SCALE);
    }
  }

  /** Writes (or, for the standing bus, adds) n source samples of slot s at f32[at…]. */
  generate(pool: StimulusPool, s: number, at: number, n: number, accumulate: boolean): void {
    const d = pool.data;
    const o = s * FIELDS;
    const mo = s * META;
    const buf = this.f32;
    let stage = pool.meta[mo + Meta.stage];
    let level = d[o + Field.level];
    let step = d[o + Field.step];
    let cos = d[o + Field.cos];
    let sin = d[o + Field.sin];
    let age = d[o + Field.age];
    let pressure = d[o + Field.pressure];
    let tailLeft = d[o + Field.tailLeft];
    const pressureTarget = d[o + Field.pressureTarget];
    const cs = d[o + Field.cosStep];
    const ss = d[o + Field.sinStep];
    const amp = d[o + Field.amp];
    const omega = d[o + Field.omega];
    const kp = this.pressureCoeff;
    let i = 0;
    if (stage === Stage.Sustain && pressure === pressureTarget) {
      // Fast path (the common case): constant gain, the rotation run in WebAssembly between the
      // oscillator's anchor points. Same f64 operations in the same order as the general loop below.
      const st = this.sineWord;
      const f64 = this.f64;
      f64[st] = amp * pressure * level;
      f64[st + 3] = cs;
      f64[st + 4] = ss;
      while (i < n) {
        const m = Math.min(n - i, OSC_ANCHOR_MASK + 1 - (age & OSC_ANCHOR_MASK));
        f64[st + 1] = cos;
        f64[st + 2] = sin;
        this.kernel.sineRun((at + i) * 4, m, st * 8, accumulate ? 1 : 0);
        cos = f64[st + 1];
        sin = f64[st + 2];
        age += m;
        i += m;
        if ((age & OSC_ANCHOR_MASK) === 0) {
          cos = Math.cos(omega * age);
          sin = Math.sin(omega * age);
        }
      }
    }
    for (; i < n; i++) {
      let v = amp * pressure * level * sin;
      if (v < TINY && v > -TINY) v = 0;
      if (accumulate) buf[at + i] += v;
      else buf[at + i] = v;
      const c2 = cos * cs - sin * ss;
      sin = sin * cs + cos * ss;
      cos = c2;
      age++;
      if ((age & OSC_ANCHOR_MASK) === 0) {
        cos = Math.cos(omega * age);
        sin = Math.sin(omega * age);
      }
      if (pressure !== pressureTarget) {
        pressure += (pressureTarget - pressure) * kp;
        if (Math.abs(pressureTarget - pressure) < 1e-7) pressure = pressureTarget;
      }
      if (stage === Stage.Attack) {
        level += step;
        if (level >= 1) { level = 1; stage = Stage.Sustain; }
      } else if (stage === Stage.Release) {
        level -= step;
        if (level <= 0) {
          level = 0;
          if (accumulate) { stage = Stage.Free; break; }
          stage = Stage.Tail;
        }
      } else if (stage === Stage.Tail) {
        if (--tailLeft <= 0) stage = Stage.Free;
      }
    }
    pool.meta[mo + Meta.stage] = stage;
    pool.meta[mo + Meta.loudness] = stage === Stage.Tail ? 0 : Math.round(amp * pressure * level * LOUDNESS_SCALE);
    d[o + Field.level] = level;
    d[o + Field.cos] = cos;
    d[o + Field.sin] = sin;
    d[o + Field.age] = age;
    d[o + Field.pressure] = pressure;
    d[o + Field.tailLeft] = tailLeft;
  }
}
