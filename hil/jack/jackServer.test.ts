import { describe, expect, it } from 'vitest';
import { readRigFile } from '../rigs/rigFile.ts';
import { jackdArgs } from './jackServer.ts';

describe('jackdArgs', () => {
  const base = { sampleRate: 48000, periodFrames: 128, loopbackPorts: 32, systemPorts: 32 };

  it("is the issue's command by default: --no-realtime, asynchronous", () => {
    expect(jackdArgs(base).join(' ')).toBe('--no-realtime -L 32 -d dummy -r 48000 -p 128 -C 32 -P 32');
  });

  it('asks for realtime scheduling (-R) and synchronous cycles (-S) when the rig file does', () => {
    const f = readRigFile(new URL('../rigs/jack-loopback.json', import.meta.url).pathname);
    if (f.backend !== 'jack') throw new Error('jack-loopback.json is not a jack rig');
    expect(jackdArgs({ ...base, realtime: f.jack.realtime, sync: f.jack.sync }).join(' ')).toBe('-R -S -L 32 -d dummy -r 48000 -p 128 -C 32 -P 32');
  });

  it('limits a small server to the ports it needs room for (--port-max: less shared memory to lock at start)', () => {
    expect(jackdArgs({ ...base, loopbackPorts: 2, systemPorts: 2 }).join(' ')).toBe('--no-realtime --port-max 64 -L 2 -d dummy -r 48000 -p 128 -C 2 -P 2');
    expect(jackdArgs({ ...base, loopbackPorts: 8, systemPorts: 16 }).join(' ')).toBe('--no-realtime --port-max 96 -L 8 -d dummy -r 48000 -p 128 -C 16 -P 16');
  });

  it('names the server (-n) when asked, so a test can run its own beside another', () => {
    expect(jackdArgs({ ...base, serverName: 'studio-rig-test-1' }).slice(0, 3).join(' ')).toBe('-n studio-rig-test-1 --no-realtime');
  });
});
