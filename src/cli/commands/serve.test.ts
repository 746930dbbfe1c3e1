import { afterEach, describe, expect, it, vi } from 'vitest';
import { untilStopped } from './serve.ts';

afterEach(() => vi.useRealTimers());

describe('rig serve --seconds', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops at once on %s and leaves no timer holding the process for the rest of N seconds', async (signal) => {
    vi.useFakeTimers();
    const stopped = untilStopped(3600);
    expect(vi.getTimerCount()).toBe(1);
    process.emit(signal);
    await expect(stopped).resolves.toBe(signal);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops after N seconds when no signal comes', async () => {
    vi.useFakeTimers();
    const stopped = untilStopped(5);
    vi.advanceTimersByTime(5000);
    await expect(stopped).resolves.toBe('timeout');
  });
});
