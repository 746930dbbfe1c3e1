/**
 * What a rare Param event costs FdnReverb.process() on the JS heap, per parameter, as a live client
 * sends them (one event every 200 blocks of 64 frames after prepare(), nothing else warmed), measured
 * by src/reverb/rareEventAllocation.ts with the project's allocation probe (full GC, used-heap delta,
 * a no-op subtracted): the first 2000 blocks after prepare() (10 events), and the smaller of the next
 * two windows. One fresh process per parameter, since V8's compiled code is shared by every instance:
 *   for p in 0 1 2 3 4 5 6 7 8; do npx tsx scripts/fdnEventAllocation.ts $p; done
 * Optional second argument: a preset of presets/reverb (default: the engine's defaults, or '' for them);
 * third: 'heap' to count V8's whole heap instead of the young generation (see AllocationSpaces in the probe).
 *
 * Before the loop design moved to WebAssembly (lineDesignWat.ts) and the warm-up went through
 * process() for every parameter, rare events ran the design, ramp and event paths in V8's unoptimised
 * tiers, which box every double they compute: 0.3–18.5 KB per event (rt60LowSeconds 18.5 KB,
 * rt60HighSeconds 9.3 KB, feedbackGain 4.8 KB, modDepthMs up to 22 KB). After (defaults, load 3–7 on
 * this 2-core machine): every parameter 0 B per event in the later windows; the first window after
 * prepare() 0 B for most runs, at most a few hundred bytes over its 10 events while V8's background
 * compiler is still delivering the warm-up's code (see the commit message for the table).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS_DIR } from '../src/presets/workspace.ts';
import { measureRareEventAllocation } from '../src/reverb/rareEventAllocation.ts';
import { REVERB_PARAM_NAMES } from '../src/reverb/reverbParams.ts';

async function main(): Promise<void> {
  const index = Number(process.argv[2] ?? 2);
  const preset = process.argv[3] || undefined;
  if (!(index >= 0 && index < REVERB_PARAM_NAMES.length)) throw new Error(`parameter index 0…${REVERB_PARAM_NAMES.length - 1}, got ${process.argv[2]}`);
  const params = preset ? JSON.parse(readFileSync(join(PRESETS_DIR, 'reverb', `${preset}.json`), 'utf8')).params : {};
  const spaces = process.argv[4] === 'heap' ? 'heap' : 'young';
  const m = await measureRareEventAllocation(index, params, { spaces });
  const perEvent = (bytes: number) => (bytes / m.eventsPerWindow).toFixed(0);
  const gc = (ran: boolean) => (ran ? ', a GC ran' : '');
  process.stdout.write(
    `${preset ?? 'defaults'} ${REVERB_PARAM_NAMES[index]} (${spaces}): first ${m.first.calls} blocks after prepare() ${m.first.bytes} bytes `
    + `(${perEvent(m.first.bytes)} B/event${gc(m.first.gcDuringMeasurement)}), later ${m.later.bytes} bytes (${perEvent(m.later.bytes)} B/event${gc(m.later.gcDuringMeasurement)}), `
    + `${m.eventsPerWindow} events per window\n`,
  );
}

void main();
