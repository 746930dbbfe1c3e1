/**
 * The command line shared by scripts/fdnEventAllocation.ts and scripts/lossyEventAllocation.ts:
 *   <parameter index> [preset of presets/<engine> ('' = defaults)] ['heap' | 'young']
 * measures that parameter's rare events on a fresh engine and prints one line (describeRareEvents).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AllocationSpaces } from '../src/engine/allocationProbe.ts';
import { type RareEventAllocation, type RareEventOptions, describeRareEvents } from '../src/engine/rareEventAllocation.ts';
import { PRESETS_DIR } from '../src/presets/workspace.ts';

export async function rareEventScript<P>(
  engine: string, paramNames: readonly string[], measure: (index: number, params: P, options: RareEventOptions) => Promise<RareEventAllocation>,
): Promise<void> {
  const index = Number(process.argv[2] ?? 0);
  const preset = process.argv[3] || undefined;
  if (!(index >= 0 && index < paramNames.length)) throw new Error(`parameter index 0…${paramNames.length - 1}, got ${process.argv[2]}`);
  const params = preset ? JSON.parse(readFileSync(join(PRESETS_DIR, engine, `${preset}.json`), 'utf8')).params : {};
  const spaces: AllocationSpaces = process.argv[4] === 'heap' ? 'heap' : 'young';
  const m = await measure(index, params, { spaces });
  process.stdout.write(`${describeRareEvents(`${preset ?? 'defaults'} ${paramNames[index]}`, spaces, m)}\n`);
}
