import { describe, expect, it } from 'vitest';
import { STEAL_POLICIES } from './hapticConfig.ts';
import { MpeChannels } from './mpeChannels.ts';
import { NoteRouter } from './noteRouter.ts';
import { Flag, META, Meta, Stage, StimulusPool } from './stimulusPool.ts';

const VELOCITY_SPLIT = 64;

function router(policy: (typeof STEAL_POLICIES)[number], travelling = 2, standing = 1, mpe = new MpeChannels(0, 0, 0.2)) {
  mpe.resetAll();
  return new NoteRouter(new StimulusPool(travelling), new StimulusPool(standing), mpe, VELOCITY_SPLIT, STEAL_POLICIES.indexOf(policy));
}

const meta = (pool: StimulusPool, s: number, field: number) => pool.meta[s * META + field];

describe('NoteRouter', () => {
  it('routes velocity below the split to the travelling pool and at the split to the standing pool', () => {
    const r = router('oldest');
    r.noteOn(0, 60, VELOCITY_SPLIT - 1);
    r.noteOn(0, 62, VELOCITY_SPLIT);
    expect([r.travelling.activeCount(), r.standing.activeCount()]).toEqual([1, 1]);
    expect(meta(r.standing, 0, Meta.note)).toBe(62);
  });

  it("drops a note-on into a full pool under 'drop', counting it and leaving the pool as it was", () => {
    const r = router('drop', 1);
    r.noteOn(0, 60, 10);
    r.noteOn(1, 61, 10);
    expect(r.stats).toMatchObject({ notesStarted: 2, allocations: 1, drops: 1, steals: 0 });
    expect(meta(r.travelling, 0, Meta.note)).toBe(60);
  });

  it("steals the oldest stimulus under 'oldest' and counts the steal", () => {
    const r = router('oldest', 2);
    r.noteOn(0, 60, 10);
    r.noteOn(0, 61, 10);
    r.noteOn(0, 62, 10);
    expect(r.stats).toMatchObject({ allocations: 3, steals: 1, drops: 0 });
    expect([meta(r.travelling, 0, Meta.note), meta(r.travelling, 1, Meta.note)]).toEqual([62, 61]);
  });

  it('releases a held note on note-off and on a repeated note-on of the same (channel, note)', () => {
    const r = router('oldest', 2);
    r.noteOn(4, 60, 10);
    r.noteOn(4, 60, 20);
    expect(meta(r.travelling, 0, Meta.stage)).toBe(Stage.Release);
    expect(meta(r.travelling, 0, Meta.flags) & Flag.Release).toBe(Flag.Release);
    r.noteOff(4, 60);
    expect(meta(r.travelling, 1, Meta.stage)).toBe(Stage.Release);
  });

  it('on CC121 flags the held notes of that channel only for an MPE update and requests its reset', () => {
    const mpe = new MpeChannels(0, 0, 0.2);
    const r = router('oldest', 2, 1, mpe);
    r.noteOn(1, 60, 10);
    r.noteOn(2, 61, 10);
    r.travelling.meta[0 * META + Meta.flags] = 0;
    r.travelling.meta[1 * META + Meta.flags] = 0;
    mpe.values[1 * 3] = 0.25;
    r.controlChange(1, 121);
    expect([meta(r.travelling, 0, Meta.flags), meta(r.travelling, 1, Meta.flags)]).toEqual([Flag.Mpe, 0]);
    mpe.applyResets();
    expect(mpe.values[1 * 3]).toBe(1);
  });

  it('on panic, CC120 and CC123 releases every held note of both pools', () => {
    for (const release of [(r: NoteRouter) => r.panic(), (r: NoteRouter) => r.controlChange(9, 120), (r: NoteRouter) => r.controlChange(9, 123)]) {
      const r = router('oldest', 2, 1);
      r.noteOn(0, 60, 10);
      r.noteOn(1, 61, 100);
      release(r);
      expect([meta(r.travelling, 0, Meta.stage), meta(r.standing, 0, Meta.stage)]).toEqual([Stage.Release, Stage.Release]);
    }
  });
});
