import { type JackServerHandle, ensureJackServer } from '../../../hil/jack/jackServer.ts';
import { testServerName } from '../../../hil/jack/jackServerName.ts';
import { type JackAddon, loadJackAddon } from './jackAddon.ts';
import { Ctl, PeriodRings, RingState } from './periodRings.ts';
import { RenderAhead } from './renderAhead.ts';

/** For the tests of the native client on a real jackd (dummy backend, 48 kHz, two loopback ports). */
export interface TestJackOptions {
  periodFrames: number;
  /** jackd -S (a late cycle stalls the clock) or asynchronous (a late block is an underrun). */
  sync: boolean;
}

/**
 * The test's own jackd and the native client opened on it, handed to `fn`; both closed afterwards, whatever
 * happens (`close()` closes the client early), and this thread's priority back to normal (a test may raise it).
 */
export async function withTestClient<T>(
  suffix: string, clientName: string, options: TestJackOptions,
  fn: (t: { addon: JackAddon; client: ReturnType<JackAddon['open']>; server: JackServerHandle; close: () => void }) => Promise<T>,
): Promise<T> {
  const serverName = testServerName(suffix);
  const server = await ensureJackServer({ sampleRate: 48000, periodFrames: options.periodFrames, loopbackPorts: 2, systemPorts: 2, realtime: true, sync: options.sync, serverName });
  const addon = loadJackAddon();
  let handle = -1;
  const close = () => {
    if (handle >= 0) addon.close(handle);
    handle = -1;
  };
  try {
    const client = addon.open(clientName, serverName);
    handle = client.handle;
    return await fn({ addon, client, server, close });
  } finally {
    addon.setRealtime(0);
    close();
    await server.stop();
  }
}

/** A one-in, one-out stream on the loopback for `client`: its rings, and a RenderAhead primed two periods ahead; running. */
export function startLoopbackStream(addon: JackAddon, client: { handle: number; periodFrames: number }): { rings: PeriodRings; ahead: RenderAhead } {
  const rings = PeriodRings.create({ inputs: 1, outputs: 1, periodFrames: client.periodFrames, ringPeriods: 64, underrunCapacity: 256 });
  const ahead = new RenderAhead(rings, 2, (us) => us / 1000);
  ahead.prime();
  addon.activate(client.handle, { ...rings.buffers, connectInputs: ['loopback:capture_1'], connectOutputs: ['loopback:playback_1'] });
  Atomics.store(rings.ctl, Ctl.STATE, RingState.RUNNING);
  return { rings, ahead };
}
