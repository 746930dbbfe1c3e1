import { describe, expect, it } from 'vitest';
import { DEFAULT_SENTINEL, sentinelPriority } from './machineStalls.ts';

describe('sentinelPriority', () => {
  it('keeps 80 above a server at its default priority, rises above one that runs higher, never to 99', () => {
    // jackd -R (JACK2 default -P 10): clients up to 9.
    expect(sentinelPriority(9)).toBe(DEFAULT_SENTINEL.priority);
    // Not real-time: 0.
    expect(sentinelPriority(0)).toBe(80);
    // jackd -P 89 (clients up to 88; its own threads at 89): the sentinel above them.
    expect(sentinelPriority(88)).toBe(90);
    expect(sentinelPriority(88)).toBeGreaterThan(88 + 1);
    // jackd -P 99: as high as it may go without taking the kernel's migration/watchdog level.
    expect(sentinelPriority(98)).toBe(98);
  });
});
