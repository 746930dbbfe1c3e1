/**
 * What a rare Param event costs FdnReverb.process() on the JS heap, per parameter, as a live client
 * sends them (one event every 200 blocks of 64 frames after prepare(), nothing else warmed), measured
 * by src/engine/rareEventAllocation.ts with the project's allocation probe (full GC, young-generation delta,
 * a no-op subtracted): the first 2000 blocks after prepare() (10 events), and the smaller of the next
 * two windows. One fresh process per parameter, since V8's compiled code is shared by every instance:
 *   for p in 0 1 2 3 4 5 6 7 8; do npx tsx scripts/fdnEventAllocation.ts $p; done
 * Optional second argument: a preset of presets/reverb (default: the engine's defaults, or '' for them);
 * third: 'heap' to count V8's whole heap instead of the young generation (see AllocationSpaces in the probe).
 *
 * Before the loop design moved to WebAssembly (lineDesignWat.ts) and the warm-up went through
 * process() for every parameter and steady state, rare events ran the design, ramp and event paths in
 * V8's unoptimised tiers, which box every double they compute. Measured with this script (defaults,
 * young space, B/event, first window / later; load 10):
 *   wetDry 323 154 / 291, feedbackGain 192 991 / 3 224, rt60Seconds 164 473 / 3 231,
 *   rt60HighSeconds 255 582 / 3 179, preDelayMs 147 540 / 112, modDepthMs 131 848 / 6 522,
 *   modRateHz 13 970 / 144, rt60LowSeconds 357 486 / 17 824, preDelaySamples 327 476 / 112
 * (the earlier whole-heap figures, min of three windows: 0.3–18.5 KB per event). After (load 10–12):
 * every parameter 0 B/event later; the first window 0 B for 7 of 9, 384 and 528 B (wetDry, preDelayMs)
 * in one run at load 12, 0–144 B in others (V8 optimising the probe's
 * own loop; up to ~1.7 KB over the 10 events when the background compiler delivers late under load).
 */
import { measureFdnRareEvents } from '../src/reverb/fdnRareEvents.ts';
import { REVERB_PARAM_NAMES } from '../src/reverb/reverbParams.ts';
import { rareEventScript } from './rareEventScript.ts';

void rareEventScript('reverb', REVERB_PARAM_NAMES, measureFdnRareEvents);
