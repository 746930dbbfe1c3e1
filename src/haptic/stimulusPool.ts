/** Life of a stimulus: Free → Attack → Sustain → Release → (travelling only: Tail) → Free. */
export const Stage = { Free: 0, Attack: 1, Sustain: 2, Release: 3, Tail: 4 } as const;

/** Work the audio path still has to do for a slot at the next span (set by the event handlers). */
export const Flag = { Init: 1, Release: 2, Mpe: 4 } as const;

/**
 * Integer fields per slot, in `meta[slot·META + field]`. Event handlers touch only these (small
 * integers), so they never create heap numbers even before V8 has optimised them; the floating-point
 * work an event implies is done by the engine's per-span sync on the audio path, which is hot.
 */
export const Meta = {
  stage: 0,
  channel: 1,
  note: 2,
  velocity: 3,
  /** Allocation order (larger = newer), for the 'oldest' steal policy. */
  serial: 4,
  flags: 5,
  /** Present loudness (velocity × pressure × envelope) × 2^24, rounded, for the 'quietest' policy. */
  loudness: 6,
} as const;
export const META = 7;

/** Floating-point fields per slot, in `data[slot·FIELDS + field]` (read and written on the audio path only). */
export const Field = {
  /** Envelope level 0…1 and its per-sample step in the present stage. */
  level: 0,
  step: 1,
  /** Velocity / 127. */
  amp: 2,
  /** Smoothed pressure gain and its target. */
  pressure: 3,
  pressureTarget: 4,
  /** Quadrature oscillator: cos/sin of ω·age and the per-sample rotation. */
  cos: 5,
  sin: 6,
  cosStep: 7,
  sinStep: 8,
  /** Samples since note-on (the oscillator is re-anchored to ω·age every 4096 samples). */
  age: 9,
  /** Samples left in the Tail stage (the delay line draining to the far transducers). */
  tailLeft: 10,
  x: 11,
  y: 12,
  targetX: 13,
  targetY: 14,
  /** ω = 2π·f/fs, radians per sample. */
  omega: 15,
} as const;
export const FIELDS = 16;

/** A fixed-capacity pool of stimuli, allocated once (in the engine's constructor). */
export class StimulusPool {
  readonly meta: Int32Array;
  readonly data: Float64Array;

  constructor(readonly capacity: number) {
    this.meta = new Int32Array(Math.max(1, capacity) * META);
    this.data = new Float64Array(Math.max(1, capacity) * FIELDS);
  }

  stage(slot: number): number {
    return this.meta[slot * META + Meta.stage];
  }

  activeCount(): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) if (this.meta[s * META] !== Stage.Free) n++;
    return n;
  }

  /** The slot holding (channel, note) before its note-off (Attack or Sustain), or −1. */
  findHeld(channel: number, note: number): number {
    const m = this.meta;
    for (let s = 0; s < this.capacity; s++) {
      const o = s * META;
      const st = m[o + Meta.stage];
      if ((st === Stage.Attack || st === Stage.Sustain) && m[o + Meta.channel] === channel && m[o + Meta.note] === note) return s;
    }
    return -1;
  }

  /** A free slot, or −1. */
  freeSlot(): number {
    for (let s = 0; s < this.capacity; s++) if (this.meta[s * META] === Stage.Free) return s;
    return -1;
  }

  /**
   * The slot a new note may take when the pool is full. `policy` indexes STEAL_POLICIES: 0 'drop' →
   * none (−1); 1 'oldest' → the smallest serial; 2 'quietest' → the smallest loudness (ties → the oldest).
   */
  victim(policy: number): number {
    if (policy === 0 || this.capacity === 0) return -1;
    const m = this.meta;
    let best = -1;
    let bestKey = 0x7fffffff;
    let bestSerial = 0x7fffffff;
    for (let s = 0; s < this.capacity; s++) {
      const o = s * META;
      const serial = m[o + Meta.serial];
      const key = policy === 1 ? serial : m[o + Meta.loudness];
      if (key < bestKey || (key === bestKey && serial < bestSerial)) {
        best = s;
        bestKey = key;
        bestSerial = serial;
      }
    }
    return best;
  }

  clear(): void {
    this.meta.fill(0);
    this.data.fill(0);
  }
}
