import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './backoff.ts';

describe('reconnectDelayMs', () => {
  it('doubles from 250 ms and stays at 4 s, whatever the attempt count', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1e6].map((a) => reconnectDelayMs(a))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });
});
