import {
  type AudioRig, type RigCallback, type RigPeriod, type RigStats, RigError, RigFlag, countFlags, identityMap,
  makeRigStats, resetStreamStats,
} from '../../src/host/audioRig.ts';
import { SINC_HALF_WIDTH, SINC_PHASES, SINC_TAPS, sincTable, sincTaps } from './sincKernel.ts';
import {
  type FaultSpec, type VirtualRigConfig, type VirtualRigOptions, faultSchema, virtualRigOptionsSchema,
} from './virtualRigOptions.ts';

/** A fault as injected, on the input stream clock, with the loop shift it leaves behind. */
export interface InjectedFault {
  kind: 'zero' | 'repeat' | 'drop' | 'stall';
  atFrame: number;
  lengthFrames: number;
  /** Cumulative extra loop delay (samples) for input frames ≥ atFrame after this fault. */
  shiftAfterSamples: number;
  /** True once the run has captured the fault's first frame. */
  applied: boolean;
}

const RING_FRAMES = 1 << 17;
const RING_MASK = RING_FRAMES - 1;

/**
 * The built-in rig: an in-process interface whose loop is a windowed-sinc fractional delay
 * (sincKernel.ts) per output, with wiring, polarity, gain, noise, drift and faults — everything it does
 * is recorded in `groundTruth` so tests can check what the measurement recovers.
 *
 * Loop model for input channel i at input frame u:
 *   in_i(u) = Σ_{k: map[k]=i} g_k · out_k(u − L_k(u)) + noise,  L_k(u) = latency_k + drift·u + shift(u)
 * where out_k(t) is output frame t (the callback's outputs land at frameIndex + streamBufferingFrames),
 * shift(u) is the sum of repeat and stall (+len) and drop (−len) faults at or before u, and zero and stall
 * faults blank every channel over their length. Causality: the sinc reads SINC_HALF_WIDTH samples ahead, so every loop must satisfy
 * latency + min(shift) ≥ periodFrames − streamBufferingFrames + SINC_HALF_WIDTH (checked at construction;
 * negative drift over a long run is not checked).
 */
export class VirtualRig implements AudioRig {
  readonly kind = 'virtual' as const;
  readonly name: string;
  readonly clock: 'simulated' | 'realtime';
  readonly sampleRate: number;
  readonly periodFrames: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly streamBufferingFrames: number;
  readonly channelMap: readonly number[];
  readonly stats: RigStats = makeRigStats();
  readonly config: VirtualRigConfig;

  private readonly ring: Float32Array[];
  private readonly latency: Float64Array;
  private readonly gain: Float64Array;
  private readonly staticTaps: Float64Array;
  private readonly staticFrac: Float64Array;
  private readonly sourcesOf: number[][];
  private readonly inputs: Float32Array[];
  private readonly outputs: Float32Array[];
  private readonly faults: InjectedFault[] = [];
  private readonly noiseSigma: number;
  private rngState: number;
  private spareGauss = NaN;
  private callback: RigCallback | undefined;
  private periodIndex = 0;
  private startHostMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pendingFlags = 0;
  private readonly period: { -readonly [K in keyof RigPeriod]: RigPeriod[K] };

  constructor(options: VirtualRigOptions = {}, name = 'virtual') {
    const parsed = virtualRigOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RigError(`virtual rig options: at $.${issue.path.join('.')}: ${issue.message}`);
    }
    const c = (this.config = parsed.data);
    this.name = name;
    this.clock = c.clock;
    this.sampleRate = c.sampleRate;
    this.periodFrames = c.periodFrames;
    this.inputChannels = c.inputChannels;
    this.outputChannels = c.outputChannels;
    this.streamBufferingFrames = c.bufferPeriods * c.periodFrames;
    const map = c.channelMap ?? identityMap(c.outputChannels, c.inputChannels);
    if (map.length !== c.outputChannels || map.some((i) => i >= c.inputChannels)) {
      throw new RigError(`virtual rig options: channelMap must have ${c.outputChannels} entries in −1…${c.inputChannels - 1}`);
    }
    this.channelMap = map;
    const perOutput = (v: number | number[], what: string): number[] => {
      if (typeof v === 'number') return new Array(c.outputChannels).fill(v);
      if (v.length !== c.outputChannels) throw new RigError(`virtual rig options: ${what} needs ${c.outputChannels} values, got ${v.length}`);
      return v;
    };
    this.latency = Float64Array.from(perOutput(c.latencySamples, 'latencySamples'));
    this.gain = Float64Array.from(perOutput(c.gainDb, 'gainDb'), (db, k) =>
      10 ** (db / 20) * (c.invertedOutputs.includes(k) ? -1 : 1));
    this.sourcesOf = Array.from({ length: c.inputChannels }, (_, i) => map.flatMap((m, k) => (m === i ? [k] : [])));
    this.ring = Array.from({ length: c.outputChannels }, () => new Float32Array(RING_FRAMES));
    this.inputs = Array.from({ length: c.inputChannels }, () => new Float32Array(c.periodFrames));
    this.outputs = Array.from({ length: c.outputChannels }, () => new Float32Array(c.periodFrames));
    this.staticTaps = new Float64Array(c.outputChannels * SINC_TAPS);
    this.staticFrac = new Float64Array(c.outputChannels);
    for (let k = 0; k < c.outputChannels; k++) {
      const frac = Math.ceil(this.latency[k]) - this.latency[k];
      this.staticFrac[k] = frac;
      sincTaps(frac, this.staticTaps, k * SINC_TAPS);
    }
    sincTable();
    this.noiseSigma = c.noiseFloorDbfs === null ? 0 : 10 ** (c.noiseFloorDbfs / 20);
    this.rngState = c.seed >>> 0;
    for (const f of c.faults) this.addFault(f);
    this.checkCausality();
    this.period = {
      inputs: this.inputs, outputs: this.outputs, frames: c.periodFrames, frameIndex: 0,
      outputFrameIndex: 0, hostTimeMs: 0, flags: 0,
    };
  }

  /** What the rig did, for tests of the measurement. */
  get groundTruth() {
    return {
      /** Total loop (streamBufferingFrames + device) from an output written in a callback to the input frame. */
      roundTripSamples: (output: number, inputFrame: number) =>
        this.streamBufferingFrames + this.deviceLatencySamples(output, inputFrame),
      deviceLatencySamples: (output: number, inputFrame: number) => this.deviceLatencySamples(output, inputFrame),
      channelMap: this.channelMap,
      inverted: [...this.config.invertedOutputs],
      faults: this.faults.map((f) => ({ ...f })),
      noiseFloorDbfs: this.config.noiseFloorDbfs,
      driftPpm: this.config.driftPpm,
    };
  }

  /** Schedules a fault (input frames; may be added while running, for frames not captured yet). */
  addFault(spec: FaultSpec): void {
    const f = faultSchema.parse(spec);
    const frame = this.periodIndex * this.periodFrames;
    if (this.running && f.atFrame < frame) throw new RigError(`fault at frame ${f.atFrame} is in the past (now ${frame})`);
    const before = this.faults.filter((x) => x.atFrame <= f.atFrame).reduce((s, x) => s + shiftOf(x), 0);
    const fault: InjectedFault = { ...f, shiftAfterSamples: 0, applied: false };
    fault.shiftAfterSamples = before + shiftOf(fault);
    this.faults.push(fault);
    this.faults.sort((a, b) => a.atFrame - b.atFrame);
    let acc = 0;
    for (const x of this.faults) x.shiftAfterSamples = acc += shiftOf(x);
    this.checkCausality();
  }

  private checkCausality(): void {
    const minShift = Math.min(0, ...this.faults.map((x) => x.shiftAfterSamples));
    const need = this.periodFrames - this.streamBufferingFrames + SINC_HALF_WIDTH;
    const minLatency = Math.min(...this.latency) + minShift;
    if (minLatency < need) {
      throw new RigError(`virtual rig: loop latency + fault shifts = ${minLatency} samples, must be ≥ ${need} (period − buffering + sinc half-width)`);
    }
  }

  async start(callback: RigCallback): Promise<void> {
    if (this.running) throw new RigError('virtual rig already started');
    resetStreamStats(this.stats);
    this.pendingFlags = 0;
    this.callback = callback;
    this.running = true;
    this.startHostMs = performance.now();
    if (this.clock === 'realtime') this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  advance(periods: number): void {
    if (this.clock !== 'simulated') throw new RigError('advance() is for the simulated clock; this virtual rig runs in real time');
    if (!this.running) throw new RigError('virtual rig not started');
    for (let i = 0; i < periods; i++) this.runPeriod(this.startHostMs + (this.periodIndex * this.periodFrames * 1000) / this.sampleRate);
  }

  private schedule(): void {
    const periodMs = (this.periodFrames * 1000) / this.sampleRate;
    const tick = () => {
      if (!this.running) return;
      const now = performance.now();
      const due = Math.floor((now - this.startHostMs) / periodMs) + 1;
      while (this.running && this.periodIndex < due) {
        const dueAtMs = this.startHostMs + this.periodIndex * periodMs;
        if (performance.now() - dueAtMs > periodMs) this.pendingFlags |= RigFlag.LateCallback;
        this.runPeriod(performance.now());
      }
      const nextDue = this.startHostMs + this.periodIndex * periodMs;
      this.timer = setTimeout(tick, Math.max(0, nextDue - performance.now() - 0.5));
    };
    tick();
  }

  private deviceLatencySamples(output: number, inputFrame: number): number {
    let shift = 0;
    for (const f of this.faults) if (f.atFrame <= inputFrame) shift = f.shiftAfterSamples;
    return this.latency[output] + this.config.driftPpm * 1e-6 * inputFrame + shift;
  }

  private runPeriod(hostTimeMs: number): void {
    const P = this.periodFrames;
    const frameIndex = this.periodIndex * P;
    this.captureInputs(frameIndex);
    for (const o of this.outputs) o.fill(0);
    const p = this.period;
    p.frameIndex = frameIndex;
    p.outputFrameIndex = frameIndex + this.streamBufferingFrames;
    p.hostTimeMs = hostTimeMs;
    p.flags = this.pendingFlags;
    countFlags(this.stats, this.pendingFlags);
    this.pendingFlags = 0;
    const t0 = performance.now();
    try {
      this.callback?.(p);
    } finally {
      const ms = performance.now() - t0;
      if (ms > this.stats.maxCallbackMs) this.stats.maxCallbackMs = ms;
      const base = p.outputFrameIndex;
      for (let k = 0; k < this.outputChannels; k++) {
        const ring = this.ring[k];
        const out = this.outputs[k];
        for (let j = 0; j < P; j++) ring[(base + j) & RING_MASK] = out[j];
      }
      this.stats.periods++;
      this.periodIndex++;
    }
  }

  private captureInputs(frameIndex: number): void {
    const P = this.periodFrames;
    const table = sincTable();
    const drift = this.config.driftPpm * 1e-6;
    for (const f of this.faults) if (f.atFrame < frameIndex + P) f.applied = true;
    for (let i = 0; i < this.inputChannels; i++) {
      const dst = this.inputs[i];
      dst.fill(0);
      for (const k of this.sourcesOf[i]) {
        const ring = this.ring[k];
        const g = this.gain[k];
        const lat = this.latency[k];
        const shift = this.shiftAt(frameIndex);
        if (drift === 0 && this.shiftAt(frameIndex + P - 1) === shift) {
          // Constant delay over the period: integer copy, or the precomputed taps of this output.
          const pos0 = frameIndex - (lat + shift);
          const ip0 = Math.floor(pos0);
          if (pos0 === ip0) {
            for (let j = 0; j < P; j++) dst[j] += g * ring[(ip0 + j) & RING_MASK];
            continue;
          }
          const taps = this.staticTaps;
          const t0 = k * SINC_TAPS;
          const seg = (ip0 - SINC_HALF_WIDTH + 1) & RING_MASK;
          if (seg + P + SINC_TAPS <= RING_FRAMES) {
            if (isSilent(ring, seg, seg + P + SINC_TAPS - 1)) continue; // the samples the sum reads
            // Tap-major over contiguous memory: dst[j] += g·h[n]·x[seg + n + j].
            for (let n = 0; n < SINC_TAPS; n++) {
              const c = g * taps[t0 + n];
              const o = seg + n;
              for (let j = 0; j < P; j++) dst[j] += c * ring[o + j];
            }
          } else {
            for (let j = 0; j < P; j++) {
              const base = ip0 + j - SINC_HALF_WIDTH + 1;
              let acc = 0;
              for (let n = 0; n < SINC_TAPS; n++) acc += ring[(base + n) & RING_MASK] * taps[t0 + n];
              dst[j] += g * acc;
            }
          }
          continue;
        }
        for (let j = 0; j < P; j++) {
          const u = frameIndex + j;
          const pos = u - (lat + drift * u + this.shiftAt(u));
          const ip = Math.floor(pos);
          const frac = pos - ip;
          let taps = this.staticTaps;
          let t0 = k * SINC_TAPS;
          if (Math.abs(frac - this.staticFrac[k]) > 1e-9) {
            taps = table;
            t0 = Math.round(frac * SINC_PHASES) * SINC_TAPS;
          }
          let acc = 0;
          const base = ip - SINC_HALF_WIDTH + 1;
          for (let n = 0; n < SINC_TAPS; n++) acc += ring[(base + n) & RING_MASK] * taps[t0 + n];
          dst[j] += g * acc;
        }
      }
      if (this.noiseSigma > 0) for (let j = 0; j < P; j++) dst[j] += this.noiseSigma * this.gauss();
      for (const f of this.faults) {
        if (f.kind !== 'zero' && f.kind !== 'stall') continue;
        const from = Math.max(f.atFrame, frameIndex);
        const to = Math.min(f.atFrame + f.lengthFrames, frameIndex + P);
        for (let u = from; u < to; u++) dst[u - frameIndex] = 0;
      }
    }
  }

  private shiftAt(u: number): number {
    let shift = 0;
    for (const f of this.faults) {
      if (f.atFrame > u) break;
      shift = f.shiftAfterSamples;
    }
    return shift;
  }

  /** Standard normal deviate (mulberry32 + Box–Muller), seeded by `seed`. */
  private gauss(): number {
    if (!Number.isNaN(this.spareGauss)) {
      const g = this.spareGauss;
      this.spareGauss = NaN;
      return g;
    }
    const u1 = Math.max(this.uniform(), 1e-300);
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareGauss = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  private uniform(): number {
    let t = (this.rngState = (this.rngState + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function shiftOf(f: { kind: string; lengthFrames: number }): number {
  return f.kind === 'repeat' || f.kind === 'stall' ? f.lengthFrames : f.kind === 'drop' ? -f.lengthFrames : 0;
}

/**
 * Whether ring[from … to) holds only zeros. An output is silent most of the time in the scenarios (the sweep
 * sounds each transducer for 35 ms of 3 s), and its sinc sum over silence adds only zeros: dst starts at +0
 * (fill) and x + (±0) = x for every x, +0 included, so skipping the sum leaves every input sample's bits as
 * they were — at a 32nd of the sum's cost (one read a sample, not 32 multiply-adds).
 */
function isSilent(ring: Float32Array, from: number, to: number): boolean {
  for (let n = from; n < to; n++) if (ring[n] !== 0) return false;
  return true;
}
