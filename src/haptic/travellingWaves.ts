import type { HapticMemoryLayout } from './hapticMemoryLayout.ts';
import type { HapticMixKernel } from './mixKernel.ts';
import type { PlateParams } from './plateParams.ts';
import type { StimulusGenerator } from './stimulusGenerator.ts';
import { FIELDS, Field, META, Stage, type StimulusPool } from './stimulusPool.ts';
import { TapArg, type TapGeometry, writeTapCoefficients } from './tapCoefficients.ts';

/** Positions glide and taps are recomputed on this grid of absolute frames (never on block starts). */
export const CONTROL_PERIOD_FRAMES = 64;

/**
 * The travelling-wave pool on the plate: one linear float32 history per stimulus, read by one
 * fractional tap per transducer at distance/speed·fs samples with gain 1/(1 + 2·distance) × master
 * gain (tapCoefficients.ts), mixed into the transducers' outputs by the WebAssembly kernels
 * (linear or cubic). A source glides to a new MPE position with a one-pole evaluated every
 * CONTROL_PERIOD_FRAMES of absolute time, k = 1 − e^(−64/glideFrames) (k = 1: it jumps at once).
 *
 * Histories are linear (no mask in the kernel): the write index runs on, and when the next span would
 * pass the end each held history's last `historyFrames` samples are moved to the front.
 */
export class TravellingWaves {
  /**
   * 1 when a new MPE position is taken at once rather than glided to (glide time below one control
   * period's worth), else 0. A Smi field, not a method: a call the audio path does not inline would
   * run unoptimised and box the double it compares (measured: ~150 bytes per 1000 blocks).
   */
  jumpsToTarget = 0;
  /** Where the next source sample of every history is written (words from the history's start). */
  writeIndex = 0;
  /** 1 while a wave-speed crossfade runs (the old taps kept at oldCoefWord, see beginFade), else 0. */
  fading = 0;
  // Doubles start as NaN so V8 gives these fields a double representation from the first instance on.
  private sampleRate = Number.NaN;
  private glideCoeff = Number.NaN;
  private readonly tapArgs = new Float64Array(5);
  private kernel!: HapticMixKernel;
  private f32: Float32Array = new Float32Array(0);
  private i32: Int32Array = new Int32Array(0);
  private f64: Float64Array = new Float64Array(0);
  private tapWord = 0;
  private histWord = 0;
  histLen = 0;
  private historyFrames = 0;
  private coefWord = 0;
  private coefWords = 0;
  private listWord = 0;
  private oldCoefWord = 0;
  private oldListWord = 0;

  /** `cubic` 1 selects 4-tap cubic interpolation, 0 linear; `params` gives the present wave speed and master gain. */
  constructor(readonly pool: StimulusPool, private readonly geometry: TapGeometry, private readonly cubic: number, private readonly params: PlateParams) {}

  prepare(kernel: HapticMixKernel, f32: Float32Array, i32: Int32Array, layout: HapticMemoryLayout, historyFrames: number, sampleRate: number, positionGlideMs: number): void {
    this.kernel = kernel;
    this.f32 = f32;
    this.i32 = i32;
    this.f64 = new Float64Array(f32.buffer);
    this.tapWord = layout.tapWord;
    this.histWord = layout.histWord;
    this.histLen = layout.histLen;
    this.coefWord = layout.coefWord;
    this.coefWords = layout.coefWords;
    this.listWord = layout.listWord;
    this.oldCoefWord = layout.oldCoefWord;
    this.oldListWord = layout.oldListWord;
    this.historyFrames = historyFrames;
    this.sampleRate = sampleRate;
    const glideFrames = (positionGlideMs / 1000) * sampleRate;
    this.glideCoeff = glideFrames > 0 ? 1 - Math.exp(-CONTROL_PERIOD_FRAMES / glideFrames) : 1;
    this.jumpsToTarget = this.glideCoeff === 1 ? 1 : 0;
  }

  /** A new stimulus in slot s: silent history, taps at its present position. */
  start(s: number): void {
    const base = this.histWord + s * this.histLen;
    this.f32.fill(0, base, base + this.histLen);
    this.updateTaps(s);
    // A stimulus started during a crossfade has no old taps: the old mix hears it with the new ones.
    if (this.fading === 1) this.i32.copyWithin(this.oldCoefWord + s * this.coefWords, this.coefWord + s * this.coefWords, this.coefWord + (s + 1) * this.coefWords);
  }

  /**
   * A wave-speed change begins: every tap table is kept as the old one (raw words), for the engine's
   * crossfade from the mix with the old taps to the mix with the new (HapticEngine.fadeSpeed).
   */
  beginFade(): void {
    this.i32.copyWithin(this.oldCoefWord, this.coefWord, this.coefWord + this.pool.capacity * this.coefWords);
    this.fading = 1;
  }

  /** The span's list (`count` entries, see generate) with each stimulus's old tap table, at oldListByte. */
  writeOldList(count: number): void {
    const i32 = this.i32;
    const shift = (this.oldCoefWord - this.coefWord) * 4;
    for (let e = 0; e < count; e++) {
      i32[this.oldListWord + 2 * e] = i32[this.listWord + 2 * e];
      i32[this.oldListWord + 2 * e + 1] = i32[this.listWord + 2 * e + 1] + shift;
    }
  }

  /** Byte address of the old-taps list (writeOldList). */
  get oldListByte(): number {
    return this.oldListWord * 4;
  }


  /** Slot s's source jumps to its target position. */
  jump(s: number): void {
    const d = this.pool.data;
    const o = s * FIELDS;
    d[o + Field.x] = d[o + Field.targetX];
    d[o + Field.y] = d[o + Field.targetY];
    this.updateTaps(s);
  }

  /** Slot s's taps at its present position, wave speed and master gain (linear: by the kernel's linearTaps, the same bits). */
  updateTaps(s: number): void {
    const d = this.pool.data;
    const o = s * FIELDS;
    if (this.cubic === 0) {
      const a = this.tapWord;
      const f64 = this.f64;
      const numT = this.geometry.xsM.length;
      f64[a] = d[o + Field.x];
      f64[a + 1] = d[o + Field.y];
      f64[a + 2] = this.sampleRate / this.params.waveSpeedMps;
      f64[a + 3] = 10 ** (this.params.masterGainDb / 20);
      this.kernel.linearTaps((a + 4) * 8, (a + 4 + numT) * 8, numT, a * 8, (this.coefWord + s * this.coefWords) * 4);
      return;
    }
    const args = this.tapArgs;
    args[TapArg.xM] = d[o + Field.x];
    args[TapArg.yM] = d[o + Field.y];
    args[TapArg.waveSpeedMps] = this.params.waveSpeedMps;
    args[TapArg.sampleRate] = this.sampleRate;
    args[TapArg.gainLinear] = 10 ** (this.params.masterGainDb / 20);
    writeTapCoefficients(this.geometry, args, this.cubic, this.i32, this.f32, this.coefWord + s * this.coefWords);
  }

  updateAllTaps(): void {
    for (let s = 0; s < this.pool.capacity; s++) if (this.pool.meta[s * META] !== Stage.Free) this.updateTaps(s);
  }

  /**
   * At absolute frame `frame` (a multiple of CONTROL_PERIOD_FRAMES): positions glide one step towards
   * their targets (taps recomputed). Also recomputes the taps of one held stimulus in turn, which
   * changes no bits (same inputs, same function) but keeps that code hot and optimised.
   */
  controlTick(frame: number): void {
    const tp = this.pool;
    const k = this.glideCoeff;
    if (tp.capacity > 0) {
      const r = frame / CONTROL_PERIOD_FRAMES % tp.capacity;
      if (tp.meta[r * META] !== Stage.Free) this.updateTaps(r);
    }
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

  /** 1 when a sounding source is still gliding towards its target position (a control tick would move it), else 0. */
  gliding(): number {
    const tp = this.pool;
    const d = tp.data;
    for (let s = 0; s < tp.capacity; s++) {
      if (tp.meta[s * META] === Stage.Free) continue;
      const o = s * FIELDS;
      if (d[o + Field.x] !== d[o + Field.targetX] || d[o + Field.y] !== d[o + Field.targetY]) return 1;
    }
    return 0;
  }

  /**
   * Generates n samples of every sounding stimulus into its history (the sustained ones batched, see
   * StimulusGenerator.queue) and lists them for the mix (see listByte); returns how many were listed. The histories' write index then moves on by n.
   */
  generate(generator: StimulusGenerator, n: number): number {
    if (this.writeIndex + n > this.histLen) this.shiftHistory();
    const tp = this.pool;
    let count = 0;
    for (let s = 0; s < tp.capacity; s++) {
      if (tp.meta[s * META] === Stage.Free) continue;
      const at = this.histWord + s * this.histLen + this.writeIndex;
      if (generator.batchable(tp, s, n) === 1) generator.queue(tp, s, at);
      else generator.generate(tp, s, at, n, false);
      this.i32[this.listWord + 2 * count] = at * 4;
      this.i32[this.listWord + 2 * count + 1] = (this.coefWord + s * this.coefWords) * 4;
      count++;
    }
    generator.flush(tp, n, -1);
    this.writeIndex += n;
    return count;
  }

  /** Byte address of the span's list of sounding stimuli: i32 pairs [source of the span's first frame, tap table], as the mix kernels take them. */
  get listByte(): number {
    return this.listWord * 4;
  }

  /** Adds the cubic taps of the `count` stimuli listed at byte `listByte` (listByte or oldListByte), one kernel call each, to the outputs at byte `outByte`. */
  mixCubic(outByte: number, strideB: number, n: number, numT: number, count: number, listByte: number): void {
    const list = listByte >> 2;
    for (let e = 0; e < count; e++) this.kernel.mixCubic(outByte, strideB, this.i32[list + 2 * e], n, this.i32[list + 2 * e + 1], numT);
  }

  /** Moves each held history's last `historyFrames` samples to the front. */
  shiftHistory(): void {
    const keep = this.historyFrames;
    for (let s = 0; s < this.pool.capacity; s++) {
      if (this.pool.stage(s) === Stage.Free) continue;
      const base = this.histWord + s * this.histLen;
      this.f32.copyWithin(base, base + this.writeIndex - keep, base + this.writeIndex);
    }
    this.writeIndex = keep;
  }

  /** After the engine zeroed the kernel memory: the write index back at the start, the transducer positions for linearTaps written. */
  reset(): void {
    this.writeIndex = this.historyFrames;
    if (this.f64.length === 0) return; // not prepared yet
    const numT = this.geometry.xsM.length;
    this.f64.set(this.geometry.xsM, this.tapWord + 4);
    this.f64.set(this.geometry.ysM, this.tapWord + 4 + numT);
  }

  /** Copies of the histories and of the tap tables (raw bytes), for getState(). */
  saveHistory(): Float32Array {
    return this.f32.slice(this.histWord, this.histWord + this.pool.capacity * this.histLen);
  }

  /** The tap tables, then the old ones (a crossfade's), as raw bytes. */
  saveTaps(): Uint8Array {
    const bytes = this.pool.capacity * this.coefWords * 4;
    const out = new Uint8Array(2 * bytes);
    out.set(new Uint8Array(this.f32.buffer, this.coefWord * 4, bytes));
    out.set(new Uint8Array(this.f32.buffer, this.oldCoefWord * 4, bytes), bytes);
    return out;
  }

  historyWords(): number {
    return this.pool.capacity * this.histLen;
  }

  restore(history: Float32Array, taps: Uint8Array): void {
    this.f32.set(history, this.histWord);
    const bytes = this.pool.capacity * this.coefWords * 4;
    const memory = new Uint8Array(this.f32.buffer);
    memory.set(taps.subarray(0, bytes), this.coefWord * 4);
    if (taps.length >= 2 * bytes) memory.set(taps.subarray(bytes, 2 * bytes), this.oldCoefWord * 4);
  }
}
