import { describe, expect, it } from 'vitest';
import { appliedEvents } from './analyzeScenario.ts';
import type { ScenarioRun, SentCommand } from './runScenario.ts';

const row = (kind: number, value: number) => ({ kind, atFrame: 0, channel: 1, note: 0, value, paramIndex: 0 });

/**
 * The offline render replays what the server applied. A MIDI frame of three messages (an MPE pitch bend,
 * pressure and timbre) can take effect in two periods — the server logs each message with its own frame —
 * and the render must put each row where its message took effect: with all three at the first message's
 * frame, the jack-native mpe-glide scenario showed 3-11 ms "glitches" on the note's transducers exactly one
 * path latency after such an event, with no underrun, jump or xrun anywhere near.
 */
describe('appliedEvents', () => {
  it('places each row of a command where its own message took effect, and the rest where the command did', () => {
    const split: Partial<SentCommand> = { appliedFrame: 1000, rowFrames: [1000, 1064, 1064], planned: { rows: [row(5, 0.1), row(6, 0.2), row(7, 0.3)] } as SentCommand['planned'] };
    const whole: Partial<SentCommand> = { appliedFrame: 2000, planned: { rows: [row(1, 60), row(2, 0)] } as SentCommand['planned'] };
    const never: Partial<SentCommand> = { appliedFrame: null, planned: { rows: [row(1, 61)] } as SentCommand['planned'] };
    const events = appliedEvents({ sent: [split, whole, never] } as unknown as ScenarioRun);
    expect(events.map((e) => [e.kind, e.atFrame])).toEqual([[5, 1000], [6, 1064], [7, 1064], [1, 2000], [2, 2000]]);
  });
});
