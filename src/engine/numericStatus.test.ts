import { describe, expect, it } from 'vitest';
import { HapticEngine } from '../haptic/hapticEngine.ts';
import { at } from './events.ts';
import { render } from './render.ts';
import { decodeNumeric, hasNumericStatus, shapeSize } from './numericStatus.ts';

/** What the control side would have read when the status crossed as JSON. */
const viaJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('numeric status: an engine status as numbers decodes to what JSON carried', () => {
  it('the haptic engine, before any block (load NaN → null) and sounding (notes in both pools, clipping)', () => {
    const engine = new HapticEngine({ masterGainDb: 12 });
    engine.prepare({ sampleRate: 48000, maxBlockFrames: 128 });
    expect(hasNumericStatus(engine)).toBe(true);
    const check = () => {
      const status = new Float64Array(shapeSize(engine.statusShape()) + 3);
      const stats = new Float64Array(shapeSize(engine.statsShape()));
      engine.writeStatus(status, 3);
      engine.writeStats(stats, 0);
      expect(decodeNumeric(engine.statusShape(), status, 3)).toEqual(viaJson(engine.getStatus()));
      expect(decodeNumeric(engine.statsShape(), stats, 0)).toEqual(viaJson(engine.getStats()));
    };
    check();
    render(engine, {
      sampleRate: 48000, blockFrames: 128, frames: 4800,
      events: [at.noteOn(0, 0, 60, 30), at.noteOn(100, 1, 64, 120), at.pressure(300, 1, 0.4), at.noteOff(2000, 0, 60)],
    });
    const status = engine.getStatus();
    expect(status.activeTravelling + status.activeStanding).toBeGreaterThan(0);
    expect(Math.max(...status.peak)).toBeGreaterThan(0);
    check();
  });

  it('decodes NaN and ±Infinity as null and −0 as 0, as JSON does', () => {
    const values = Float64Array.of(Number.NaN, -0, Number.POSITIVE_INFINITY, 2.5, Number.NEGATIVE_INFINITY);
    expect(decodeNumeric([['a', 0], ['b', 0], ['c', 3]], values, 0)).toEqual(viaJson({ a: Number.NaN, b: -0, c: [Number.POSITIVE_INFINITY, 2.5, Number.NEGATIVE_INFINITY] }));
    expect(Object.is(decodeNumeric([['b', 0]], values, 1).b, 0)).toBe(true);
  });
});
