import { describe, expect, it } from 'vitest';
import { describeForeignWriters, foreignWriters } from './foreignWriters.ts';

// Each port with the ports connected to it, as JackAddon.connections gives them.
const CONNECTIONS = new Map<string, string[]>([
  ['system:capture_1', []],
  ['loopback:playback_1', ['studio-rig:out_1']],
  ['loopback:playback_2', ['studio-rig:out_2', 'studio-rig-01:out_2']],
]);

describe('foreign writers on the ports a rig plays into', () => {
  it('finds a second client mixed into one of our loopback ports, and only there', () => {
    const c = CONNECTIONS;
    const found = foreignWriters(c, 'studio-rig', ['loopback:playback_1', 'loopback:playback_2']);
    expect(found).toEqual([{ port: 'loopback:playback_2', writer: 'studio-rig-01:out_2' }]);
    // The client's name is compared whole: "studio-rig-01" is not "studio-rig".
    expect(foreignWriters(c, 'studio-rig-01', ['loopback:playback_2'])).toEqual([{ port: 'loopback:playback_2', writer: 'studio-rig:out_2' }]);
    expect(foreignWriters(c, 'studio-rig', ['loopback:playback_1'])).toEqual([]);
  });

  it('says which ports and writers, shortened past four', () => {
    const many = Array.from({ length: 6 }, (_, k) => ({ port: `loopback:playback_${k + 1}`, writer: `x:out_${k + 1}` }));
    expect(describeForeignWriters(many)).toBe('loopback:playback_1 ← x:out_1, loopback:playback_2 ← x:out_2, loopback:playback_3 ← x:out_3, loopback:playback_4 ← x:out_4 and 2 more');
  });
});
