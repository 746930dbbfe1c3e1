import { describe, expect, it } from 'vitest';
import { DEFAULT_LATENCY_QUANTA, RING_QUANTA, defaultLatencyQuanta } from './nativePluginShared.ts';

/**
 * NativePluginNode's default declared latency: one render callback of the context, at least
 * DEFAULT_LATENCY_QUANTA — below a callback, part of every callback would be silent by construction.
 * Rows: the baseLatency Debian's Chromium reports here for each latencyHint, and edge cases.
 */
const CASES: Array<{ what: string; baseLatencySeconds: number; sampleRate: number; quanta: number }> = [
  { what: 'Chromium "interactive": 480-frame callback (10.02 ms)', baseLatencySeconds: 0.01002, sampleRate: 48000, quanta: 4 },
  { what: 'Chromium "playback": 1024-frame callback (21.33 ms)', baseLatencySeconds: 1024 / 48000, sampleRate: 48000, quanta: 8 },
  { what: 'Chromium latencyHint 0.05: 2432-frame callback (50.67 ms)', baseLatencySeconds: 0.05067, sampleRate: 48000, quanta: 19 },
  { what: 'a 256-frame callback: the least default still', baseLatencySeconds: 256 / 48000, sampleRate: 48000, quanta: DEFAULT_LATENCY_QUANTA },
  { what: 'a 640-frame callback at 44.1 kHz: 5 quanta started, so 5', baseLatencySeconds: 640 / 44100, sampleRate: 44100, quanta: 5 },
  { what: 'no baseLatency (0: a browser that does not report it)', baseLatencySeconds: 0, sampleRate: 48000, quanta: DEFAULT_LATENCY_QUANTA },
  { what: 'NaN', baseLatencySeconds: Number.NaN, sampleRate: 48000, quanta: DEFAULT_LATENCY_QUANTA },
  { what: 'a 1 s callback: bounded by the rings', baseLatencySeconds: 1, sampleRate: 48000, quanta: RING_QUANTA / 2 - 1 },
];

describe('defaultLatencyQuanta', () => {
  it.each(CASES)('$what → $quanta quanta', ({ baseLatencySeconds, sampleRate, quanta }) => {
    expect(defaultLatencyQuanta(baseLatencySeconds, sampleRate)).toBe(quanta);
  });
});
