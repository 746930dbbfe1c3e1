// A user's own engine, written against the published package (no import from studio-rig's src/):
// a small stereo "pluck" — each note a decaying sine, four voices, oldest stolen, panned by a parameter.
import { type Engine, type EngineEvent, EventKind, type PrepareOptions, defineEngine } from 'studio-rig/engine';
import { z } from 'zod';

export const pluckParamsSchema = z.strictObject({
  /** Level of a velocity-127 note, dB re full scale. */
  gainDb: z.number().min(-60).max(0).default(-6),
  /** Time for a note to decay by 60 dB. */
  decayMs: z.number().min(10).max(5000).default(300),
  /** Time for a released note (NoteOff) to decay by 60 dB. */
  releaseMs: z.number().min(1).max(1000).default(30),
  /** −1 left … +1 right, equal-power. */
  pan: z.number().min(-1).max(1).default(0),
});
export type PluckParams = z.output<typeof pluckParamsSchema>;

const PARAM_NAMES = ['gainDb', 'decayMs', 'releaseMs', 'pan'] as const;
const VOICES = 4;
/** Per voice, in a Float64Array: on, channel, note, re, im, cos ω, sin ω, amplitude, decay per sample, start order. */
const V = { on: 0, channel: 1, note: 2, re: 3, im: 4, cos: 5, sin: 6, amp: 7, mul: 8, order: 9, SIZE: 10 } as const;
/** Voices below −120 dBFS are done (and no subnormal ever reaches the output). */
const SILENT = 1e-6;

interface PluckState {
  voices: Float64Array;
  params: Float64Array;
  started: number;
}

/**
 * y = a·sin(φ) per voice, the phasor (re, im) rotated by ω = 2π·440·2^((note − 69)/12)/fs each sample
 * (exact to rounding, deterministic), a ← a·10^(−3/(T60·fs)). Events act at their sample.
 */
export class Pluck implements Engine<PluckState> {
  readonly name = 'pluck';
  readonly numInputs = 0;
  readonly numOutputs = 2;
  readonly paramNames = PARAM_NAMES;
  private fs = 48000;
  private readonly voices = new Float64Array(VOICES * V.SIZE);
  /** gainDb, decayMs, releaseMs, pan: the live values (Param events change them). */
  private readonly params: Float64Array;
  private readonly initial: Float64Array;
  private started = 0;

  constructor(params: PluckParams = pluckParamsSchema.parse({})) {
    this.initial = Float64Array.from(PARAM_NAMES.map((k) => params[k]));
    this.params = this.initial.slice();
  }

  prepare(options: PrepareOptions): void {
    this.fs = options.sampleRate;
    this.reset();
  }

  reset(): void {
    this.voices.fill(0);
    this.params.set(this.initial);
    this.started = 0;
  }

  private decayPerSample(t60Ms: number): number {
    return 10 ** (-3 / ((t60Ms / 1000) * this.fs));
  }

  private noteOn(channel: number, note: number, velocity: number): void {
    const v = this.voices;
    let slot = -1;
    let oldest = Infinity;
    for (let k = 0; k < VOICES; k++) {
      const o = k * V.SIZE;
      if (v[o + V.on] === 0) { slot = o; break; }
      if (v[o + V.order] < oldest) { oldest = v[o + V.order]; slot = o; }
    }
    const w = (2 * Math.PI * 440 * 2 ** ((note - 69) / 12)) / this.fs;
    v[slot + V.on] = 1;
    v[slot + V.channel] = channel;
    v[slot + V.note] = note;
    v[slot + V.re] = 1;
    v[slot + V.im] = 0;
    v[slot + V.cos] = Math.cos(w);
    v[slot + V.sin] = Math.sin(w);
    v[slot + V.amp] = (velocity / 127) * 10 ** (this.params[0] / 20);
    v[slot + V.mul] = this.decayPerSample(this.params[1]);
    v[slot + V.order] = this.started++;
  }

  private noteOff(channel: number, note: number): void {
    const release = this.decayPerSample(this.params[2]);
    for (let o = 0; o < this.voices.length; o += V.SIZE) {
      if (this.voices[o + V.on] === 1 && this.voices[o + V.channel] === channel && this.voices[o + V.note] === note) {
        this.voices[o + V.mul] = Math.min(this.voices[o + V.mul], release);
      }
    }
  }

  private apply(e: EngineEvent): void {
    if (e.kind === EventKind.NoteOn && e.value > 0) this.noteOn(e.channel, e.note, e.value);
    else if (e.kind === EventKind.NoteOff || (e.kind === EventKind.NoteOn && e.value === 0)) this.noteOff(e.channel, e.note);
    else if (e.kind === EventKind.Panic) this.voices.fill(0);
    else if (e.kind === EventKind.Param && e.paramIndex < PARAM_NAMES.length && Number.isFinite(e.value)) {
      const [lo, hi] = e.paramIndex === 0 ? [-60, 0] : e.paramIndex === 1 ? [10, 5000] : e.paramIndex === 2 ? [1, 1000] : [-1, 1];
      this.params[e.paramIndex] = Math.min(hi, Math.max(lo, e.value));
    }
  }

  process(_inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    const v = this.voices;
    const left = outputs[0];
    const right = outputs[1];
    let next = 0;
    for (let i = 0; i < frames; i++) {
      while (next < eventCount && events[next].offsetFrames <= i) this.apply(events[next++]);
      const angle = ((this.params[3] + 1) * Math.PI) / 4;
      let y = 0;
      for (let o = 0; o < v.length; o += V.SIZE) {
        if (v[o + V.on] === 0) continue;
        const re = v[o + V.re];
        const im = v[o + V.im];
        y += v[o + V.amp] * im;
        v[o + V.re] = re * v[o + V.cos] - im * v[o + V.sin];
        v[o + V.im] = re * v[o + V.sin] + im * v[o + V.cos];
        v[o + V.amp] *= v[o + V.mul];
        if (v[o + V.amp] < SILENT) v[o + V.on] = 0;
      }
      // Flushed below 1e-30 so that no float32 subnormal is written (even hard-panned).
      const l = y * Math.cos(angle);
      const r = y * Math.sin(angle);
      left[i] = Math.abs(l) < 1e-30 ? 0 : l;
      right[i] = Math.abs(r) < 1e-30 ? 0 : r;
    }
  }

  getState(): PluckState {
    return { voices: this.voices.slice(), params: this.params.slice(), started: this.started };
  }

  setState(state: PluckState): void {
    this.voices.set(state.voices);
    this.params.set(state.params);
    this.started = state.started;
  }
}

export default defineEngine({
  engine: 'pluck',
  kind: 'instrument',
  version: '1',
  description: 'A stereo pluck: decaying sines, four voices (oldest stolen), equal-power pan.',
  paramsSchema: pluckParamsSchema,
  create: (params) => new Pluck(params),
});
