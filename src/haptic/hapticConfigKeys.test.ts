import { describe, expect, it } from 'vitest';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { schemaLeafKeys } from '../engine/schemaLeafKeys.ts';
import { type HapticConfigInput, hapticConfigSchema } from './hapticConfig.ts';
import { HapticEngine } from './hapticEngine.ts';

/**
 * Every configuration key reaches the engine: for each leaf key of the schema, a value other than the
 * default changes the rendered output of one short performance that gives every key something to act on
 * (two travelling notes on two MPE channels with bend, timbre and a bend glide, two standing notes over a
 * full standing pool, releases inside the render). The table must name every key of the schema, so a key
 * added later without a test here fails the last check.
 */
const FS = 48000;
const FRAMES = 4800;
const small = { layout: { rows: 2, columns: 3 } } satisfies HapticConfigInput;

const events = [
  at.pitchBend(0, 1, 0.6), at.timbre(0, 1, 0.9), at.noteOn(10, 1, 60, 40),
  at.pitchBend(0, 2, -0.4), at.noteOn(200, 2, 67, 30),
  at.noteOn(300, 3, 72, 100), at.noteOn(320, 4, 76, 90), at.noteOn(340, 5, 79, 80),
  at.pitchBend(1500, 1, -0.8),
  at.noteOff(2500, 1, 60), at.noteOff(2600, 3, 72),
];

/** Rendered output of the performance under `config` (the small layout unless the config says otherwise). */
function output(config: HapticConfigInput): Float32Array[] {
  return render(new HapticEngine({ ...small, ...config }), { sampleRate: FS, blockFrames: 128, frames: FRAMES, events });
}

function differs(a: Float32Array[], b: Float32Array[]): boolean {
  if (a.length !== b.length) return true;
  return a.some((ch, c) => ch.some((v, i) => v !== b[c][i]));
}

/** Per leaf key (dotted path): a config that changes only that key (from the default, or from `BASES`). */
const CHANGES: Record<string, HapticConfigInput> = {
  'layout.rows': { layout: { rows: 3, columns: 3 } },
  'layout.columns': { layout: { rows: 2, columns: 4 } },
  'layout.spacingM': { layout: { rows: 2, columns: 3, spacingM: 0.08 } },
  'layout.positionsM': { layout: { positionsM: [{ xM: 0, yM: 0 }, { xM: 0.1, yM: 0 }, { xM: 0.2, yM: 0.03 }, { xM: 0, yM: 0.05 }, { xM: 0.1, yM: 0.05 }, { xM: 0.2, yM: 0.05 }] } },
  'pools.travelling': { pools: { travelling: 1 } },
  'pools.standing': { pools: { standing: 2 } },
  'pools.velocitySplit': { pools: { velocitySplit: 35 } },
  'pools.stealPolicy': { pools: { standing: 2, stealPolicy: 'drop' } },
  'envelope.attackMs': { envelope: { attackMs: 20 } },
  'envelope.releaseMs': { envelope: { releaseMs: 5 } },
  waveSpeedMps: { waveSpeedMps: 60 },
  masterGainDb: { masterGainDb: -3 },
  positionRangeM: { positionRangeM: 0.1 },
  positionGlideMs: { positionGlideMs: 200 },
  interpolation: { interpolation: 'cubic' },
  standingModeShape: { standingModeShape: [1, -1, 0.5, 1, 1, 0] },
};

/** Keys that only act under another setting: compared against that setting alone (a full standing pool). */
const BASES: Record<string, HapticConfigInput> = {
  'pools.stealPolicy': { pools: { standing: 2 } },
};

describe('every haptic configuration key changes the output', () => {
  const reference = output({});

  it('the performance sounds, on every transducer', () => {
    expect(reference).toHaveLength(6);
    for (const ch of reference) expect(ch.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });

  it.each(Object.entries(CHANGES))('%s', (key, change) => {
    const base = BASES[key] ? output(BASES[key]) : reference;

    expect(differs(output(change), base)).toBe(true);
  });

  it('names every key of the schema (a key the engine does not read is removed, not listed)', () => {
    expect(schemaLeafKeys(hapticConfigSchema).sort()).toEqual(Object.keys(CHANGES).sort());
  });
});
