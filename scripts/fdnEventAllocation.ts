/**
 * What a rare Param event costs FdnReverb.process() on the JS heap, per parameter, as a live client
 * sends them (one event every EVERY blocks of 64 frames after prepare(), nothing else warmed), measured
 * with the project's allocation probe (src/engine/allocationProbe.ts: full GC, used-heap delta, a no-op
 * subtracted). One fresh process per parameter, since V8's compiled code is shared by every instance:
 *   for p in 0 1 2 3 4 5 6 7 8; do npx tsx scripts/fdnEventAllocation.ts $p; done
 * Optional second argument: a preset of presets/reverb (default: the engine's defaults).
 * A steady stream of one parameter's events measures 0 bytes; rare ones run the event and ramp paths in
 * V8's unoptimised tiers, which box every double they compute (see the report in the commit message).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureAllocation } from '../src/engine/allocationProbe.ts';
import { EventKind, makeEvent } from '../src/engine/events.ts';
import { PRESETS_DIR } from '../src/presets/workspace.ts';
import { FdnReverb } from '../src/reverb/fdnReverb.ts';
import { REVERB_PARAM_NAMES } from '../src/reverb/reverbParams.ts';

const BLOCK = 64;
const EVERY = 200;
const CALLS = 2000;
/** Each parameter's two values (REVERB_PARAM_NAMES order), alternated. */
const VALUES = [[0.2, 0.5], [0.5, 0.9], [1, 3], [0.5, 2], [0, 20], [0, 2], [0.3, 3], [0.5, 2.5], [0, 480]];

async function main(): Promise<void> {
  const index = Number(process.argv[2] ?? 2);
  const preset = process.argv[3];
  if (!(index >= 0 && index < REVERB_PARAM_NAMES.length)) throw new Error(`parameter index 0…${REVERB_PARAM_NAMES.length - 1}, got ${process.argv[2]}`);
  const params = preset ? JSON.parse(readFileSync(join(PRESETS_DIR, 'reverb', `${preset}.json`), 'utf8')).params : {};
  const engine = new FdnReverb(params);
  engine.prepare({ sampleRate: 48000, maxBlockFrames: BLOCK });
  const inputs = [new Float32Array(BLOCK).map((_, i) => 0.3 * Math.sin(i)), new Float32Array(BLOCK).map((_, i) => 0.3 * Math.cos(i))];
  const outputs = [new Float32Array(BLOCK), new Float32Array(BLOCK)];
  const values = Float64Array.from(VALUES[index]);
  const ev = makeEvent();
  ev.kind = EventKind.Param;
  ev.paramIndex = index;
  const events = [ev];
  const n = new Int32Array(1);
  const step = () => {
    const b = n[0]++;
    ev.value = values[(b / EVERY) & 1];
    ev.offsetFrames = (b * 7) % BLOCK;
    engine.process(inputs, outputs, BLOCK, events, b % EVERY === 0 ? 1 : 0);
  };
  const m = await measureAllocation(step, { calls: CALLS, warmupCalls: 0, repeats: 3 });
  const perEvent = (m.bytes / (CALLS / EVERY)).toFixed(0);
  process.stdout.write(`${preset ?? 'defaults'} ${REVERB_PARAM_NAMES[index]}: ${m.bytes} bytes over ${CALLS} blocks with ${CALLS / EVERY} events (${perEvent} B/event)${m.gcDuringMeasurement ? ', a GC ran' : ''}\n`);
}

void main();
