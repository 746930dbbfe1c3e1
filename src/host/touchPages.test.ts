import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedBuffersIn, touchPages } from './touchPages.ts';

/** This thread's minor page faults so far (/proc/thread-self/stat, field 10). */
const minorFaults = (): number => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[7]);
/**
 * 40 MiB: above glibc's largest mmap threshold (32 MiB), so the buffer is always freshly mapped — a smaller one may
 * reuse memory a test before it already wrote, whose pages are mapped (seen: 0 faults for 2 MiB in a shared worker).
 */
const PAGES = 10_240;

/** The page faults of writing one float into every page of `b`. */
function faultsWriting(b: SharedArrayBuffer): number {
  const f = new Float32Array(b);
  const before = minorFaults();
  for (let i = 0; i < f.length; i += 1024) f[i] = 0.5;
  return minorFaults() - before;
}

describe('touchPages', () => {
  it.skipIf(process.platform !== 'linux')('takes the page faults of fresh shared memory itself: writing it afterwards faults no more', () => {
    const fresh = new SharedArrayBuffer(PAGES * 4096);
    // Untouched, a write to each page faults (the check can fail).
    expect(faultsWriting(fresh)).toBeGreaterThanOrEqual(PAGES / 2);
    const touched = new SharedArrayBuffer(PAGES * 4096);
    touchPages([touched]);
    expect(faultsWriting(touched)).toBeLessThan(PAGES / 20);
  });

  it('changes nothing in the memory', () => {
    const b = new SharedArrayBuffer(3 * 4096 + 12);
    const f = new Float64Array(b, 0, (b.byteLength >> 3));
    for (let i = 0; i < f.length; i++) f[i] = Math.sin(i) * 1e3;
    const copy = Float64Array.from(f);
    touchPages([b]);
    expect(f).toEqual(copy);
  });

  it('finds the shared buffers in a worker\'s data, nested or under typed arrays, once each', () => {
    const a = new SharedArrayBuffer(8);
    const b = new SharedArrayBuffer(8);
    const c = new SharedArrayBuffer(8);
    const data = { shared: { commands: a, meterChannels: 2 }, signals: { input: { samples: b, channels: 2 }, output: { samples: a } }, ctl: new Int32Array(c), local: new Float64Array(2), name: 'x' };
    expect(sharedBuffersIn(data, undefined, a)).toEqual([a, b, c]);
  });
});
