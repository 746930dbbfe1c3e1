import { describe, expect, it } from 'vitest';
import { BridgeClient } from '../../bridge/bridgeClient.ts';
import { startBridgeProcess } from '../../bridge/bridgeProcess.ts';
import { runInProcess } from '../cliTestRunner.ts';
import { register } from './bridge.ts';

describe('rig bridge', () => {
  it('prints its URL and a pairing token, answers a client that shows the token, and stops on SIGTERM', async () => {
    const bridge = await startBridgeProcess(['--allow-origin', 'https://app.example.com']);
    try {
      expect(bridge.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/bridge$/);
      expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const client = await BridgeClient.connect(bridge.wsUrl, { token: bridge.token, origin: 'https://app.example.com' });
      expect(client.welcome?.version).toBe(1);
      await client.close();
    } finally {
      await bridge.stop();
    }
    expect(bridge.child.exitCode).toBe(0);
  });

  it.each([
    [['--allow-origin', 'https://app.example.com/path'], /--allow-origin https:\/\/app\.example\.com\/path: expected scheme:\/\/host\[:port\] only/],
    [['--port', '70000'], /expected a whole number from 0 to 65535/],
  ])('refuses %j as a usage error (exit 2)', async (args, message) => {
    const run = await runInProcess(register, ['bridge', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
