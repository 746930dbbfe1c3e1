import { describe, expect, it } from 'vitest';
import { xrunLinesOf } from './jackServer.ts';
import { pairXruns, xrunsOfLog } from './serverXruns.ts';

describe('jackd xrun lines and the native client\'s records, paired', () => {
  it('reads both kinds of xrun line from jackd\'s output, in order', () => {
    const text = 'JackTimedDriver::Process XRun = 3125 usec\nJackEngine::XRun: client = studio-rig was not finished, state = Triggered\n'
      + 'Jack: something else\nJackEngine::XRun: client studio-rig finished after current callback\n';
    expect(xrunLinesOf(text, 7).map((l) => l.kind)).toEqual(['driver', 'client', 'client']);
    expect(xrunLinesOf('no xrun here', 7)).toEqual([]);
  });

  it('gives each record the kind of the next line within [−20 ms, +1 s] of it, leaves lines before the first record out', () => {
    const records = [{ frame: 48_000, jackUs: 1_000_000 }, { frame: 96_000, jackUs: 2_000_000 }, { frame: 150_000, jackUs: 3_000_000 }];
    const lines = [
      { kind: 'client' as const, arrivedUs: 500_000 }, // before the client ran: no record of its own
      { kind: 'driver' as const, arrivedUs: 1_030_000 },
      { kind: 'client' as const, arrivedUs: 1_995_000 }, // read a little before the notification thread ran
      // none for the third record within a second: its line was lost
      { kind: 'driver' as const, arrivedUs: 4_500_000 },
    ];
    const paired = pairXruns(records, lines);

    expect(paired.map((x) => [x.frame, x.kind])).toEqual([[48_000, 'driver'], [96_000, 'client'], [150_000, 'unknown']]);
    expect(pairXruns(records, null).map((x) => x.kind)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(pairXruns([{ frame: -1, jackUs: 5 }], lines)).toEqual([]); // before the first cycle: no stream frame
    // CLOCK_MONOTONIC µs and performance.now() ms differ by a constant: one second apart stays one second apart.
    expect(paired[1].hostMs - paired[0].hostMs).toBeCloseTo(1000, 3);
  });

  it('places log lines alone by their arrival (no stream frame)', () => {
    const x = xrunsOfLog([{ kind: 'driver', arrivedUs: 2_000_000 }, { kind: 'client', arrivedUs: 2_500_000 }]);
    expect(x.map((e) => [e.kind, e.frame])).toEqual([['driver', null], ['client', null]]);
    expect(x[1].hostMs - x[0].hostMs).toBeCloseTo(500, 3);
  });
});
