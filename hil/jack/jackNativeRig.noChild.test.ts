import { describe, expect, it, vi } from 'vitest';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { testServerName } from './jackServerName.ts';

/** Every child process this file's modules start, by the function that started it and its command. */
const started = vi.hoisted(() => [] as string[]);
vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  const { promisify } = await import('node:util');
  const counted = <F extends (...args: never[]) => unknown>(name: string, f: F): F => {
    const wrapped = ((...args: Parameters<F>) => { started.push(`${name} ${String(args[0])}`); return f(...args); }) as F;
    // util.promisify(execFile) resolves { stdout, stderr } through the original's custom form: keep it, counted.
    const custom = (f as unknown as Record<symbol, unknown>)[promisify.custom];
    if (typeof custom === 'function') Object.defineProperty(wrapped, promisify.custom, { value: counted(name, custom as F) });
    return wrapped;
  };
  return {
    ...real,
    spawn: counted('spawn', real.spawn), spawnSync: counted('spawnSync', real.spawnSync), exec: counted('exec', real.exec),
    execSync: counted('execSync', real.execSync), execFile: counted('execFile', real.execFile), execFileSync: counted('execFileSync', real.execFileSync),
    fork: counted('fork', real.fork),
  };
});

const skip = jackToolsMissing();

describe.skipIf(skip !== undefined)('jack-native rig: no child process while the stream runs', () => {
  it('starts and stops its stream (the foreign-writer checks included) without forking', async () => {
    const name = testServerName('nochild');
    const rig = new JackNativeRig({
      name: 'nochild-test', sampleRate: 48000, periodFrames: 128, inputChannels: 2, outputChannels: 2, channelMap: [0, 1],
      fillPeriods: 2, ringPeriods: 16, startServer: true, loopbackPorts: 2, realtime: false, sync: false, serverName: name,
    });
    await rig.openRings(); // starts jackd: before the stream, and counted apart
    const before = started.length;
    try {
      expect(before).toBeGreaterThan(0); // the counter sees this rig's children (jackd)
      await rig.startCallbacks();
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      // A fork copies this process's page tables under the memory-map lock and write-protects its pages:
      // the real-time threads' next writes fault. jack_lsp once ran at start and at stop.
      await rig.stop();
    }
    expect(started.slice(before)).toEqual([]);
  }, 30_000);
});
