import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jackToolsMissing } from './jackToolsMissing.ts';
import type { JackProbeResult } from './jackProbe.ts';
import { DEBIAN_PACKAGES_HINT, SINGLE_THREADED_GC, debianPortaudioPath, preloadingFirst } from './portaudioLibrary.ts';


const available = jackToolsMissing('jack_iodelay') === undefined && debianPortaudioPath() !== undefined;
if (!available) console.warn(`jack rig test skipped: jackd/jack_iodelay or libportaudio2 missing (${DEBIAN_PACKAGES_HINT})`);

/**
 * The jack rig for real: jackd (dummy backend, 32 loopback ports, started by the rig), naudiodon with
 * Debian's PortAudio (the probe re-executes itself with LD_PRELOAD), one impulse per output.
 */
describe.skipIf(!available)('jack rig on the jackd dummy loopback', () => {
  it('returns every output on its own input, with the device part equal to jack_iodelay within 1 sample', () => {
    const probe = fileURLToPath(new URL('./jackProbe.ts', import.meta.url));
    // Started as the probe would re-execute itself (Debian's PortAudio preloaded, the GC flag), saving a Node start.
    const env = { ...process.env, LD_PRELOAD: preloadingFirst(debianPortaudioPath()!) };
    const run = spawnSync(process.execPath, [SINGLE_THREADED_GC, '--import', 'tsx', probe], { encoding: 'utf8', timeout: 60_000, env });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    const result = JSON.parse(line) as JackProbeResult & { error?: string };
    expect(result.error).toBeUndefined();
    console.info(`jack rig: round trip ${result.channels[0].roundTripFrames} frames = buffering ${result.streamBufferingFrames} + device ${result.deviceFramesMedian}; jack_iodelay ${result.iodelayFrames}; PortAudio messages ${result.stats.backendMessages}, jackd xruns ${result.stats.serverXruns}`);
    expect(result.portaudioLibraries.every((l) => l.startsWith('/usr/lib'))).toBe(true);
    expect(result.channels.filter((c) => c.input === c.output && Math.abs(c.peak - 0.5) < 1e-6)).toHaveLength(32);
    expect(new Set(result.channels.map((c) => c.roundTripFrames)).size).toBe(1);
    expect(result.iodelayFrames).not.toBeNull();
    expect(Math.abs(result.deviceFramesMedian - result.iodelayFrames!)).toBeLessThanOrEqual(1);
  });
});
