import { describeConformance } from '../conformance/describeConformance.ts';
import { at } from '../../src/engine/events.ts';
import { LossyEngine } from '../../src/lossy/lossyEngine.ts';

/** Every stage on, with losses, so the contract suite exercises the whole chain and its Param events. */
const everyStage = {
  seed: 7,
  filters: { enabled: true, bands: [{ type: 'highpass' as const, frequencyHz: 200 }, { type: 'peaking' as const, frequencyHz: 2000, gainDb: 6, q: 1 }] },
  codec: { bitrateKbps: 48, frameSize: 512, hopSize: 128 },
  bitcrush: { enabled: true, bitDepth: 10, holdRateHz: 16000 },
  packetLoss: { enabled: true, packetMs: 5, lossPercent: 20, burstiness: 0.5 },
  gate: { enabled: true, thresholdDb: -40 },
  limiter: { ceilingDb: -6 },
};

describeConformance({
  name: 'lossy engine (every stage on)',
  create: () => new LossyEngine(everyStage),
  events: (sampleRate) => [
    at.param(Math.round(0.07 * sampleRate) + 3, 0, 6),
    at.param(Math.round(0.1 * sampleRate) + 1, 1, 50),
    at.param(Math.round(0.15 * sampleRate) + 7, 3, -12),
    at.param(Math.round(0.18 * sampleRate) + 2, 4, -3),
  ],
});

describeConformance({ name: 'lossy engine (defaults)', create: () => new LossyEngine() });
