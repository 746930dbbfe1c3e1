import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import WebSocket from 'ws';
import { until as untilWithin } from '../host/testClients.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { CHUNK_HEADER_BYTES, encodeChannels } from './audioChunk.ts';
import { BridgeClient, BridgeError } from './bridgeClient.ts';
import { BridgeServer } from './bridgeServer.ts';
import { CHUNK_FRAMES, CloseCode } from './protocol.ts';

/**
 * The bridge under malformed input: every bad frame answered and counted, nothing crashes, memory
 * flat, and each bound (message size, chunk rate, instances) shown to fail when lifted.
 */
const LIMITS = {
  floodFrames: 10_000,
  floodClients: 4,
  /** Heap growth from the flood's first fifth to its end, after a full GC. */
  maxHeapGrowthBytes: 1024 * 1024,
};
const SEED = Number(process.env.BRIDGE_FLOOD_SEED ?? 20261205);
const TOKEN = 'flood-token';

/** A GC the test can call (the flag set at run time, the function taken from a fresh context). */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Bad frames of every kind the decoder and the schemas must refuse, from a seeded PRNG. */
function malformedFrame(rng: Prng, k: number): string | Uint8Array {
  switch (k % 6) {
    case 0: { // random bytes, shorter than a header or with the reserved bytes set
      const bytes = new Uint8Array(rng.nextUint32() % 200);
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextUint32() & 0xff;
      if (bytes.length >= CHUNK_HEADER_BYTES) bytes[12] = 1 + (bytes[12] % 255);
      return bytes;
    }
    case 1: { // a header whose sizes disagree with the length
      const good = encodeChannels(1, k, [new Float32Array(CHUNK_FRAMES)], CHUNK_FRAMES);
      return good.subarray(0, good.length - 4 - 4 * (rng.nextUint32() % 100));
    }
    case 2: return `{"type": "LOAD_PLUGIN", "engine": ${'['.repeat(rng.nextUint32() % 50)}`;
    case 3: return JSON.stringify({ type: 'SET_PARAM', instance: -1, name: 'x'.repeat(rng.nextUint32() % 500), value: 'loud' });
    case 4: return JSON.stringify({ type: 'NOPE', payload: Array.from({ length: rng.nextUint32() % 50 }, () => rng.nextUint32()) });
    default: return '\u0000\uffff not json';
  }
}

const sumErrors = (counts: Record<string, number>) =>
  ['malformed-chunk', 'malformed-json', 'invalid-message'].reduce((s, k) => s + (counts[k] ?? 0), 0);

describe('bridge under a flood of malformed frames', () => {
  let bridge: BridgeServer;
  beforeAll(async () => {
    bridge = new BridgeServer({ port: 0, token: TOKEN, log: () => {} });
    await bridge.start();
  });
  afterAll(async () => { await bridge.stop(); });

  it(`answers and counts every one of ${LIMITS.floodFrames} malformed binary and JSON frames from ${LIMITS.floodClients} clients, stays up, memory flat (seed ${SEED})`, async () => {
    const gc = gcFunction();
    const clients = await Promise.all(Array.from({ length: LIMITS.floodClients }, () => BridgeClient.connect(bridge.wsUrl, { token: TOKEN })));
    const rng = new Prng(SEED);
    const perClient = LIMITS.floodFrames / LIMITS.floodClients;
    const flood = async (from: number, to: number) => {
      for (let k = from; k < to; k++) for (const c of clients) c.ws.send(malformedFrame(rng, k));
      await Promise.all(clients.map((c) => untilWithin(() => c.errorCount >= to, 20_000)));
    };
    await flood(0, perClient / 5);
    gc();
    const heapAfterFirstFifth = process.memoryUsage().heapUsed;
    await flood(perClient / 5, perClient);
    gc();
    const growth = process.memoryUsage().heapUsed - heapAfterFirstFifth;

    expect(sumErrors(bridge.stats())).toBe(LIMITS.floodFrames);
    expect(clients.every((c) => c.closed === undefined)).toBe(true);
    expect(growth).toBeLessThan(LIMITS.maxHeapGrowthBytes);
    const fresh = await BridgeClient.connect(bridge.wsUrl, { token: TOKEN });
    expect((await fresh.stats()).bridge.openConnections).toBe(LIMITS.floodClients + 1);
    await Promise.all([...clients, fresh].map((c) => c.close()));
  });

  it('closes a connection that sends a frame over maxPayloadBytes with 1009, counted; with the bound lifted the frame is read', async () => {
    const small = new BridgeServer({ port: 0, token: TOKEN, log: () => {}, limits: { maxPayloadBytes: 64 * 1024 } });
    const lifted = new BridgeServer({ port: 0, token: TOKEN, log: () => {}, limits: { maxPayloadBytes: 64 * 1024 * 1024 } });
    await Promise.all([small.start(), lifted.start()]);
    const big = new Uint8Array(65 * 1024);
    const send = async (b: BridgeServer) => {
      const c = await BridgeClient.connect(b.wsUrl, { token: TOKEN });
      c.ws.send(big);
      await untilWithin(() => c.closed !== undefined || c.errorCount > 0, 20_000);
      const outcome = c.closed ? `closed ${c.closed.code}` : c.errors[0].code;
      await c.close();
      return outcome;
    };
    expect(await send(small)).toBe(`closed ${CloseCode.tooBig}`);
    await untilWithin(() => (small.stats()['too-big'] ?? 0) === 1, 20_000);
    expect(await send(lifted)).toBe('malformed-chunk');
    await Promise.all([small.stop(), lifted.stop()]);
  });

  it('refuses chunks beyond maxChunksPerSecond (rate-limited, counted); with the bound lifted none is refused', async () => {
    const rateOf = async (disable: boolean) => {
      const b = new BridgeServer({ port: 0, token: TOKEN, log: () => {}, limits: { maxChunksPerSecond: 10 }, unsafeDisableDefences: { rate: disable } });
      await b.start();
      const c = await BridgeClient.connect(b.wsUrl, { token: TOKEN });
      const x = new Float32Array(CHUNK_FRAMES);
      for (let s = 0; s < 400; s++) c.sendChunk(999, s, [x]);
      await untilWithin(() => c.errorCount >= 400, 20_000);
      const limited = b.stats()['rate-limited'];
      await c.close();
      await b.stop();
      return limited ?? 0;
    };
    // 10 tokens at the start, 10 more a second: sending 400 would have to take 29 s for fewer than 300 to be refused.
    expect(await rateOf(false)).toBeGreaterThanOrEqual(300);
    expect(await rateOf(true)).toBe(0);
  });

  it('closes a client that does not read its replies (slow consumer, counted); with the bound lifted the replies pile up instead', async () => {
    const slowConsumers = async (maxBufferedBytes: number) => {
      const b = new BridgeServer({ port: 0, token: TOKEN, log: () => {}, maxBufferedBytes });
      await b.start();
      const c = await BridgeClient.connect(b.wsUrl, { token: TOKEN });
      (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      for (let i = 0; i < 3000; i++) c.ws.send('{"type":"LIST_PLUGINS"}');
      await untilWithin(() => (b.stats()['slow-consumer'] ?? 0) > 0 || (b.stats().messagesHandled ?? 0) >= 3000, 20_000);
      const count = b.stats()['slow-consumer'] ?? 0;
      c.ws.terminate();
      await b.stop();
      return count;
    };
    expect(await slowConsumers(1024 * 1024)).toBe(1);
    expect(await slowConsumers(1024 * 1024 * 1024)).toBe(0);
  });

  it('closes a connection that sends no HELLO within helloTimeoutMs with 4004, counted', async () => {
    const b = new BridgeServer({ port: 0, token: TOKEN, log: () => {}, helloTimeoutMs: 100 });
    await b.start();
    const raw = new WebSocket(b.wsUrl);
    const code = await new Promise<number>((resolve) => raw.once('close', (c) => resolve(c)));
    expect(code).toBe(CloseCode.helloTimeout);
    expect(b.stats()['hello-timeout']).toBe(1);
    await b.stop();
  });

  it('answers anything before HELLO with hello-required, a second HELLO with already-greeted, and keeps the connection', async () => {
    const raw = new WebSocket(bridge.wsUrl);
    const replies: { code?: string }[] = [];
    raw.on('message', (d) => replies.push(JSON.parse(d.toString())));
    await new Promise((r) => raw.once('open', r));
    raw.send(JSON.stringify({ type: 'LIST_PLUGINS' }));
    raw.send(encodeChannels(1, 0, [new Float32Array(CHUNK_FRAMES)], CHUNK_FRAMES));
    await untilWithin(() => replies.length === 2, 20_000);
    expect(replies.map((r) => r.code)).toEqual(['hello-required', 'hello-required']);
    expect(raw.readyState).toBe(WebSocket.OPEN);
    raw.close();
    const c = await BridgeClient.connect(bridge.wsUrl, { token: TOKEN });
    const err = await c.request({ type: 'HELLO', protocol: 'studio-rig-bridge', version: 1, token: TOKEN }).catch((e: BridgeError) => e);
    expect((err as BridgeError).code).toBe('already-greeted');
    expect(c.closed).toBeUndefined();
    await c.close();
  });
});

