import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { threadStat } from '../testing/threadStat.ts';
import { sharedBuffersIn, touchPages } from './touchPages.ts';

/** This thread's minor page faults so far. */
const minorFaults = (): number => threadStat().minorFaults;
const PAGES = 512;

/** The page faults of writing one float into every page of `b`. */
function faultsWriting(b: SharedArrayBuffer): number {
  const f = new Float32Array(b);
  const before = minorFaults();
  for (let i = 0; i < f.length; i += 1024) f[i] = 0.5;
  return minorFaults() - before;
}

/** A fork of this process (spawnSync's): every page it has written is copy-on-write until written again. */
const fork = (): void => void spawnSync('true');

describe('touchPages', () => {
  // Not on fresh memory: its first touch depends on the allocator (memory a test before freed is mapped already) and
  // on this process's JACK clients (libjack locks all memory, mlockall, while one is open: no first touch faults).
  // A fork makes every page fault again, as the rig server's jack_lsp checks do before the render worker starts.
  it.skipIf(process.platform !== 'linux')('takes the faults a fork leaves on shared memory itself: writing it afterwards faults no more', () => {
    const b = new SharedArrayBuffer(PAGES * 4096);
    faultsWriting(b);
    fork();
    // Untouched after a fork, a write to each page faults (the check can fail).
    expect(faultsWriting(b)).toBeGreaterThanOrEqual(PAGES / 2);
    // Touched after the fork: the best of three (another test's fork in between would fault them all again).
    const after = [0, 1, 2].map(() => {
      fork();
      touchPages([b]);
      return faultsWriting(b);
    });
    expect(Math.min(...after)).toBeLessThan(PAGES / 20);
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
