import { describe, expect, it } from 'vitest';
import type { NaudiodonBinding, NaudiodonStream } from '../jack/portaudioLibrary.ts';
import { PortaudioRig } from './portaudioRig.ts';

/** naudiodon's binding stood in for: one duplex device; stream k's writes answer with messagesOfStream[k]. */
function fakeBinding(messagesOfStream: Map<number, string>[]): (needJack: boolean) => NaudiodonBinding {
  let streams = 0;
  return () => ({
    getDevices: () => [{ id: 0, name: 'fake duplex', maxInputChannels: 2, maxOutputChannels: 2, defaultSampleRate: 48_000, hostAPIName: 'JACK' }],
    getHostAPIs: () => ({ HostAPIs: [{ name: 'JACK', type: 'JACK', deviceCount: 1 }] }),
    create: (): NaudiodonStream => {
      const messages = messagesOfStream[streams++] ?? new Map<number, string>();
      let writes = 0;
      return {
        start: () => {},
        read: (bytes) => new Promise((resolve) => setImmediate(() => resolve({ buf: Buffer.alloc(bytes) }))),
        write: async () => messages.get(writes++),
        quit: async () => {},
      };
    },
  });
}

async function runPeriods(rig: PortaudioRig, periods: number): Promise<void> {
  await rig.start(() => {});
  const t0 = performance.now();
  while (rig.stats.periods < periods) {
    if (performance.now() - t0 > 2000) throw new Error(`only ${rig.stats.periods} periods in 2 s`);
    await new Promise((r) => setImmediate(r));
  }
  await rig.stop();
}

describe('PortaudioRig', () => {
  it("counts each start's periods and flags alone; the server's xruns stay over the rig's life", async () => {
    // Writes 0 and 1 are the prefill; 3 and 6 come back with an underflow, flagged on the period after each.
    const rig = new PortaudioRig(
      { name: 'fake', device: 'fake duplex', sampleRate: 48_000, periodFrames: 64, inputChannels: 2, outputChannels: 2, channelMap: [0, 1] },
      fakeBinding([new Map([[3, 'output underflow'], [6, 'output underflow']]), new Map()]),
    );
    await runPeriods(rig, 12);
    expect(rig.stats.flaggedPeriods).toBe(2);
    expect(rig.stats.outputUnderflows).toBe(2);
    expect(rig.stats.backendMessages).toBe(2);
    expect(rig.stats.lastBackendMessage).toBe('output underflow');
    rig.stats.serverXruns = 3; // as JackRig writes it from jackd's log

    await runPeriods(rig, 5);
    // A status read after the second start (RigServer.status: underruns = flaggedPeriods) sees this run's, not the first's.
    expect(rig.stats.flaggedPeriods).toBe(0);
    expect(rig.stats.outputUnderflows).toBe(0);
    expect(rig.stats.backendMessages).toBe(0);
    expect(rig.stats.lastBackendMessage).toBe('');
    expect(rig.stats.periods).toBeGreaterThanOrEqual(5);
    expect(rig.stats.periods).toBeLessThan(12);
    expect(rig.stats.serverXruns).toBe(3);
  });
});
