import { describe, expect, it } from 'vitest';
import { RenderClock } from './renderClock.ts';

/**
 * What the scope's currentFrame read at each process() call (Chromium may freeze it for a quantum and
 * step two after, see renderClock.ts) and the frames the clock must give. One row per situation.
 */
const ROWS: { name: string; reads: number[]; frames: number[] }[] = [
  { name: 'contiguous reads', reads: [0, 128, 256, 384], frames: [0, 128, 256, 384] },
  { name: 'frozen for one quantum (the CI failure: quantum 3 read 256)', reads: [0, 128, 256, 256, 512, 640], frames: [0, 128, 256, 384, 512, 640] },
  { name: 'frozen for two quanta in a row', reads: [0, 128, 128, 128, 512], frames: [0, 128, 256, 384, 512] },
  { name: 'quanta the processor was not called in (a jump)', reads: [0, 128, 640, 768], frames: [0, 128, 640, 768] },
  { name: 'a frozen first read is put right by the next unfrozen one', reads: [896, 1152, 1280], frames: [896, 1152, 1280] },
];

describe('RenderClock', () => {
  it.each(ROWS)('gives the frame of each quantum: $name', ({ reads, frames }) => {
    const clock = new RenderClock();
    expect(reads.map((read) => clock.next(read))).toEqual(frames);
  });

  it('says where the next quantum starts between calls, never behind the last one', () => {
    const clock = new RenderClock();
    expect(clock.upcoming(0)).toBe(0);
    clock.next(0);
    clock.next(128);
    expect(clock.upcoming(128)).toBe(256); // a frozen scope frame between quanta
    expect(clock.upcoming(1024)).toBe(1024);
  });
});
