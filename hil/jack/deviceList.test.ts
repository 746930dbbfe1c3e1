import { describe, expect, it } from 'vitest';
import { spawnRig } from '../../src/cli/cliTestRunner.ts';
import type { DeviceList } from './deviceList.ts';
import { listJack, parseJackPorts } from './deviceList.ts';

describe('rig devices', () => {
  it('counts JACK ports per client and direction from jack_lsp -p', () => {
    const text = ['system:capture_1', '\tproperties: output,physical,terminal,', 'system:playback_1', '\tproperties: input,physical,terminal,',
      'system:playback_2', '\tproperties: input,physical,terminal,', 'loopback:capture_1', '\tproperties: output,', ''].join('\n');
    expect(parseJackPorts(text)).toEqual([{ client: 'system', outputPorts: 1, inputPorts: 2 }, { client: 'loopback', outputPorts: 1, inputPorts: 0 }]);
  });

  describe('the JACK server, with the tools faked', () => {
    const lsp = 'system:capture_1\n\tproperties: output,physical,terminal,\nsystem:playback_1\n\tproperties: input,physical,terminal,\n';
    const noServer = (): Promise<string> => Promise.reject(new Error('Cannot connect to server socket err = No such file or directory'));
    const tools = (overrides: Record<string, () => Promise<string>>) => (binary: string): Promise<string> =>
      (overrides[binary] ?? (() => Promise.resolve({ jack_lsp: lsp, jack_samplerate: '48000\n', jack_bufsize: '128\n' }[binary] ?? '')))();

    it('reports a running server with its rate, period and ports', async () => {
      expect(await listJack(tools({}), true)).toEqual({
        installed: true, running: true, sampleRateHz: 48000, periodFrames: 128, clients: [{ client: 'system', outputPorts: 1, inputPorts: 1 }], note: 'a JACK server is running',
      });
    });

    it('says no server runs when jack_lsp cannot connect', async () => {
      const jack = await listJack(tools({ jack_lsp: noServer }), true);
      expect(jack).toMatchObject({ installed: true, running: false, sampleRateHz: null, clients: [] });
      expect(jack.note).toMatch(/no JACK server is running \(none was started\)/);
    });

    // Seen in CI: another test's server stopped between two tools' connections and `rig devices` crashed.
    it.each(['jack_samplerate', 'jack_bufsize'])('answers "not running" when the server stops before %s reads it', async (tool) => {
      const jack = await listJack(tools({ [tool]: noServer }), true);
      expect(jack).toMatchObject({ running: false, sampleRateHz: null, periodFrames: null, clients: [] });
      expect(jack.note).toMatch(/no JACK server is running now: one stopped while it was being listed/);
    });

    it('says JACK is not installed without running a tool', async () => {
      const jack = await listJack(() => Promise.reject(new Error('must not run')), false);
      expect(jack).toMatchObject({ installed: false, running: false });
      expect(jack.note).toMatch(/not installed/);
    });
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
