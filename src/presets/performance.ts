import { z } from 'zod';
import { type TimedEvent, at } from '../engine/events.ts';

const base = { atMs: z.number().min(0).max(60_000), channel: z.number().int().min(0).max(15).default(0) };

/** One performance event; MPE values normalised as in src/engine/events.ts. */
export const performanceEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('noteOn'), ...base, note: z.number().int().min(0).max(127), velocity: z.number().int().min(1).max(127).default(100) }),
  z.strictObject({ kind: z.literal('noteOff'), ...base, note: z.number().int().min(0).max(127), velocity: z.number().int().min(0).max(127).default(0) }),
  z.strictObject({ kind: z.literal('pressure'), ...base, value: z.number().min(0).max(1) }),
  z.strictObject({ kind: z.literal('pitchBend'), ...base, value: z.number().min(-1).max(1) }),
  z.strictObject({ kind: z.literal('timbre'), ...base, value: z.number().min(0).max(1) }),
  z.strictObject({ kind: z.literal('param'), ...base, paramIndex: z.number().int().min(0).max(255), value: z.number() }),
  z.strictObject({ kind: z.literal('panic'), ...base }),
]);

/** A short performance to render an instrument preset: its length and its timed events. */
export const performanceSchema = z.strictObject({
  seconds: z.number().min(0.01).max(10),
  events: z.array(performanceEventSchema).max(10_000).default([]),
});

export type Performance = z.output<typeof performanceSchema>;
export type PerformanceEvent = z.output<typeof performanceEventSchema>;

/** The performance's events on the sample timeline of `sampleRate` (atFrame = round(atMs·fs/1000)). */
export function performanceEvents(performance: Performance, sampleRate: number): TimedEvent[] {
  return performance.events.map((e) => {
    const frame = Math.round((e.atMs * sampleRate) / 1000);
    switch (e.kind) {
      case 'noteOn': return at.noteOn(frame, e.channel, e.note, e.velocity);
      case 'noteOff': return at.noteOff(frame, e.channel, e.note, e.velocity);
      case 'pressure': return at.pressure(frame, e.channel, e.value);
      case 'pitchBend': return at.pitchBend(frame, e.channel, e.value);
      case 'timbre': return at.timbre(frame, e.channel, e.value);
      case 'param': return at.param(frame, e.paramIndex, e.value);
      case 'panic': return at.panic(frame);
    }
  });
}
