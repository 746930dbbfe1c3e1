import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { RigError } from '../../src/host/audioRig.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { ensureJackServer } from './jackServer.ts';
import { testServerName } from './jackServerName.ts';

const skip = jackToolsMissing('jack_lsp', 'jack_connect');

/** A jack-native rig on its own server: 2 loopback ports, 128 frames. */
function rig(serverName: string): JackNativeRig {
  return new JackNativeRig({
    name: 'foreign-test', sampleRate: 48000, periodFrames: 128, inputChannels: 2, outputChannels: 2, channelMap: [0, 1],
    fillPeriods: 2, ringPeriods: 16, startServer: true, loopbackPorts: 2, realtime: false, sync: false, serverName,
  });
}

/** Another client's port (the dummy driver's capture port) connected into the loopback port the rig plays into. */
function intrude(serverName: string): void {
  execFileSync('jack_connect', ['-s', serverName, 'system:capture_1', 'loopback:playback_2'], { stdio: 'ignore' });
}

describe.skipIf(skip !== undefined)('jack-native rig: another client playing into the measured loopback ports', () => {
  it('refuses to start measuring when one is already connected, naming the port and the writer', async () => {
    const name = testServerName('foreign-a');
    const r = rig(name);
    try {
      await r.openRings();
      intrude(name);
      const started = r.startCallbacks();
      await expect(started).rejects.toBeInstanceOf(RigError);
      await expect(started).rejects.toThrow(/loopback:playback_2 ← system:capture_1/);
    } finally {
      await r.stop();
    }
  }, 30_000);

  it('says so in the server description when one joins during the run; a clean run says nothing', async () => {
    const name = testServerName('foreign-b');
    // One jackd for both rigs (each finds it running): a start and stop less (~0.1-0.2 s of the realtime tail).
    const server = await ensureJackServer({ sampleRate: 48000, periodFrames: 128, loopbackPorts: 2, systemPorts: 2, realtime: false, sync: false, serverName: name });
    try {
      const clean = rig(name);
      try {
        await clean.openRings();
        await clean.startCallbacks();
      } finally {
        await clean.stop();
      }
      expect(clean.foreignWritersAtStop).toEqual([]);
      expect(clean.serverDescription).not.toMatch(/other clients/);

      const joined = rig(name);
      try {
        await joined.openRings();
        await joined.startCallbacks();
        intrude(name);
      } finally {
        await joined.stop();
      }
      expect(joined.foreignWritersAtStop).toEqual([{ port: 'loopback:playback_2', writer: 'system:capture_1' }]);
      expect(joined.serverDescription).toMatch(/other clients joined our playback ports during the run: loopback:playback_2 ← system:capture_1/);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
