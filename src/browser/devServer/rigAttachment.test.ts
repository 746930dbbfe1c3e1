import { describe, expect, it } from 'vitest';
import { parseHapticConfig } from '../../haptic/hapticConfig.ts';
import { RigAttachment } from './rigAttachment.ts';

describe('RigAttachment.mpeFor', () => {
  it('gives the bend and timbre that put the source on a point (x = cx + bend·R, y = cy + (2·timbre − 1)·R)', () => {
    // Default layout: 8 × 4 at 5 cm → centre (0.175, 0.075) m; R = 0.2 m.
    const a = new RigAttachment({ host: '127.0.0.1', port: 9, config: parseHapticConfig({}) });
    expect(a.mpeFor({ xM: 0, yM: 0 })).toEqual({ bend: expect.closeTo(-0.875, 12), timbre: expect.closeTo(0.3125, 12) });
    expect(a.mpeFor({ xM: 0.175, yM: 0.075 })).toEqual({ bend: expect.closeTo(0, 12), timbre: expect.closeTo(0.5, 12) });
  });

  it('refuses a point beyond the MPE range, naming the centre and the range', () => {
    const a = new RigAttachment({ host: '127.0.0.1', port: 9, config: parseHapticConfig({}) });
    expect(() => a.mpeFor({ xM: 1, yM: 0 })).toThrow(/beyond the source's reach: centre \(0\.17\d*, 0\.07\d*\) m ± positionRangeM 0\.2 m/);
  });
});
