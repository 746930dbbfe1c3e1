import { describe, expect, it } from 'vitest';
import { addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { detectPilotDropouts, PILOT_CYCLES_PER_SAMPLE } from './pilotToneDetector.ts';

/**
 * The pilot detector at its lines (defaults: per-sample residual 0.1·A, window phase 0.1 rad, amplitude
 * 0.1): from FAULT_FRAME on the pilot continues with a phase step of Δ (residual peak 2·sin(Δ/2)·A) or
 * an amplitude step of (1 + k). 20 % over the line must be found there, 20 % under must not be found.
 */
const FS = 48000;
const AMPLITUDE = 0.5;
const FAULT_FRAME = 40000;
const OMEGA = 2 * Math.PI * PILOT_CYCLES_PER_SAMPLE;

function pilotWithStep(phaseStepRad: number, gainStep: number): Float32Array {
  const x = Float32Array.from({ length: 2 * FS }, (_, n) => {
    const after = n >= FAULT_FRAME;
    return (after ? gainStep : 1) * AMPLITUDE * Math.cos(OMEGA * n + 0.3 + (after ? phaseStepRad : 0));
  });
  addNoiseAtSnr(x, 70, 5);
  return x;
}

/** Each rule alone: the other two limits are set out of reach, so the rule under test is the only one that can fire. */
const OFF = 100;
const RULES = [
  { rule: 'per-sample residual 0.1·A', options: { phaseThresholdRad: OFF, amplitudeTolerance: OFF }, over: [0.12, 1], under: [0.08, 1] },
  { rule: 'window phase 0.1 rad', options: { residualThreshold: OFF, amplitudeTolerance: OFF }, over: [0.12, 1], under: [0.08, 1] },
  { rule: 'window amplitude 0.1', options: { residualThreshold: OFF, phaseThresholdRad: OFF }, over: [0, 1.12], under: [0, 1.08] },
  { rule: 'all three (defaults)', options: {}, over: [0.12, 1], under: [0.08, 1] },
] as const;

describe('detectPilotDropouts at its thresholds', () => {
  it.each(RULES)('$rule: finds a step 20 % over the line where it happens, and nothing 20 % under', ({ options, over, under }) => {
    const found = detectPilotDropouts(pilotWithStep(over[0], over[1]), { sampleRate: FS, ...options });
    const missed = detectPilotDropouts(pilotWithStep(under[0], under[1]), { sampleRate: FS, ...options });

    expect(found).toHaveLength(1);
    expect(Math.abs(found[0].startFrame - FAULT_FRAME)).toBeLessThan(FS / 1000);
    expect(missed).toEqual([]);
  });

  it('finds nothing on the same pilot without a step', () => {
    expect(detectPilotDropouts(pilotWithStep(0, 1), { sampleRate: FS })).toEqual([]);
  });
});
