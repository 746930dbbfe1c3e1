import { describe, expect, it } from 'vitest';
import { currentCpuDmaLatencyUs, holdCpuDmaLatency } from './cpuDmaLatency.ts';

const before = currentCpuDmaLatencyUs();

describe('holdCpuDmaLatency', () => {
  it.skipIf(before === null)('the kernel enforces the request while it is held, and no longer once released', () => {
    // 7 µs: below any default (2 000 000 000 µs = none) and unlikely to be another process's own request.
    const hold = holdCpuDmaLatency(7);
    try {
      expect(hold.heldUs).toBe(7);
      expect(currentCpuDmaLatencyUs()).toBeLessThanOrEqual(7);
    } finally {
      hold.release();
    }
    expect(currentCpuDmaLatencyUs()).toBe(before);
    hold.release();
    expect(currentCpuDmaLatencyUs()).toBe(before);
  });

  it('says why when the device cannot be opened, and holds nothing', () => {
    const hold = holdCpuDmaLatency(0, '/nonexistent/cpu_dma_latency');
    expect(hold.heldUs).toBeNull();
    expect(hold.reason).toMatch(/^\/nonexistent\/cpu_dma_latency: ENOENT/);
    hold.release();
  });

  it('refuses a request that is not a whole number of microseconds ≥ 0', () => {
    expect(() => holdCpuDmaLatency(-1)).toThrow(RangeError);
    expect(() => holdCpuDmaLatency(0.5)).toThrow(RangeError);
  });
});
