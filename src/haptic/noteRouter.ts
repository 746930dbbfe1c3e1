import { type HapticStats, emptyStats } from './hapticState.ts';
import type { MpeChannels } from './mpeChannels.ts';
import { Flag, META, Meta, Stage, type StimulusPool } from './stimulusPool.ts';

/**
 * The haptic engine's MIDI event handlers: route a note-on by velocity to the travelling pool
 * (velocity < velocitySplit) or the standing pool, take a free slot or steal one by the pool's policy
 * (stimulusPool.ts `victim`), release on note-off, panic (and CC120/CC123) releases every held note,
 * CC121 resets the channel's MPE controllers. A note-on first releases the same (channel, note).
 *
 * Handlers touch only small integers (pool meta, flags, counters), so they make no heap numbers even
 * before V8 has optimised them; the floating-point work they imply is done on the audio path, which
 * reads the flags they raise (see Flag in stimulusPool.ts).
 */
export class NoteRouter {
  /** Allocation order of the last note-on (larger = newer), for the 'oldest' policy. */
  serial = 0;
  stats: HapticStats = emptyStats();

  /** `stealPolicy` indexes STEAL_POLICIES (hapticConfig.ts). */
  constructor(
    readonly travelling: StimulusPool,
    readonly standing: StimulusPool,
    private readonly mpe: MpeChannels,
    private readonly velocitySplit: number,
    private readonly stealPolicy: number,
  ) {}

  noteOn(ch: number, note: number, velocity: number): void {
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
  }

  noteOff(ch: number, note: number): void {
    const a = this.travelling.findHeld(ch, note);
    if (a >= 0) this.markRelease(this.travelling, a);
    const b = this.standing.findHeld(ch, note);
    if (b >= 0) this.markRelease(this.standing, b);
  }

  panic(): void {
    this.releaseHeld(this.travelling);
    this.releaseHeld(this.standing);
  }

  controlChange(ch: number, controller: number): void {
    if (controller === 120 || controller === 123) this.panic();
    else if (controller === 121) {
      this.mpe.requestReset(ch);
      this.markChannel(ch);
    }
  }

  /** The MPE controllers of channel ch changed: its held notes follow them at the next span. */
  markChannel(ch: number): void {
    this.markHeldOn(this.travelling, ch);
    this.markHeldOn(this.standing, ch);
  }

  private markRelease(pool: StimulusPool, s: number): void {
    const o = s * META;
    pool.meta[o + Meta.stage] = Stage.Release;
    pool.meta[o + Meta.flags] |= Flag.Release;
  }

  private releaseHeld(pool: StimulusPool): void {
    for (let s = 0; s < pool.capacity; s++) {
      const st = pool.meta[s * META];
      if (st === Stage.Attack || st === Stage.Sustain) this.markRelease(pool, s);
    }
  }

  private markHeldOn(pool: StimulusPool, ch: number): void {
    const m = pool.meta;
    for (let s = 0; s < pool.capacity; s++) {
      const o = s * META;
      const st = m[o];
      if ((st === Stage.Attack || st === Stage.Sustain) && m[o + Meta.channel] === ch) m[o + Meta.flags] |= Flag.Mpe;
    }
  }
}
