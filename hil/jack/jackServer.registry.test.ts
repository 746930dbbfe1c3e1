import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { JACK_SHM_REGISTRY, parseJackRegistry, resetStaleJackRegistry } from './jackRegistry.ts';
import { registry } from './jackRegistry.fixture.ts';
import { ensureJackServer } from './jackServer.ts';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { testServerName } from './jackServerName.ts';

/** Skipped where a JACK server runs: the test replaces the machine's registry, which that server is in. */
function whyNot(): string | undefined {
  const missing = jackToolsMissing('jack_lsp');
  if (missing) return missing;
  const servers = existsSync(JACK_SHM_REGISTRY) ? parseJackRegistry(readFileSync(JACK_SHM_REGISTRY)) : [];
  return servers?.some((s) => s.alive) ? 'a JACK server is running' : undefined;
}
const skip = whyNot();

describe.skipIf(skip !== undefined)('ensureJackServer: a registry full of dead servers', () => {
  // Whatever happened, the made-up dead servers do not stay in this machine's registry.
  afterAll(() => { resetStaleJackRegistry(); });

  it('is removed and the server started, saying so; before, jackd refused with "Too many servers already active"', async () => {
    // Eight slots taken under names that never come back, by a process that is no jackd (this one): what
    // servers killed without a clean exit leave behind. jackd reclaims none of them.
    writeFileSync(JACK_SHM_REGISTRY, registry(Array.from({ length: 8 }, (_, i) => ({ pid: process.pid, name: `jack-0:studio-rig-test-dead-${i}:` }))));
    const name = testServerName('registry');
    const server = await ensureJackServer({ sampleRate: 48000, periodFrames: 256, loopbackPorts: 1, systemPorts: 1, serverName: name, startTimeoutMs: 20_000 });
    try {
      expect(server.started).toBe(true);
      expect(server.description).toMatch(/JACK's server registry held 8 servers that had died without leaving it, so no server could start: removed/);
      const now = parseJackRegistry(readFileSync(JACK_SHM_REGISTRY)) ?? [];
      expect(now.map((s) => s.name)).toEqual([`jack-0:${name}`]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
