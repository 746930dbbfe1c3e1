import { describe, expect, it } from 'vitest';
import type { OscMessage } from '../../protocols/osc/oscCodec.ts';
import { EffectFeed } from './effectFeed.ts';

const s = (value: string) => ({ type: 's', value });

function feed() {
  const sent: OscMessage[] = [];
  const logs: string[] = [];
  const f = new EffectFeed({ engine: 'reverb', send: (m) => sent.push(m), localPort: 4242, snapshotsDir: '/srv/snaps', log: (l) => logs.push(l) });
  return { f, sent, logs };
}

describe('EffectFeed', () => {
  it('refuses a snapshot_ready naming a file outside the snapshots folder, counted and logged, without reading it', async () => {
    const { f, sent, logs } = feed();
    const asked = f.spectrogram(1);
    expect(sent.at(-1)).toEqual({ address: '/reverb/request_snapshot', args: [{ type: 'f', value: 1 }] });
    f.handle([{ address: '/reverb/snapshot_ready', args: [s('/etc/in.wav'), s('/etc/passwd-out.wav')] }]);
    await expect(asked).rejects.toThrow(/outside the snapshots folder \/srv\/snaps/);
    expect(f.bad).toBe(1);
    expect(logs.join('\n')).toMatch(/outside the snapshots folder/);
  });

  it('fails a snapshot the server refuses, with its reason', async () => {
    const { f } = feed();
    const asked = f.spectrogram(20);
    f.handle([{ address: '/reverb/error', args: [s('request_snapshot: 20 s is longer than the ring (10.4 s)')] }]);
    await expect(asked).rejects.toThrow(/refused the snapshot: request_snapshot: 20 s/);
  });

  it('resubscribes when the pushes stop (a restarted server forgot us), not while they come', () => {
    const { f, sent } = feed();
    f.subscribe();
    const t0 = Date.now();
    f.handle([{ address: '/reverb/metrics/rms', args: [{ type: 'f', value: 0.1 }] }]);
    f.keepAlive(t0 + 1000);
    expect(sent.filter((m) => m.address === '/reverb/subscribe')).toHaveLength(1);
    f.keepAlive(t0 + 2500);
    expect(sent.filter((m) => m.address === '/reverb/subscribe')).toHaveLength(2);
    expect(sent.at(-1)?.args).toEqual([{ type: 'i', value: 4242 }, { type: 'f', value: 250 }]);
  });
});
