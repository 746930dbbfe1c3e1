import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient, BridgeError } from './bridgeClient.ts';
import { BridgeServer, type BridgeServerOptions } from './bridgeServer.ts';
import { CloseCode } from './protocol.ts';

/**
 * Each defence of the bridge, probed from outside as an attacker's page would, and each probe shown to
 * detect the hole: against a bridge with that one defence switched off (the test-only
 * `unsafeDisableDefences`), the same probe gets in.
 */
const TOKEN = 'test-token-0123456789';
const ALLOWED = 'https://app.example.com';

async function startBridge(extra: BridgeServerOptions = {}): Promise<{ bridge: BridgeServer; log: string[] }> {
  const log: string[] = [];
  const bridge = new BridgeServer({ port: 0, token: TOKEN, allowOrigins: [ALLOWED], log: (l) => log.push(l), ...extra });
  await bridge.start();
  return { bridge, log };
}

/** 'welcome' when the probe got through the upgrade and the HELLO, else what stopped it. */
async function probe(bridge: BridgeServer, o: { host?: string; origin?: string; token?: string }): Promise<string> {
  try {
    const c = await BridgeClient.connect(bridge.wsUrl, { ...o, timeoutMs: 5000 });
    await c.close();
    return 'welcome';
  } catch (err) {
    const e = err as BridgeError;
    return e.closeCode !== undefined ? `${e.code}, closed ${e.closeCode}` : e.code;
  }
}

/** A plain HTTP GET with the given Host header: the status code. */
function httpStatus(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bridge security', () => {
  let defended: { bridge: BridgeServer; log: string[] };
  const open: BridgeServer[] = [];
  const withoutDefence = async (d: 'host' | 'origin' | 'token') => {
    const { bridge } = await startBridge({ unsafeDisableDefences: { [d]: true } });
    open.push(bridge);
    return bridge;
  };

  beforeAll(async () => { defended = await startBridge(); });
  afterAll(async () => { await Promise.all([defended.bridge.stop(), ...open.map((b) => b.stop())]); });

  it('listens on loopback only: 127.0.0.1 and, where the machine has it, [::1] — never 0.0.0.0', () => {
    for (const a of defended.bridge.addresses) expect(a).toMatch(/^(127\.0\.0\.1|\[::1\]):\d+$/);
    expect(defended.bridge.addresses[0]).toBe(`127.0.0.1:${defended.bridge.port}`);
  });

  it('refuses an upgrade with Host: evil.example (DNS rebinding), counted and logged; without the Host check it gets in', async () => {
    const host = `evil.example:${defended.bridge.port}`;
    const before = defended.bridge.stats().host ?? 0;
    expect(await probe(defended.bridge, { host, token: TOKEN })).toBe('http-403');
    expect(defended.bridge.stats().host).toBe(before + 1);
    expect(defended.log.some((l) => l.includes('rejected (host)') && l.includes('evil.example'))).toBe(true);
    const open = await withoutDefence('host');
    expect(await probe(open, { host: `evil.example:${open.port}`, token: TOKEN })).toBe('welcome');
  });

  it('refuses plain HTTP with a foreign Host too, and serves its page to localhost, 127.0.0.1 and [::1]', async () => {
    const port = defended.bridge.port;
    expect(await httpStatus(port, `evil.example:${port}`)).toBe(403);
    expect(await httpStatus(port, 'localhost')).toBe(403); // the port is part of the check
    for (const h of ['localhost', '127.0.0.1', '[::1]']) expect(await httpStatus(port, `${h}:${port}`)).toBe(200);
  });

  it('refuses an upgrade with Origin: https://evil.example; without the Origin check it gets in (with the token)', async () => {
    expect(await probe(defended.bridge, { origin: 'https://evil.example', token: TOKEN })).toBe('http-403');
    expect(defended.bridge.stats().origin).toBeGreaterThanOrEqual(1);
    const open = await withoutDefence('origin');
    expect(await probe(open, { origin: 'https://evil.example', token: TOKEN })).toBe('welcome');
  });

  it('requires the pairing token from every origin but its own page: missing and wrong tokens close with 4001; without the token check they get in', async () => {
    expect(await probe(defended.bridge, {})).toBe(`token-required, closed ${CloseCode.badToken}`);
    expect(await probe(defended.bridge, { token: 'guess' })).toBe(`wrong-token, closed ${CloseCode.badToken}`);
    expect(await probe(defended.bridge, { origin: ALLOWED })).toBe(`token-required, closed ${CloseCode.badToken}`);
    expect(defended.bridge.stats().token).toBeGreaterThanOrEqual(3);
    const open = await withoutDefence('token');
    expect(await probe(open, {})).toBe('welcome');
    expect(await probe(open, { token: 'guess' })).toBe('welcome');
  });

  it('lets in the bridge\'s own page without a token, an allowed origin with it, and a Node client with it', async () => {
    const port = defended.bridge.port;
    expect(await probe(defended.bridge, { origin: `http://127.0.0.1:${port}` })).toBe('welcome');
    expect(await probe(defended.bridge, { origin: `http://localhost:${port}`, host: `localhost:${port}` })).toBe('welcome');
    expect(await probe(defended.bridge, { origin: ALLOWED, token: TOKEN })).toBe('welcome');
    expect(await probe(defended.bridge, { token: TOKEN })).toBe('welcome');
  });

  it('answers a HELLO of another version with a clear error, then closes with 4002', async () => {
    const err = await BridgeClient.connect(defended.bridge.wsUrl, { token: TOKEN, version: 2 }).catch((e: BridgeError) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect((err as BridgeError).message).toMatch(/speaks studio-rig-bridge version 1; the client asked for studio-rig-bridge version 2/);
    expect((err as BridgeError).code).toBe('version-mismatch');
    expect((err as BridgeError).closeCode).toBe(CloseCode.versionMismatch);
  });

  it('logs what a client sent escaped: no control character reaches the log', async () => {
    const c = await BridgeClient.connect(defended.bridge.wsUrl, { token: TOKEN });
    await expect(c.load('\u001b[2J\nFAKE LOG LINE')).rejects.toThrow(/unknown-engine|no engine/);
    await c.close();
    const line = defended.log.find((l) => l.includes('FAKE LOG LINE'));
    expect(line).toBeDefined();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the assertion is that none are there
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('\\x1b[2J');
  });
});
