/**
 * What a rare Param event costs LossyEngine.process() on the JS heap, per parameter, as a live client
 * sends them (one event every 200 blocks of 64 frames after prepare(), nothing else warmed), measured
 * by src/engine/rareEventAllocation.ts with the project's allocation probe (young generation, a no-op
 * subtracted): the first 2000 blocks after prepare() (10 events), and the smaller of the next two
 * windows. One fresh process per parameter, since V8's compiled code is shared by every instance:
 *   for p in 0 1 2 3 4; do npx tsx scripts/lossyEventAllocation.ts $p; done
 * Optional second argument: a preset of presets/lossy (default: the engine's defaults, or '' for them);
 * third: 'heap' to count V8's whole heap instead of the young generation (see AllocationSpaces in the probe).
 * The sibling of scripts/fdnEventAllocation.ts.
 *
 * Measured (defaults, load 10–12): before LossyEngine.prepare() warmed up, the first window 0.4–5.5 MB
 * (bitDepth 3.4 MB, lossPercent 1.2 MB, thresholdDb 0.39 MB, ceilingDb 2.8 MB, outputGainDb 5.5 MB;
 * GCs ran) and later 0–547 B/event (bitDepth and lossPercent 547, ceilingDb 130); after, the first
 * window 0–144 B (V8 optimising the probe's own loop) and later 0 for every parameter.
 */
import { measureLossyRareEvents } from '../src/lossy/lossyRareEvents.ts';
import { LOSSY_PARAM_NAMES } from '../src/lossy/lossyParams.ts';
import { rareEventScript } from './rareEventScript.ts';

void rareEventScript('lossy', LOSSY_PARAM_NAMES, measureLossyRareEvents);
