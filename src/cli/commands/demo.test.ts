import { describe, expect, it } from 'vitest';
import { EventKind } from '../../engine/events.ts';
import { render } from '../../engine/render.ts';
import { HapticEngine } from '../../haptic/hapticEngine.ts';
import { demoPerformance } from './demo.ts';

describe('the demo performance', () => {
  it('stays inside the render, starts 6 notes in 3 s (4 MPE voices, 2 standing pulses) and releases them all before the end', () => {
    const events = demoPerformance(3, 48000);
    expect(events.every((e) => e.atFrame >= 0 && e.atFrame < 3 * 48000)).toBe(true);
    expect(events.filter((e) => e.kind === EventKind.NoteOn)).toHaveLength(6);
    expect(events.at(-1)?.kind).toBe(EventKind.Panic);
  });

  it('drives every transducer without clipping and ends silent', () => {
    const engine = new HapticEngine({ masterGainDb: -6 });
    const out = render(engine, { sampleRate: 48000, blockFrames: 128, seconds: 3, events: demoPerformance(3, 48000) });
    const peaks = out.map((ch) => ch.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    expect(Math.min(...peaks)).toBeGreaterThan(0.1);
    expect(engine.getStats().clippedSamples).toBe(0);
    expect(Math.max(...out.map((ch) => ch.subarray(ch.length - 2400).reduce((m, v) => Math.max(m, Math.abs(v)), 0)))).toBe(0);
  });
});
