import { describe, expect, it } from 'vitest';
import { currentCpuDmaLatencyUs } from './cpuDmaLatency.ts';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { ensureJackServer } from './jackServer.ts';
import { testServerName } from './jackServerName.ts';

const skip = jackToolsMissing('jackd') ?? (currentCpuDmaLatencyUs() === null ? 'cannot read /dev/cpu_dma_latency' : undefined);

/** A jack-native rig on the test's server (2 loopback ports, 128 frames), holding cpu_dma_latency as given. */
function rig(serverName: string, cpuDmaLatencyUs: number | null): JackNativeRig {
  return new JackNativeRig({
    name: 'dma-latency-test', sampleRate: 48000, periodFrames: 128, inputChannels: 2, outputChannels: 2, channelMap: [0, 1],
    fillPeriods: 2, ringPeriods: 16, startServer: true, loopbackPorts: 2, realtime: false, sync: false, serverName, cpuDmaLatencyUs,
  });
}

/** The kernel's enforced latency read while `rig` streams, and after it stopped. */
async function duringStream(rig: JackNativeRig): Promise<number | null> {
  try {
    await rig.openRings();
    await rig.startCallbacks();
    return currentCpuDmaLatencyUs();
  } finally {
    await rig.stop();
  }
}

describe.skipIf(skip !== undefined)('jack-native rig: jack.cpuDmaLatencyUs', () => {
  it('holds the wake-up latency request while the stream runs and ends it at stop; null leaves it alone', async () => {
    const before = currentCpuDmaLatencyUs();
    const name = testServerName('dma');
    // One jackd for both rigs (each finds it running): a start and stop less (~0.1-0.2 s of the realtime tail).
    const server = await ensureJackServer({ sampleRate: 48000, periodFrames: 128, loopbackPorts: 2, systemPorts: 2, realtime: false, sync: false, serverName: name });
    try {
      const held = rig(name, 7);
      expect(await duringStream(held)).toBeLessThanOrEqual(7);
      expect(currentCpuDmaLatencyUs()).toBe(before);
      expect(held.serverDescription).toMatch(/; \/dev\/cpu_dma_latency held at 7 µs while streaming$/);

      const untouched = rig(name, null);
      expect(await duringStream(untouched)).toBe(before);
      expect(untouched.serverDescription).not.toMatch(/cpu_dma_latency/);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
