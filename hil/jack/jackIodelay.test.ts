import { describe, expect, it } from 'vitest';
import { SETTLED_READINGS, iodelayReadings, iodelaySettled } from './jackIodelay.ts';

/** jack_iodelay's lines as it prints them (jackd2 1.9: "%10.3lf frames %10.3lf ms total roundtrip latency"). */
const line = (frames: number, ms: number) => `${frames.toFixed(3).padStart(10)} frames ${ms.toFixed(3).padStart(10)} ms total roundtrip latency\n\textra loopback latency: 0 frames\n\tuse 0 for the backend arguments -I and -O\n`;

describe('jack_iodelay readings', () => {
  it('reads every round trip it printed, with its digits, ignoring its other lines', () => {
    const out = 'Signal below threshold...\n' + line(127.5, 2.656) + line(128, 2.667);
    expect(iodelayReadings(out)).toEqual([{ frames: '127.500', ms: '2.656' }, { frames: '128.000', ms: '2.667' }]);
  });

  it(`counts it settled once ${SETTLED_READINGS} readings in a row print the same round trip, not before, nor when the last differ`, () => {
    const same = Array.from({ length: SETTLED_READINGS }, () => line(128, 2.667)).join('');
    expect(iodelaySettled(iodelayReadings(same))).toBe(true);
    expect(iodelaySettled(iodelayReadings(line(128, 2.667).repeat(SETTLED_READINGS - 1)))).toBe(false);
    expect(iodelaySettled(iodelayReadings(same + line(128.001, 2.667)))).toBe(false);
    expect(iodelaySettled(iodelayReadings(line(200, 4.167) + same))).toBe(true);
    expect(iodelaySettled([])).toBe(false);
  });
});
