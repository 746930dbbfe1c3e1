import { describe, expect, it } from 'vitest';
import { ensureJackServer } from '../../../hil/jack/jackServer.ts';
import { testServerName } from '../../../hil/jack/jackServerName.ts';
import { jackToolsMissing } from '../../../hil/jack/jackToolsMissing.ts';
import { allocationUnmeasurable, measureAllocation } from '../../engine/allocationProbe.ts';
import { loadJackAddon } from './jackAddon.ts';
import { jackClockMap } from './jackClockMap.ts';

/**
 * Limits: the map against a reading of jack_get_time() bracketed by performance.now() here (the bracket
 * of one call through Node-API, a few µs, plus the two offsets' errors); what a refresh may allocate (the
 * render worker runs it between cycles, once a second: nothing).
 */
const LIMITS = { agreementMs: 0.05, bytesPerRefresh: 0 };
const REFRESHES = 2000;

const skip = jackToolsMissing('jack_lsp');
if (skip) console.warn(`JACK clock map test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('jackClockMap (a JACK client open on a dummy jackd)', () => {
  it('maps jack_get_time() onto performance.now() within 50 µs, on this thread and onto another time origin; refresh() allocates nothing', async () => {
    const serverName = testServerName('clockmap');
    const server = await ensureJackServer({ sampleRate: 48000, periodFrames: 128, loopbackPorts: 1, systemPorts: 1, realtime: false, sync: false, serverName });
    const addon = loadJackAddon();
    const { handle } = addon.open('clockmap-test', serverName);
    try {
      const here = jackClockMap(addon);
      // A thread whose timeOrigin is 1 s earlier reads 1000 ms more for the same instant.
      const elsewhere = jackClockMap(addon, performance.timeOrigin - 1000);
      let worstMs = 0;
      let worstElsewhereMs = 0;
      for (let i = 0; i < 200; i++) {
        if (i % 20 === 0) here.refresh();
        const t1 = performance.now();
        const us = addon.jackTimeUs();
        const t2 = performance.now();
        const ms = here.map(us);
        worstMs = Math.max(worstMs, t1 - ms, ms - t2);
        worstElsewhereMs = Math.max(worstElsewhereMs, Math.abs(elsewhere.map(us) - 1000 - ms));
      }
      expect(worstMs).toBeLessThan(LIMITS.agreementMs);
      expect(worstElsewhereMs).toBeLessThan(LIMITS.agreementMs);

      if (!allocationUnmeasurable) {
        const m = await measureAllocation(here.refresh, { calls: REFRESHES, spaces: 'young', warmupCalls: 2000 });
        expect(m.bytes / REFRESHES).toBeLessThanOrEqual(LIMITS.bytesPerRefresh + 0.1);
        expect(m.gcDuringMeasurement).toBe(false);
      }
    } finally {
      addon.close(handle);
      await server.stop();
    }
  });
});
