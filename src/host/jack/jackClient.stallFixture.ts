/**
 * Test fixture run in a worker: the rendering side of jackClient.test.ts. Renders a constant 0.5 on
 * every output through RenderAhead, waiting on the addon's cycle semaphore; keeps input 0 in `capture`
 * by stream frame; runs at SCHED_FIFO 5 where permitted; at the first period at or after `stallAtFrame` it stops rendering for `stallMs` (a
 * garbage-collection pause, a page fault storm, a slow engine block). Stops when `stop[0]` is set.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadJackAddon } from './jackAddon.ts';
import { PeriodRings, type PeriodRingsBuffers } from './periodRings.ts';
import { RenderAhead } from './renderAhead.ts';

const d = workerData as { handle: number; rings: PeriodRingsBuffers; fillPeriods: number; capture: Float32Array; stallAtFrame: number; stallMs: number; stop: Int32Array };
const addon = loadJackAddon();
// Below JACK's own process thread (jackd -R: priority 10 and clients just under), above everything else.
const realtime = addon.setRealtime(5);
const rings = new PeriodRings(d.rings);
const ahead = new RenderAhead(rings, d.fillPeriods, (us) => us / 1000);
ahead.prime();
parentPort!.postMessage({ primed: true, realtime: realtime === 0 });
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
let stalled = false;
ahead.run((p) => {
  for (const o of p.outputs) o.fill(0.5);
  const n = Math.min(p.frames, d.capture.length - p.frameIndex);
  if (n > 0) d.capture.set(p.inputs[0].subarray(0, n), p.frameIndex);
  if (!stalled && p.frameIndex >= d.stallAtFrame) {
    stalled = true;
    Atomics.wait(sleepCell, 0, 0, d.stallMs);
  }
}, { wait: (ms) => addon.waitCycle(d.handle, ms) }, () => Atomics.load(d.stop, 0) === 1);
parentPort!.postMessage({ stats: ahead.stats });
