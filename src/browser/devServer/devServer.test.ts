import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { type DevServer, type DevServerOptions, LIMITS, QUEUE_FULL, startDevServer } from './devServer.ts';

/** The temporary folders this file made, removed after its tests. */
const made: string[] = [];
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

/** A served folder with one page, and a folder for saved presets. */
function folders() {
  const staticDir = mkdtempSync(join(tmpdir(), 'dev-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  const userPresetsDir = mkdtempSync(join(tmpdir(), 'dev-presets-'));
  made.push(staticDir, userPresetsDir);
  return { staticDir, userPresetsDir };
}

async function start(extra: Partial<DevServerOptions> = {}): Promise<{ server: DevServer; lines: string[] }> {
  const lines: string[] = [];
  const server = await startDevServer({ port: 0, ...folders(), log: (l) => lines.push(l), ...extra });
  return { server, lines };
}

function httpGet(port: number, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket with the given Host/Origin; resolves 'open' or the refusal's HTTP status. */
function wsOpen(port: number, headers: Record<string, string>): Promise<{ outcome: 'open'; ws: WebSocket } | { outcome: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers });
    ws.once('open', () => resolve({ outcome: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => { resolve({ outcome: res.statusCode ?? 0 }); ws.terminate(); });
    ws.once('error', () => resolve({ outcome: -1 }));
  });
}

/** A JSON-RPC page: call(method, params) → the response; notifications collected. */
async function page(port: number) {
  const r = await wsOpen(port, { Host: `localhost:${port}`, Origin: `http://localhost:${port}` });
  if (r.outcome !== 'open') throw new Error(`could not connect: ${r.outcome}`);
  const ws = r.ws;
  const notes: { method: string; params: Record<string, unknown> }[] = [];
  const waiting = new Map<number, (m: Record<string, unknown>) => void>();
  let id = 1;
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.method) notes.push(m); else waiting.get(m.id)?.(m);
  });
  const call = (method: string, params?: unknown): Promise<Record<string, unknown>> => new Promise((resolve) => {
    const n = id++;
    waiting.set(n, resolve);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return { ws, call, notes, closed };
}

const until = async (f: () => boolean, ms = 2000) => {
  const t0 = Date.now();
  while (!f()) { if (Date.now() - t0 > ms) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 5)); }
};

describe('the Host and Origin guard (DNS rebinding, cross-site pages)', () => {
  /** Each refused request, with the check that refuses it; with that check off, the same request must pass. */
  const CASES = [
    { what: 'an HTTP request with a foreign Host', kind: 'http', check: 'host', headers: (p: number) => ({ Host: `evil.example:${p}` }), refused: 421 },
    { what: 'an HTTP request with the right name but another port', kind: 'http', check: 'host', headers: (p: number) => ({ Host: `localhost:${p + 1}` }), refused: 421 },
    { what: 'an HTTP request from another origin', kind: 'http', check: 'origin', headers: (p: number) => ({ Host: `localhost:${p}`, Origin: 'http://evil.example' }), refused: 403 },
    { what: 'a WebSocket upgrade with a foreign Host', kind: 'ws', check: 'host', headers: (p: number) => ({ Host: `evil.example:${p}`, Origin: `http://localhost:${p}` }), refused: 421 },
    { what: 'a WebSocket upgrade from another origin', kind: 'ws', check: 'origin', headers: (p: number) => ({ Host: `127.0.0.1:${p}`, Origin: 'http://evil.example' }), refused: 403 },
    { what: 'a WebSocket upgrade without an Origin', kind: 'ws', check: 'origin', headers: (p: number) => ({ Host: `[::1]:${p}` }), refused: 403 },
  ] as const;

  for (const c of CASES) {
    it(`refuses ${c.what} before any work, counts and logs it — and lets it through with the ${c.check} check off`, async () => {
      for (const off of [false, true]) {
        const { server, lines } = await start(off ? { unsafeDisableCheck: c.check } : {});
        try {
          const outcome = c.kind === 'http' ? (await httpGet(server.port, c.headers(server.port))).status : await wsOpen(server.port, c.headers(server.port)).then((r) => {
            if (r.outcome === 'open') { r.ws.close(); return 101; }
            return r.outcome;
          });
          const refusedCount = c.check === 'host' ? server.counts.refusedHost : server.counts.refusedOrigin;
          if (off) {
            expect(outcome).toBe(c.kind === 'http' ? 200 : 101);
          } else {
            expect(outcome).toBe(c.refused);
            expect(refusedCount).toBe(1);
            expect(lines.join('\n')).toMatch(/refused/);
            expect(server.connections()).toBe(0);
          }
        } finally {
          await server.close();
        }
      }
    });
  }

  it('serves the page to its own origin by every loopback name, with the cross-origin isolation headers', async () => {
    const { server } = await start();
    try {
      for (const host of ['localhost', '127.0.0.1', '[::1]']) {
        const r = await httpGet(server.port, { Host: `${host}:${server.port}`, Origin: `http://${host}:${server.port}` });
        expect(r.status).toBe(200);
        expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
      }
      expect(server.counts.refusedHost + server.counts.refusedOrigin).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('logs a hostile Host header escaped: no newline or terminal escape reaches the log', async () => {
    const { server, lines } = await start();
    try {
      // 0x9B is CSI, the one-byte form of ESC [ (a C1 control an HTTP header may carry as obs-text);
      // Node's own client refuses to send it, so the request is written by hand.
      await new Promise<void>((resolve) => {
        const s = connect(server.port, '127.0.0.1', () => s.end(Buffer.from('GET / HTTP/1.1\r\nHost: evil\u009b2J.example\r\nConnection: close\r\n\r\n', 'latin1')));
        s.on('data', () => {});
        s.on('close', () => resolve());
      });
      expect(server.counts.refusedHost).toBe(1);
      expect(lines.some((l) => l.includes('\\x9b2J'))).toBe(true);
      expect(lines.some((l) => l.includes('\u009b'))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('JSON-RPC methods', () => {
  let server: DevServer;
  beforeAll(async () => { server = (await start()).server; });
  afterAll(async () => server.close());

  it('lists engines and presets, and gives every parameter with its range and unit', async () => {
    const p = await page(server.port);
    const engines = (await p.call('listEngines')).result as { name: string; live: string[] }[];
    expect(engines.map((e) => e.name)).toEqual(['haptic', 'lossy', 'reverb']);
    expect(engines.find((e) => e.name === 'reverb')?.live).toContain('wetDry');
    const presets = (await p.call('listPresets', { engine: 'reverb' })).result as { name: string; shipped: boolean }[];
    expect(presets.find((x) => x.name === 'cathedral')?.shipped).toBe(true);
    const all = (await p.call('getAllParameters', { engine: 'haptic' })).result as { descriptors: { path: string; unit: string; min: number; max: number }[]; values: Record<string, unknown> };
    expect(all.descriptors.find((d) => d.path === 'waveSpeedMps')).toMatchObject({ unit: 'm/s', min: 20, max: 500 });
    expect(all.values.waveSpeedMps).toBe(100);
    p.ws.close();
  });

  it('tells every other page of a parameter change (two tabs stay in sync), and keeps the value', async () => {
    const a = await page(server.port);
    const b = await page(server.port);
    const set = await a.call('setParameter', { engine: 'reverb', name: 'wetDry', value: 0.55 });
    expect(set.result).toEqual({ name: 'wetDry', value: 0.55 });
    await until(() => b.notes.some((n) => n.method === 'parameterChanged'));
    expect(b.notes.find((n) => n.method === 'parameterChanged')?.params).toMatchObject({ engine: 'reverb', name: 'wetDry', value: 0.55 });
    expect((await b.call('getParameter', { engine: 'reverb', name: 'wetDry' })).result).toMatchObject({ value: 0.55 });
    a.ws.close(); b.ws.close();
  });

  it('answers bad requests with errors naming the method, the param and what was expected, and stays up', async () => {
    const p = await page(server.port);
    const CASES: [string, unknown, RegExp][] = [
      ['setParameter', { engine: 'reverb', name: 'wetDry', value: 7 }, /setParameter: .*wetDry: got 7, expected a value ≤ 1/],
      ['setParameter', { engine: 'reverb', name: 'wetDry', value: 'loud' }, /wetDry: got "loud", expected number/],
      ['setParameter', { engine: 'reverb', name: 'nope', value: 1 }, /setParameter: params\.name: got "nope", expected a reverb parameter: lines, matrix/],
      ['getAllParameters', { engine: 'piano' }, /getAllParameters: params\.engine: got "piano", expected one of haptic, lossy, reverb/],
      ['getParameter', { engine: 'reverb' }, /getParameter: params\.name: got nothing, expected string/],
      ['loadPreset', { engine: 'reverb', name: '../../package' }, /loadPreset: .*not a preset name/],
      ['savePreset', { engine: 'reverb', name: 'cathedral' }, /savePreset: .*shipped preset .* never overwritten/],
      ['rigNote', { at: { xM: 0, yM: 0 } }, /rigNote: no rig attached/],
      ['noSuchMethod', {}, /Method not found/],
    ];
    for (const [method, params, message] of CASES) {
      const r = await p.call(method, params);
      expect((r.error as { message: string }).message, method).toMatch(message);
    }
    p.ws.send('{"jsonrpc":"2.0","id":1,"method":');
    p.ws.send('[]');
    await until(() => server.counts.rpcErrors >= CASES.length + 2);
    expect((await p.call('getSession')).result).toMatchObject({ attached: false });
    p.ws.close();
  });

  it('closes a connection that sends a message over the size bound, counts it, and serves the others', async () => {
    const big = await page(server.port);
    const other = await page(server.port);
    big.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getSession', params: { pad: 'x'.repeat(LIMITS.MAX_MESSAGE_BYTES) } }));
    expect(await big.closed).toBe(1009);
    await until(() => server.counts.oversizeMessages === 1);
    expect((await other.call('getSession')).result).toBeDefined();
    other.ws.close();
  });

  it('refuses requests past the in-flight bound of a connection at once, with an error, and counts them', async () => {
    const p = await page(server.port);
    // savePreset waits for the disk (write, fsync, rename): 40 sent at once overrun the 16 in flight.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, k) => p.call('savePreset', { engine: 'lossy', name: `burst-${k}` })));
    const refused = answers.filter((a) => (a.error as { code?: number } | undefined)?.code === QUEUE_FULL);
    expect(refused.length).toBeGreaterThan(0);
    expect(server.counts.queueFull).toBe(refused.length);
    expect((refused[0].error as { message: string }).message).toMatch(/queue full: 16 requests of this connection are unanswered/);
    expect(answers.filter((a) => a.result).length).toBe(40 - refused.length);
    p.ws.close();
  });

  it('loads a preset into every page and saves one under a new name (atomically, loadable)', async () => {
    const a = await page(server.port);
    const b = await page(server.port);
    const loaded = (await a.call('loadPreset', { engine: 'reverb', name: 'chamber' })).result as { values: Record<string, unknown> };
    await until(() => b.notes.some((n) => n.method === 'parameterChanged' && n.params.preset === 'chamber'));
    await a.call('setParameter', { engine: 'reverb', name: 'wetDry', value: 0.2 });
    const saved = (await a.call('savePreset', { engine: 'reverb', name: 'my-chamber' })).result as { name: string };
    expect(saved.name).toBe('my-chamber');
    await a.call('setParameter', { engine: 'reverb', name: 'wetDry', value: 0.9 });
    const back = (await a.call('loadPreset', { engine: 'reverb', name: 'my-chamber' })).result as { values: Record<string, unknown> };
    expect(back.values).toEqual({ ...loaded.values, wetDry: 0.2 });
    a.ws.close(); b.ws.close();
  });

  it('sends synthetic meter frames to a page that asks for them while no audio runs', async () => {
    const p = await page(server.port);
    await p.call('subscribeMeters', { channels: 4 });
    await until(() => p.notes.filter((n) => n.method === 'meterUpdate').length >= 2);
    const frame = p.notes.find((n) => n.method === 'meterUpdate')?.params as { rmsDb: number[]; peakDb: number[]; synthetic: boolean };
    expect(frame.synthetic).toBe(true);
    expect(frame.rmsDb).toHaveLength(4);
    for (const [c, rms] of frame.rmsDb.entries()) expect(frame.peakDb[c] - rms).toBeCloseTo(3.01, 2);
    p.ws.close();
  });
});
