import { afterAll } from 'vitest';
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
 * The jackd a test's client runs on (dummy backend, 48 kHz, two loopback ports, real-time where permitted, its
 * own server name): the test's own, or its file's, shared by the tests that need a server of these options and
 * not a fresh one — each opens and closes its own client. A start and stop of jackd is ~0.2 s of the realtime
 * tests' one-at-a-time tail (hil/jack/jackServer.ts).
 */
export interface TestJackServer {
  /** The running server and its name (started at the first call). */
  acquire(): Promise<{ name: string; handle: JackServerHandle }>;
  /** After each test: stops the test's own server; the file's runs on until its tests are done. */
  release(): Promise<void>;
}

function startTestServer(suffix: string, options: TestJackOptions): Promise<{ name: string; handle: JackServerHandle }> {
  const name = testServerName(suffix);
  return ensureJackServer({ sampleRate: 48000, periodFrames: options.periodFrames, loopbackPorts: 2, systemPorts: 2, realtime: true, sync: options.sync, serverName: name })
    .then((handle) => ({ name, handle }));
}

/** A jackd for one test: started when the test asks, stopped when it ends. */
export function ownTestServer(suffix: string, options: TestJackOptions): TestJackServer {
  let started: Promise<{ name: string; handle: JackServerHandle }> | undefined;
  return {
    acquire: () => (started ??= startTestServer(suffix, options)),
    release: async () => {
      const s = started;
      started = undefined;
      if (s) await (await s).handle.stop();
    },
  };
}

/** A jackd for the tests of the file (or describe block) that calls this: started by the first that asks, stopped after the last (afterAll). */
export function fileTestServer(suffix: string, options: TestJackOptions): TestJackServer {
  const own = ownTestServer(suffix, options);
  afterAll(() => own.release());
  return { acquire: own.acquire, release: async () => {} };
}

/**
 * A native client opened on `testServer`, handed to `fn`; closed afterwards, whatever happens (`close()` closes it
 * early), the server released (testServer.release), and this thread's priority back to normal (a test may raise it).
 */
export async function withTestClient<T>(
  testServer: TestJackServer, clientName: string,
  fn: (t: { addon: JackAddon; client: ReturnType<JackAddon['open']>; server: JackServerHandle; close: () => void }) => Promise<T>,
): Promise<T> {
  const addon = loadJackAddon();
  let handle = -1;
  const close = () => {
    if (handle >= 0) addon.close(handle);
    handle = -1;
  };
  try {
    const { name, handle: server } = await testServer.acquire();
    const client = addon.open(clientName, name);
    handle = client.handle;
    return await fn({ addon, client, server, close });
  } finally {
    addon.setRealtime(0);
    close();
    await testServer.release();
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
