import { describe, expect, it } from 'vitest';
import { jackServerNameProblem, testServerName } from './jackServerName.ts';
import { RigError } from '../../src/host/audioRig.ts';
import { jackAddonMissing } from '../../src/host/jack/jackAddon.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { ensureJackServer } from './jackServer.ts';
import { jackToolsMissing } from './jackToolsMissing.ts';

describe('JACK server names that crash its client library', () => {
  it('refuses 24, 40 and 56 characters, and only those of 8…60', () => {
    const bad = Array.from({ length: 53 }, (_, i) => i + 8).filter((n) => jackServerNameProblem('x'.repeat(n)) !== undefined);
    expect(bad).toEqual([24, 40, 56]);
    expect(jackServerNameProblem('studio-rig-test-dma-9999')).toMatch(/24 characters crashes JACK's client library/);
  });

  it('gives each test a name of a length that works', () => {
    for (const what of ['dma', 'registry', 'x', 'foreign-a', 'control-nort', '']) expect(jackServerNameProblem(testServerName(what))).toBeUndefined();
    expect(testServerName('dma')).toMatch(new RegExp(`^studio-rig-test-dma-${process.pid}x?$`));
  });

  it.skipIf(jackAddonMissing() !== undefined)('the jack-native rig refuses one before opening a client (no server started, none asked)', async () => {
    const rig = new JackNativeRig({
      name: 'bad-name', sampleRate: 48000, periodFrames: 128, inputChannels: 1, outputChannels: 1, channelMap: [0],
      fillPeriods: 2, ringPeriods: 16, startServer: false, loopbackPorts: 1, realtime: false, sync: false, serverName: 'x'.repeat(24),
    });
    await expect(rig.openRings()).rejects.toThrow(RigError);
    await expect(rig.openRings()).rejects.toThrow(/24 characters crashes JACK's client library/);
    await rig.stop();
  });

  it.skipIf(jackToolsMissing('jack_lsp') !== undefined)('ensureJackServer refuses one before starting jackd (the naudiodon JACK rig and tests call it directly)', async () => {
    const started = ensureJackServer({ sampleRate: 48000, periodFrames: 128, loopbackPorts: 1, systemPorts: 1, serverName: 'y'.repeat(40) });
    await expect(started).rejects.toThrow(RigError);
    await expect(started).rejects.toThrow(/jack\.serverName "y{40}": a JACK server name of 40 characters crashes/);
  });
});
