import { describe, expect, it } from 'vitest';
import { snapshotFileIn } from './snapshotPath.ts';

describe('snapshotFileIn', () => {
  it('accepts a name in the folder or an absolute path whose folder is it', () => {
    expect(snapshotFileIn('/srv/snaps', 'reverb-2026-12-05T02-00-00Z-3-out.wav')).toBe('/srv/snaps/reverb-2026-12-05T02-00-00Z-3-out.wav');
    expect(snapshotFileIn('/srv/snaps/', '/srv/snaps/reverb-1-out.wav')).toBe('/srv/snaps/reverb-1-out.wav');
  });

  it('refuses anything that leaves the folder or is not a WAV name', () => {
    for (const bad of ['../etc/passwd.wav', '/srv/snaps/../x-out.wav', '/srv/other/x-out.wav', 'sub/x-out.wav', '.hidden.wav', 'x-out.txt', '/srv/snaps/sub/x.wav', 'a\\b.wav', '', '/srv/snaps//x.wav']) {
      expect(() => snapshotFileIn('/srv/snaps', bad), bad).toThrow(/snapshot file/);
    }
  });
});
