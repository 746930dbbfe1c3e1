import { describe, expect, it } from 'vitest';
import { firstDifference } from '../conformance/checks.ts';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { HapticEngine } from './hapticEngine.ts';

/**
 * The engine joins control periods into one span while no source glides (process() in hapticEngine.ts).
 * Here a held travelling note sits still for 3000 frames (spans join at blocks of 512), then a pitch bend
 * starts a glide that lasts past the end (spans must stop at every control tick): blocks of 512 and of 37
 * must give the bits of blocks of 1. Joining spans during the glide (a fault tried once) differs at frame 3000.
 */
describe('HapticEngine spans', () => {
  it('renders the same bits at blocks 1, 37 and 512 across a still source and a glide', () => {
    const events = [at.noteOn(0, 2, 60, 50), at.pitchBend(3000, 2, 0.7)];
    const renderAt = (blockFrames: number) => render(new HapticEngine({ pools: { travelling: 2, standing: 1 } }), { sampleRate: 48000, blockFrames, frames: 9000, events });

    const reference = renderAt(1);

    expect(reference[0].some((v) => v !== 0)).toBe(true);
    for (const block of [37, 512]) expect(firstDifference(reference, renderAt(block)), `block ${block}`).toBeNull();
  });
});
