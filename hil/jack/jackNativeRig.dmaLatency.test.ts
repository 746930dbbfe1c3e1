import { describe, expect, it } from 'vitest';
import { currentCpuDmaLatencyUs } from './cpuDmaLatency.ts';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';

const skip = jackToolsMissing('jackd') ?? (currentCpuDmaLatencyUs() === null ? 'cannot read /dev/cpu_dma_latency' : undefined);

/** A jack-native rig on its own server (2 loopback ports, 128 frames), holding cpu_dma_latency as given. */
function rig(serverName: string, cpuDmaLatencyUs: number | null): JackNativeRig {
  return new JackNativeRig({
    name: 'dma-latency-test', sampleRate: 48000, periodFrames: 128, inputChannels: 2, outputChannels: 2, channelMap: [0, 1],
    fillPeriods: 2, ringPeriods: 16, startServer: true, loopbackPorts: 2, realtime: false, sync: false, serverName, cpuDmaLatencyUs,
  });
}

describe.skipIf(skip !== undefined)('jack-native rig: jack.cpuDmaLatencyUs', () => {
  it('holds the wake-up latency request while the stream runs and ends it at stop; null leaves it alone', async () => {
    const before = currentCpuDmaLatencyUs();
    const name = `studio-rig-test-dma-${process.pid}`;
    const held = rig(name, 7);
    let during: number | null = null;
    try {
      await held.openRings();
      await held.startCallbacks();
      during = currentCpuDmaLatencyUs();
    } finally {
      await held.stop();
    }
    expect(during).toBeLessThanOrEqual(7);
    expect(currentCpuDmaLatencyUs()).toBe(before);
    expect(held.serverDescription).toMatch(/; \/dev\/cpu_dma_latency held at 7 µs while streaming$/);

    const untouched = rig(name, null);
    try {
      await untouched.openRings();
      await untouched.startCallbacks();
      during = currentCpuDmaLatencyUs();
    } finally {
      await untouched.stop();
    }
    expect(during).toBe(before);
    expect(untouched.serverDescription).not.toMatch(/cpu_dma_latency/);
  }, 30_000);
});
