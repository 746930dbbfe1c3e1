import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registry } from './jackRegistry.fixture.ts';
import { isJackServerProcess, parseJackRegistry, processIsLiveJackd, resetStaleJackRegistry } from './jackRegistry.ts';

const dir = mkdtempSync(join(tmpdir(), 'jack-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JACK2 server registry', () => {
  it('reads the occupied slots (the bytes this machine\'s registry had after a day of test runs)', () => {
    // The real segment's first 40 bytes, as read on this machine: magic, protocol, type, size, hdr_len, entry_len, pid 19383, "jack-0:stu…".
    const head = Buffer.from('4b43414a000000000100000058140100580800000c010000b74b00006a61636b2d303a7374756469', 'hex');
    const real = Buffer.concat([head, Buffer.alloc(70744 - head.length)]);
    expect(parseJackRegistry(real, () => false)).toEqual([{ name: 'jack-0:studi', pid: 19383, alive: false }]);

    const servers = parseJackRegistry(registry([{ pid: 10, name: 'jack-0:default' }, { pid: 0, name: '' }, { pid: 20, name: 'jack-0:studio-rig-test-orphan-1:' }]), (pid) => pid === 10);
    expect(servers).toEqual([{ name: 'jack-0:default', pid: 10, alive: true }, { name: 'jack-0:studio-rig-test-orphan-1', pid: 20, alive: false }]);
  });

  it('counts a jackd as running only while it is not a zombie (its /proc stat state), and only a jackd', () => {
    expect(processIsLiveJackd('4242 (jackd) S 1 4242 4242 0 -1 4194560 300')).toBe(true);
    expect(processIsLiveJackd('4242 (jackd) R 1 4242')).toBe(true);
    expect(processIsLiveJackd('4242 (jackd) Z 1 4242')).toBe(false);
    expect(processIsLiveJackd('4242 (jackd) X 1 4242')).toBe(false);
    expect(processIsLiveJackd('4242 (node) S 1 4242')).toBe(false);
    expect(processIsLiveJackd('4242 (a) (jackd) S 1')).toBe(false); // the name is all between the first "(" and the last ")"
    expect(processIsLiveJackd('garbage')).toBe(false);
    // This process is no jackd; a pid that does not exist is none.
    expect(isJackServerProcess(process.pid)).toBe(false);
    expect(isJackServerProcess(2 ** 22 + 1)).toBe(false);
  });

  it('is not a registry without the magic number or with a header that does not fit', () => {
    expect(parseJackRegistry(Buffer.alloc(70744))).toBeNull();
    const short = registry([]);
    expect(parseJackRegistry(short.subarray(0, 1000))).toBeNull();
  });

  it('removes a registry whose servers have all died, and only then', () => {
    const full = Array.from({ length: 8 }, (_, i) => ({ pid: 100 + i, name: `jack-0:studio-rig-test-x-${i}` }));
    const path = join(dir, 'jack-shm-registry');
    writeFileSync(path, registry(full));
    const kept = resetStaleJackRegistry(path, (pid) => pid === 107);
    expect(kept.reset).toBe(false);
    expect(kept.servers.filter((s) => s.alive).map((s) => s.pid)).toEqual([107]);
    expect(existsSync(path)).toBe(true);

    const reset = resetStaleJackRegistry(path, () => false);
    expect(reset.reset).toBe(true);
    expect(reset.servers).toHaveLength(8);
    expect(existsSync(path)).toBe(false);

    writeFileSync(path, 'not a registry');
    expect(resetStaleJackRegistry(path, () => false).reset).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('not a registry');
    expect(resetStaleJackRegistry(join(dir, 'none'), () => false)).toEqual({ reset: false, servers: [] });
  });
});
