import { type RareEventAllocation, type RareEventOptions, measureRareEventAllocation } from '../engine/rareEventAllocation.ts';
import { FdnReverb } from './fdnReverb.ts';
import type { ReverbParamsInput } from './reverbParams.ts';

/** Each parameter's two event values (REVERB_PARAM_NAMES order), alternated: each event changes it. */
export const FDN_RARE_EVENT_VALUES: readonly (readonly [number, number])[] = [
  [0.2, 0.5], [0.5, 0.9], [1, 3], [0.5, 2], [0, 20], [0, 2], [0.3, 3], [0.5, 2.5], [0, 480],
];

/** Rare Param events of the reverb's parameter `paramIndex` on a fresh FdnReverb(params) (see measureRareEventAllocation). */
export function measureFdnRareEvents(paramIndex: number, params: Partial<ReverbParamsInput> = {}, options: RareEventOptions = {}): Promise<RareEventAllocation> {
  return measureRareEventAllocation(() => new FdnReverb(params), paramIndex, FDN_RARE_EVENT_VALUES[paramIndex] as [number, number], options);
}
