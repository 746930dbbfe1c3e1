import { describe, expect, it } from 'vitest';
import { at } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { schemaLeafKeys } from '../engine/schemaLeafKeys.ts';
import { FdnReverb } from './fdnReverb.ts';
import { type ReverbParamsInput, reverbParamsSchema } from './reverbParams.ts';
import { P_WET } from './reverbParamIndex.ts';

/**
 * Every reverb parameter key reaches the engine: for each leaf key of the schema, a value other than its
 * default (or than the setting in BASES it acts under) changes the stereo output of one short render — an
 * impulse and a burst of noise, and a wetDry Param event half-way so the smoothing has a ramp to shape.
 * The table must name every key of the schema: a key added later without a test here fails the last check.
 */
const FS = 48000;
const FRAMES = 9600;
const input = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
input[0][0] = 1;
for (let n = 2000; n < 2400; n++) input[1][n] = Math.sin(0.37 * n) * Math.sin(0.011 * n);
const events = [at.param(4800, P_WET, 0.9)];

function output(params: ReverbParamsInput): Float32Array[] {
  return render(new FdnReverb(params), { sampleRate: FS, blockFrames: 128, frames: FRAMES, input, events });
}

function differs(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length !== b.length || a.some((ch, c) => ch.length !== b[c].length || ch.some((v, i) => v !== b[c][i]));
}

const MANUAL = { decayMode: 'manual', feedbackGain: 0.9 } as const;
const MODULATED = { modDepthMs: 1 } as const;

/** Per leaf key: the configuration that changes it (merged over its base). */
const CHANGES: Record<string, ReverbParamsInput> = {
  lines: { lines: 16 },
  matrix: { matrix: 'householder' },
  seed: { seed: 7 },
  delayMinMs: { delayMinMs: 31 },
  delayMaxMs: { delayMaxMs: 90 },
  decayMode: { decayMode: 'manual' },
  rt60Seconds: { rt60Seconds: 3 },
  rt60HighSeconds: { rt60HighSeconds: 0.7 },
  rt60LowSeconds: { rt60LowSeconds: 1.6 },
  rt60BandsSeconds: { rt60BandsSeconds: { '250': 2.5, '1000': 2, '4000': 1.2 } },
  feedbackGain: { ...MANUAL, feedbackGain: 0.7 },
  damping: { ...MANUAL, damping: 0.5 },
  preDelayMs: { preDelayMs: 12 },
  preDelaySamples: { preDelaySamples: 333 },
  wetDry: { wetDry: 0.5 },
  modDepthMs: { modDepthMs: 2 },
  modRateHz: { ...MODULATED, modRateHz: 3 },
  interpolation: { ...MODULATED, interpolation: 'linear' },
  smoothingMs: { smoothingMs: 60 },
};

/** Keys that act only under another setting: compared against that setting alone. */
const BASES: Record<string, ReverbParamsInput> = {
  feedbackGain: MANUAL,
  damping: MANUAL,
  modRateHz: MODULATED,
  interpolation: MODULATED,
};

describe('every reverb parameter key changes the output', () => {
  const reference = output({});

  it('the render has a wet tail on both outputs', () => {
    for (const ch of reference) expect(ch.subarray(6000).some((v) => Math.abs(v) > 1e-4)).toBe(true);
  });

  it.each(Object.entries(CHANGES))('%s', (key, change) => {
    const base = BASES[key] ? output(BASES[key]) : reference;

    expect(differs(output({ ...BASES[key], ...change }), base)).toBe(true);
  });

  it('names every key of the schema', () => {
    expect(schemaLeafKeys(reverbParamsSchema).sort()).toEqual(Object.keys(CHANGES).sort());
  });
});
