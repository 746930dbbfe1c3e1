import { describe, expect, it } from 'vitest';
import { jackToolsMissing } from '../../../hil/jack/jackToolsMissing.ts';
import { percentile } from '../../analysis/statistics/percentile.ts';
import { Ctl, Meta } from './periodRings.ts';
import { ownTestServer, startLoopbackStream, withTestClient } from './testJackClient.ts';

/**
 * The render delay (jackClient.c's waitCycle with wakeAfterEntryUs; hil/rigs/rigFile.ts renderDelayPeriods): the
 * render thread, waiting with no cycle posted, sleeps on a timer to the delay after the next cycle's expected start
 * (the latest cycle's entry + the nominal period), so that commands arriving meanwhile make the block it renders
 * next — and not much later, or the block loses cushion the delay did not mean to spend. Test: an asynchronous
 * real-time dummy jackd at 64 frames (1.33 ms); this thread (real-time, as the render worker) waits WAKE_UPS times
 * and notes jack_get_time() on return against the expected start of the newest cycle.
 */
const DELAY_US = 400;
const LIMITS = {
  /** Never before the expected start + delay, µs (jack_get_time() is whole µs). */
  earliestUs: DELAY_US - 1,
  /** The median return no later than this after the expected start + delay, µs (a timer's wake-up, not a spin). */
  medianOverUs: 250,
} as const;
const WAKE_UPS = 300;
/** Cycles that began more than this before their expected start are not measured (see the loop), µs. */
const EARLY_CYCLE_US = 200;
/** SCHED_FIFO priority of this thread while it measures (the render worker's, hostWorker.ts). */
const TEST_THREAD_PRIORITY = 4;
const median = (xs: readonly number[]) => percentile([...xs].sort((a, b) => a - b), 50);

const skip = jackToolsMissing('jack_lsp');
if (skip) console.warn(`render delay test skipped: ${skip}`);

/**
 * Per wake-up, jack_get_time() on return minus the newest cycle's expected start (the one before + a period), µs:
 * WAKE_UPS with each delay in turn (undefined: the wait without one), on one server and client.
 */
async function wakeLagsUs(delaysUs: readonly (number | undefined)[]): Promise<number[][]> {
  return withTestClient(ownTestServer('renderdelay', { periodFrames: 64, sync: false }), 'renderdelay-test', async ({ addon, client }) => {
    const handle = client.handle;
    const periodUs = (client.periodFrames * 1e6) / client.sampleRate;
    const { rings, ahead } = startLoopbackStream(addon, client);
    /** The entry of the cycle `back` before the newest (0: the newest), µs. */
    const entryUs = (back: number) => rings.meta[(((Atomics.load(rings.ctl, Ctl.IN_WRITE) - 1 - back) >>> 0) % rings.layout.ringPeriods) * Meta.SLOTS + Meta.ENTRY_US];
    // As the render worker runs (where permitted): a normal-priority thread descheduled between its wake-up and
    // its reads would pair its return with a later cycle's entry.
    addon.setRealtime(TEST_THREAD_PRIORITY);
    // Every cycle posts once and queues one input: posts not yet taken by a wait = inputs pumped − waits.
    let pumped = 0;
    let waits = 0;
    return delaysUs.map((delayUs) => {
      const lags: number[] = [];
      const from = rings.count(Ctl.CYCLES);
      for (let tries = 0; lags.length < WAKE_UPS && tries < 4 * WAKE_UPS; tries++) {
        const cyclesAtCall = rings.count(Ctl.CYCLES);
        const postPending = pumped > waits;
        const posted = delayUs === undefined ? addon.waitCycle(handle, 100) : addon.waitCycle(handle, 100, delayUs);
        waits++;
        const cycles = rings.count(Ctl.CYCLES);
        const nowUs = addon.jackTimeUs();
        const expectedUs = entryUs(1) + periodUs;
        const earlyUs = expectedUs - entryUs(0);
        expect(posted).toBe(true);
        // Every wake-up after the first few periods, but one that began with a post pending (a thread behind takes
        // it at once, as it should: one of a burst whose inputs an earlier pump took), one that saw other than
        // exactly one cycle begin since the call (one that had begun before the wait, or a later one that began
        // before the reads: this thread preempted, paired with the wrong cycle), and one whose cycle came early
        // (the dummy driver's cycles after a late one run back to back).
        if (cycles > from + 8 && !postPending && cycles === cyclesAtCall + 1 && rings.count(Ctl.CYCLES) === cycles && earlyUs < EARLY_CYCLE_US) lags.push(nowUs - expectedUs);
        pumped += ahead.pump(() => {});
      }
      expect(lags.length, 'wake-ups measured').toBe(WAKE_UPS);
      return lags;
    });
  });
}

describe.skipIf(skip !== undefined)('the render delay (jackd dummy, asynchronous, 64 frames)', () => {
  it(`returns from the cycle wait ${DELAY_US} µs after the cycle's expected start: never earlier, the median within ${LIMITS.medianOverUs} µs of it`, async () => {
    const [delayed, prompt] = await wakeLagsUs([DELAY_US, undefined]);
    const lags = [...delayed].sort((a, b) => a - b);
    const us = (v: number) => `${v.toFixed(0)} µs`;
    console.log(`render delay ${DELAY_US} µs: wake-up after the cycle's expected start min ${us(lags[0])}, median ${us(median(lags))}, max ${us(lags[lags.length - 1])}; without: median ${us(median(prompt))}`);
    expect(lags[0]).toBeGreaterThanOrEqual(LIMITS.earliestUs);
    expect(median(lags) - DELAY_US).toBeLessThanOrEqual(LIMITS.medianOverUs);
    // Without the delay the same wait returns at once: the figures above measure the delay, not this thread's lag.
    expect(median(prompt), 'median wake-up lag without a render delay').toBeLessThan(LIMITS.earliestUs);
  }, 30_000);
});
