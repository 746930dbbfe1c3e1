import type { z } from 'zod';
import type { Engine } from '../engine/engine.ts';
import { HAPTIC_ENGINE_VERSION, HapticEngine } from '../haptic/hapticEngine.ts';
import { hapticConfigSchema } from '../haptic/hapticConfig.ts';
import { LOSSY_ENGINE_VERSION, LossyEngine } from '../lossy/lossyEngine.ts';
import { lossyParamsSchema } from '../lossy/lossyParams.ts';
import { FDN_REVERB_VERSION, FdnReverb } from '../reverb/fdnReverb.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';

/**
 * What the preset system, the golden workflow and `rig render` need to know about an engine.
 * - `effect` engines process an input signal (goldens render a fixed test input through them);
 *   `instrument` engines are driven by events (their presets carry a performance).
 * - `version` is recorded in golden sidecars; bump it when unchanged parameters give a new output.
 */
export interface EngineEntry {
  engine: string;
  kind: 'effect' | 'instrument';
  version: string;
  paramsSchema: z.ZodType;
  /** Builds an engine from parameters already validated by `paramsSchema`. */
  create(params: unknown): Engine;
}

export const engineRegistry: Readonly<Record<string, EngineEntry>> = {
  lossy: {
    engine: 'lossy',
    kind: 'effect',
    version: LOSSY_ENGINE_VERSION,
    paramsSchema: lossyParamsSchema,
    create: (params) => new LossyEngine(params as z.output<typeof lossyParamsSchema>),
  },
  reverb: {
    engine: 'reverb',
    kind: 'effect',
    version: FDN_REVERB_VERSION,
    paramsSchema: reverbParamsSchema,
    create: (params) => new FdnReverb(params as z.output<typeof reverbParamsSchema>),
  },
  haptic: {
    engine: 'haptic',
    kind: 'instrument',
    version: HAPTIC_ENGINE_VERSION,
    paramsSchema: hapticConfigSchema,
    create: (params) => new HapticEngine(params as z.output<typeof hapticConfigSchema>),
  },
};

export function engineNames(): string[] {
  return Object.keys(engineRegistry).sort();
}
