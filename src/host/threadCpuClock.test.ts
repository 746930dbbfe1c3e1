import { describe, expect, it } from 'vitest';
import { jackAddonMissing, loadJackAddon } from './jack/jackAddon.ts';
import { threadCpuClock, unknownThreadCpu } from './threadCpuClock.ts';

describe('threadCpuClock', () => {
  it.skipIf(jackAddonMissing() !== undefined)('counts the time this thread computes, not the time it sleeps', () => {
    const cpu = threadCpuClock(loadJackAddon());
    cpu.read();
    const asleep = cpu.ms[0];
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    cpu.read();
    expect(cpu.ms[0] - asleep).toBeLessThan(5);
    const started = performance.now();
    const from = cpu.ms[0];
    let x = 0;
    while (cpu.ms[0] - from < 10 && performance.now() - started < 5000) {
      for (let i = 0; i < 10_000; i++) x += Math.sqrt(i);
      cpu.read();
    }
    expect(x).toBeGreaterThan(0);
    // 10 ms of CPU reached by computing (no upper bound against the wall time: on this VM the clock can jump
    // forward while another thread maps memory, src/host/README.md).
    expect(cpu.ms[0] - from).toBeGreaterThanOrEqual(10);
  });

  it('reads NaN where there is no clock: no bound', () => {
    const none = unknownThreadCpu();
    none.read();
    expect(none.ms[0]).toBeNaN();
  });
});
