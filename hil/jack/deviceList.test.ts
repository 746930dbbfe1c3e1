import { describe, expect, it } from 'vitest';
import { spawnRig } from '../../src/cli/cliTestRunner.ts';
import type { DeviceList } from './deviceList.ts';
import { parseJackPorts } from './deviceList.ts';

describe('rig devices', () => {
  it('counts JACK ports per client and direction from jack_lsp -p', () => {
    const text = ['system:capture_1', '\tproperties: output,physical,terminal,', 'system:playback_1', '\tproperties: input,physical,terminal,',
      'system:playback_2', '\tproperties: input,physical,terminal,', 'loopback:capture_1', '\tproperties: output,', ''].join('\n');
    expect(parseJackPorts(text)).toEqual([{ client: 'system', outputPorts: 1, inputPorts: 2 }, { client: 'loopback', outputPorts: 1, inputPorts: 0 }]);
  });

  it('lists what it finds and exits 0, saying when no JACK server runs, with no library noise on stderr', async () => {
    const run = await spawnRig(['devices', '--json'], { env: { JACK_NO_START_SERVER: '1' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/ALSA lib|Cannot connect to server/);
    const list = JSON.parse(run.stdout) as DeviceList;
    expect(list.portaudio.available, list.portaudio.problem).toBe(true);
    expect(list.portaudio.hostApis.length).toBeGreaterThan(0);
    for (const d of list.portaudio.devices) expect(d.defaultSampleRateHz).toBeGreaterThan(0);
    // Another job on this machine may be running jackd: either answer must be complete.
    if (list.jack.running) expect(list.jack.sampleRateHz).toBeGreaterThan(0);
    else expect(list.jack.note).toMatch(/no JACK server is running|not installed/);
  });
});
