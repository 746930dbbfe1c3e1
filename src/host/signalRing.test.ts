import { describe, expect, it } from 'vitest';
import { SignalRing } from './signalRing.ts';

/** A ring of `channels` holding `capacity` frames, written `total` frames of ramp c·1e6 + frame, `block` at a time. */
function rampRing(channels: number, capacity: number, total: number, block = 100): SignalRing {
  const ring = SignalRing.create(channels, capacity);
  const src = Array.from({ length: channels }, () => new Float32Array(block));
  for (let f = 0; f < total; f += block) {
    const n = Math.min(block, total - f);
    for (let c = 0; c < channels; c++) for (let j = 0; j < n; j++) src[c][j] = c * 1e6 + f + j;
    ring.write(src, n);
  }
  return ring;
}

describe('SignalRing.readInterleavedEnding', () => {
  it('reads what readEnding reads, interleaved, across the wrap of the ring', () => {
    for (const channels of [1, 2, 3]) {
      const ring = rampRing(channels, 1024, 1024 * 3 + 517); // the newest frames straddle the wrap
      const end = ring.framesWritten - 40;
      const planar = ring.readEnding(end, 900);
      const into = new Float32Array(900 * channels).fill(-1);
      const r = ring.readInterleavedEnding(end, 900, into);
      expect(r).toEqual({ frames: 900, endFrame: end, torn: false });
      for (let i = 0; i < 900; i++) for (let c = 0; c < channels; c++) expect(into[i * channels + c]).toBe(planar.channels[c][i]);
      expect(into[899 * channels + channels - 1]).toBe((channels - 1) * 1e6 + end - 1);
    }
  });

  it('copies no more than was written, the ring holds or `into` has room for, and leaves the rest of `into` alone', () => {
    const ring = rampRing(2, 1024, 300);
    const into = new Float32Array(2000).fill(-1);
    expect(ring.readInterleavedEnding(1e9, 1000, into)).toEqual({ frames: 300, endFrame: 300, torn: false });
    expect([into[0], into[1], into[599], into[600]]).toEqual([0, 1e6, 1e6 + 299, -1]);
    const small = new Float32Array(21); // room for 10 frames
    expect(ring.readInterleavedEnding(300, 50, small).frames).toBe(10);
    expect([small[0], small[19], small[20]]).toEqual([290, 1e6 + 299, 0]);
    const full = rampRing(2, 1024, 5000);
    expect(full.readInterleavedEnding(5000, 4000, new Float32Array(8000)).frames).toBe(1024);
  });

  it('says torn when the frames read had been overwritten by then', () => {
    const ring = rampRing(2, 1024, 4000);
    // The ring holds frames 2976…3999.
    expect(ring.readInterleavedEnding(3076, 100, new Float32Array(200)).torn).toBe(false); // from 2976: held
    expect(ring.readInterleavedEnding(3075, 100, new Float32Array(200)).torn).toBe(true); // from 2975: overwritten
  });
});
