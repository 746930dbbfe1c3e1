import { describe, expect, it } from 'vitest';
import { addGaussianNoise } from '../analysis/testSignals/seededRandom.ts';
import { render } from '../engine/render.ts';
import { schemaLeafKeys } from '../engine/schemaLeafKeys.ts';
import { LossyEngine } from './lossyEngine.ts';
import { type LossyParamsInput, lossyParamsSchema } from './lossyParams.ts';

/**
 * Every lossy parameter key reaches the engine: for each leaf key of the schema, a value other than its
 * default (or than the setting in BASES it acts under: a stage switched on) changes the stereo output of
 * one render of a programme with loud passages over the limiter's ceiling and a quiet one under the gate.
 * The table must name every key of the schema: a key added later without a test here fails the last check.
 */
const FS = 48000;
const FRAMES = FS;
const input = [0, 1].map((c) => {
  const x = addGaussianNoise(new Float32Array(FRAMES), 0.25, 11 + c);
  for (let n = 0; n < FRAMES; n++) {
    const quiet = n >= 16000 && n < 26000;
    x[n] = quiet ? 0.002 * x[n] : x[n] + 0.9 * Math.sin((2 * Math.PI * 440 * n) / FS);
  }
  return x;
});

function output(params: LossyParamsInput): Float32Array[] {
  return render(new LossyEngine(params), { sampleRate: FS, blockFrames: 256, frames: FRAMES, input });
}

function differs(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length !== b.length || a.some((ch, c) => ch.some((v, i) => v !== b[c][i]));
}

const LOSS = { packetLoss: { enabled: true, lossPercent: 20 } } as const;
/** Bursts of lost packets: each further repeat of a burst is attenuated. */
const BURSTS = { packetLoss: { enabled: true, lossPercent: 30, burstiness: 0.8 } } as const;
const GATE = { gate: { enabled: true } } as const;
const CRUSH = { bitcrush: { enabled: true } } as const;
const BAND = { type: 'peaking', frequencyHz: 2000, q: 2, gainDb: 6 } as const;
const FILTERS: LossyParamsInput = { filters: { enabled: true, bands: [BAND] } };

/** Per leaf key: [the setting it acts under ({} = defaults), the change merged over it]. */
const CASES: Record<string, [LossyParamsInput, LossyParamsInput]> = {
  seed: [LOSS, { seed: 2 }],
  order: [{}, { order: ['filters', 'limiter', 'bitcrush', 'packetLoss', 'gate', 'codec'] }],
  inputGainDb: [{}, { inputGainDb: -6 }],
  outputGainDb: [{}, { outputGainDb: -6 }],
  'filters.enabled': [{ filters: { bands: [BAND] } }, FILTERS],
  'filters.bands': [{ filters: { enabled: true } }, FILTERS],
  'codec.enabled': [{}, { codec: { enabled: false } }],
  'codec.frameSize': [{}, { codec: { frameSize: 2048 } }],
  'codec.hopSize': [{}, { codec: { hopSize: 256 } }],
  'codec.bitrateKbps': [{}, { codec: { bitrateKbps: 24 } }],
  'codec.bandwidthHz': [{}, { codec: { bandwidthHz: 6000 } }],
  'codec.lowCutHz': [{}, { codec: { lowCutHz: 300 } }],
  'codec.bandCount': [{}, { codec: { bandCount: 8 } }],
  'codec.scaleFactorBits': [{}, { codec: { scaleFactorBits: 3 } }],
  'codec.maxBitsPerBin': [{}, { codec: { maxBitsPerBin: 2 } }],
  'bitcrush.enabled': [{}, CRUSH],
  'bitcrush.bitDepth': [CRUSH, { bitcrush: { enabled: true, bitDepth: 6 } }],
  'bitcrush.holdRateHz': [CRUSH, { bitcrush: { enabled: true, holdRateHz: 8000 } }],
  'packetLoss.enabled': [{ packetLoss: { lossPercent: 20 } }, LOSS],
  'packetLoss.packetMs': [LOSS, { packetLoss: { ...LOSS.packetLoss, packetMs: 7 } }],
  'packetLoss.lossPercent': [{ packetLoss: { enabled: true } }, LOSS],
  'packetLoss.burstiness': [LOSS, { packetLoss: { ...LOSS.packetLoss, burstiness: 0.8 } }],
  'packetLoss.concealment': [LOSS, { packetLoss: { ...LOSS.packetLoss, concealment: 'silence' } }],
  'packetLoss.repeatAttenuationDb': [BURSTS, { packetLoss: { ...BURSTS.packetLoss, repeatAttenuationDb: 20 } }],
  'packetLoss.fadeMs': [LOSS, { packetLoss: { ...LOSS.packetLoss, fadeMs: 8 } }],
  'gate.enabled': [{}, GATE],
  'gate.thresholdDb': [GATE, { gate: { enabled: true, thresholdDb: -20 } }],
  'gate.rangeDb': [GATE, { gate: { enabled: true, rangeDb: -20 } }],
  'gate.attackMs': [GATE, { gate: { enabled: true, attackMs: 30 } }],
  'gate.holdMs': [GATE, { gate: { enabled: true, holdMs: 150 } }],
  'gate.releaseMs': [GATE, { gate: { enabled: true, releaseMs: 600 } }],
  'limiter.enabled': [{}, { limiter: { enabled: false } }],
  'limiter.ceilingDb': [{}, { limiter: { ceilingDb: -6 } }],
  'limiter.releaseMs': [{}, { limiter: { releaseMs: 400 } }],
};

/** The fields of a filter band (inside filters.bands, an array, so not leaf keys of the schema). */
const BAND_CASES: Record<string, LossyParamsInput> = {
  type: { filters: { enabled: true, bands: [{ ...BAND, type: 'lowshelf' }] } },
  frequencyHz: { filters: { enabled: true, bands: [{ ...BAND, frequencyHz: 500 }] } },
  q: { filters: { enabled: true, bands: [{ ...BAND, q: 0.5 }] } },
  gainDb: { filters: { enabled: true, bands: [{ ...BAND, gainDb: -6 }] } },
};

describe('every lossy parameter key changes the output', () => {
  const outputs = new Map<string, Float32Array[]>();
  const cached = (params: LossyParamsInput) => {
    const key = JSON.stringify(params);
    if (!outputs.has(key)) outputs.set(key, output(params));
    return outputs.get(key)!;
  };

  it.each(Object.entries(CASES))('%s', (_key, [base, change]) => {
    expect(differs(cached({ ...base, ...change }), cached(base))).toBe(true);
  });

  it.each(Object.entries(BAND_CASES))('filters.bands[].%s', (_key, change) => {
    expect(differs(cached(change), cached(FILTERS))).toBe(true);
  });

  it('names every key of the schema', () => {
    expect(schemaLeafKeys(lossyParamsSchema).sort()).toEqual(Object.keys(CASES).sort());
  });
});
