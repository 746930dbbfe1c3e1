import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testServerName } from './jackServerName.ts';

const JACK_SERVER = new URL('./jackServer.ts', import.meta.url).pathname;

/** Whether process `pid` still runs (a zombie — dead, not yet reaped by its new parent — does not). */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(stat, 'utf8'));
  } catch {
    return false;
  }
}

describe('a jackd the harness started does not outlive it', () => {
  it('stops when the process that started it is killed (SIGKILL: no clean-up of its own runs)', async () => {
    const name = testServerName('orphan');
    const script = `import { ensureJackServer } from ${JSON.stringify(JACK_SERVER)};
const s = await ensureJackServer({ sampleRate: 48000, periodFrames: 256, loopbackPorts: 1, systemPorts: 1, serverName: ${JSON.stringify(name)} });
console.log(s.description); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    const t0 = Date.now();
    while (!/pid (\d+)/.test(out) && Date.now() - t0 < 20_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const jackdPid = Number(/pid (\d+)/.exec(out)?.[1]);
    expect(jackdPid, `the child said: ${out}`).toBeGreaterThan(0);
    expect(running(jackdPid)).toBe(true);
    child.kill('SIGKILL');
    const t1 = Date.now();
    while (running(jackdPid) && Date.now() - t1 < 5000) await new Promise((r) => setTimeout(r, 50));
    const survived = running(jackdPid);
    if (survived) process.kill(jackdPid, 'SIGKILL');
    expect(survived, 'jackd still ran 5 s after its parent was killed').toBe(false);
    // A jackd that dies this way leaves its semaphores and shared memory in /dev/shm (jack_sem.0_<name>_*,
    // jack_<name>_0_0): this test's own, by its unique server name, are removed.
    for (const f of readdirSync('/dev/shm')) if (f.includes(`_${name}_`)) rmSync(`/dev/shm/${f}`, { force: true });
  });
});
