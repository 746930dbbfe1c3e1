import { describeConformance } from '../conformance/describeConformance.ts';
import { at } from '../../src/engine/events.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';
import { REVERB_PARAM_NAMES } from '../../src/reverb/reverbParams.ts';

const index = (name: (typeof REVERB_PARAM_NAMES)[number]) => REVERB_PARAM_NAMES.indexOf(name);

/** Parameter jumps mid-render, so the ramps cross block boundaries at every block size. */
const paramJumps = (sampleRate: number) => [
  at.param(Math.round(0.031 * sampleRate), index('wetDry'), 0.8),
  at.param(Math.round(0.05 * sampleRate), index('rt60Seconds'), 0.7),
  at.param(Math.round(0.05 * sampleRate) + 3, index('preDelayMs'), 7.3),
  at.param(Math.round(0.09 * sampleRate), index('feedbackGain'), 0.9),
  at.param(Math.round(0.12 * sampleRate), index('modDepthMs'), 1.1),
  at.param(Math.round(0.16 * sampleRate), index('modRateHz'), 3),
];

describeConformance({
  name: 'reverb (FDN-8, random orthogonal, linear-modulated, HF damping)',
  create: () => new FdnReverb({ lines: 8, matrix: 'randomOrthogonal', seed: 7, rt60HighSeconds: 1.2, modDepthMs: 0.6, interpolation: 'linear' }),
});
describeConformance({
  name: 'reverb (FDN-4, Householder, manual damping per line, parameter jumps)',
  create: () => new FdnReverb({ lines: 4, matrix: 'householder', decayMode: 'manual', feedbackGain: 0.95, damping: [0.1, 0.2, 0.3, 0.4] }),
  events: paramJumps,
});
describeConformance({
  name: 'reverb (FDN-16, Hadamard, plain then cubic-modulated by an event, parameter jumps)',
  create: () => new FdnReverb({ lines: 16, preDelayMs: 4, rt60HighSeconds: 0.9 }),
  events: paramJumps,
});
/** A low target (shelved lines), jumps of it and of the pre-delay in samples, and modulation switched on by an event. */
const shelvedJumps = (sampleRate: number) => [
  ...paramJumps(sampleRate),
  at.param(Math.round(0.07 * sampleRate), index('rt60LowSeconds'), 1.1),
  at.param(Math.round(0.1 * sampleRate) + 5, index('preDelaySamples'), 211),
];
describeConformance({
  name: 'reverb (FDN-16, Hadamard, low target: shelved lines, parameter jumps)',
  create: () => new FdnReverb({ lines: 16, rt60Seconds: 1.5, rt60HighSeconds: 0.9, rt60LowSeconds: 2, preDelaySamples: 96 }),
  events: shelvedJumps,
});
describeConformance({
  name: 'reverb (FDN-8, Householder, low target switched on by an event, cubic-modulated)',
  create: () => new FdnReverb({ lines: 8, matrix: 'householder', rt60HighSeconds: 1.2, modDepthMs: 0.4 }),
  events: shelvedJumps,
});
