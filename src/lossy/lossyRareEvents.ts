import { type RareEventAllocation, type RareEventOptions, measureRareEventAllocation } from '../engine/rareEventAllocation.ts';
import { LossyEngine } from './lossyEngine.ts';
import type { LossyParamsInput } from './lossyParams.ts';

/** Each parameter's two event values (LOSSY_PARAM_NAMES order), alternated: each event changes it. */
export const LOSSY_RARE_EVENT_VALUES: readonly (readonly [number, number])[] = [[8, 12], [0, 10], [-80, -40], [-6, -1], [-6, 0]];

/** Rare Param events of the lossy effect's parameter `paramIndex` on a fresh LossyEngine(params) (see measureRareEventAllocation). */
export function measureLossyRareEvents(paramIndex: number, params: LossyParamsInput = {}, options: RareEventOptions = {}): Promise<RareEventAllocation> {
  return measureRareEventAllocation(() => new LossyEngine(params), paramIndex, LOSSY_RARE_EVENT_VALUES[paramIndex] as [number, number], options);
}
