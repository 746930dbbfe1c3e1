import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../host/testClients.ts';
import { type AudioChunk, chunkChannel } from './audioChunk.ts';
import { BridgeClient, BridgeError } from './bridgeClient.ts';
import { BridgeServer } from './bridgeServer.ts';
import type { EnginePlugin } from './pluginCatalog.ts';
import type { ThirdPartyPlugin } from './pluginScan.ts';
import { CHUNK_FRAMES } from './protocol.ts';

/** Protocol v1's control messages and sequence accounting, against one bridge with fixture plugin folders. */
const FAULTY = fileURLToPath(new URL('./fixtures/faultyEngine.ts', import.meta.url));
const TOKEN = 'protocol-token';
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

function pluginFolders(root: string) {
  const put = (path: string, content: string | Buffer) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  put('vst3/Good.vst3/Contents/x86_64-linux/Good.so', ELF);
  put('vst3/NoBinary.vst3/Contents/Resources/info.txt', 'x');
  put('vst3/Script.vst3/Contents/x86_64-linux/Script.so', '#!/bin/sh\n');
  put('lv2/amp.lv2/manifest.ttl', '@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<urn:test:amp> a lv2:Plugin ;\n  lv2:binary <amp.so> ;\n  rdfs:seeAlso <amp.ttl> .\n');
  put('lv2/amp.lv2/amp.ttl', '@prefix doap: <http://usefulinc.com/ns/doap#> .\n<urn:test:amp> doap:name "Test Amp" .\n');
  put('lv2/amp.lv2/amp.so', ELF);
  put('lv2/empty.lv2/readme.txt', 'no manifest');
  put('lv2/lost.lv2/manifest.ttl', '@prefix lv2: <http://lv2plug.in/ns/lv2core#> .\n<urn:test:lost> a lv2:Plugin ; lv2:binary <lost.so> .\n');
  put('ladspa/delay.so', ELF);
  put('ladspa/notes.so', 'plain text');
  return { vst3: [join(root, 'vst3'), join(root, 'missing')], lv2: [join(root, 'lv2')], ladspa: [join(root, 'ladspa')] };
}

describe('bridge protocol v1', () => {
  let bridge: BridgeServer;
  let client: BridgeClient;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bridge-plugins-'));
    bridge = new BridgeServer({ port: 0, token: TOKEN, engineModules: [FAULTY], pluginPaths: pluginFolders(root), log: () => {}, limits: { maxInstances: 2 } });
    await bridge.start();
    client = await BridgeClient.connect(bridge.wsUrl, { token: TOKEN });
  });
  afterAll(async () => {
    await client.close();
    await bridge.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('WELCOME states the bridge version, sample rates, chunk size and limits', () => {
    expect(client.welcome).toMatchObject({ type: 'WELCOME', protocol: 'studio-rig-bridge', version: 1, sampleRates: [44100, 48000, 88200, 96000], chunkFrames: 128 });
    expect(client.welcome?.bridgeVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('LIST_PLUGINS: the engines with presets and parameter ranges/units/defaults from their schemas, and the fixture plugins checked', async () => {
    const { engines, thirdParty } = await client.listPlugins();
    const reverb = (engines as EnginePlugin[]).find((e) => e.engine === 'reverb');
    expect(reverb).toMatchObject({ kind: 'effect', numInputs: 2, numOutputs: 2 });
    expect(reverb?.params.find((p) => p.name === 'wetDry')).toEqual({ name: 'wetDry', index: 0, min: 0, max: 1, default: 0.3, unit: '', integer: false, nullable: false });
    expect(reverb?.params.find((p) => p.name === 'rt60Seconds')).toMatchObject({ min: 0.1, max: 30, default: 2, unit: 's' });
    expect(reverb?.presets.map((p) => p.name)).toContain('cathedral');
    const lossy = (engines as EnginePlugin[]).find((e) => e.engine === 'lossy');
    expect(lossy?.params.find((p) => p.name === 'gate.thresholdDb')).toMatchObject({ min: -120, max: 0, default: -50, unit: 'dB' });
    expect((engines as EnginePlugin[]).map((e) => e.engine)).toContain('bridge-faulty');
    const byName = Object.fromEntries((thirdParty as ThirdPartyPlugin[]).map((p) => [`${p.format}:${p.name}`, p]));
    expect(byName['vst3:Good']).toMatchObject({ valid: true });
    expect(byName['vst3:NoBinary']).toMatchObject({ valid: false, reason: 'no binary Contents/x86_64-linux/NoBinary.so' });
    expect(byName['vst3:Script']).toMatchObject({ valid: false, reason: 'Script.so is not an ELF shared object' });
    expect(byName['lv2:Test Amp']).toMatchObject({ valid: true, uri: 'urn:test:amp' });
    expect(byName['lv2:empty']).toMatchObject({ valid: false, reason: expect.stringMatching(/no readable manifest.ttl/) });
    expect(byName['lv2:lost']).toMatchObject({ valid: false, reason: expect.stringMatching(/lost.so cannot be read/) });
    expect(byName['ladspa:delay']).toMatchObject({ valid: true });
    expect(byName['ladspa:notes']).toMatchObject({ valid: false });
    expect(thirdParty).toHaveLength(8);
  });

  it('counts sequence gaps and duplicates: a gap is processed and counted, a duplicate answered with an ERROR and not processed', async () => {
    const { instance } = await client.load('bridge-faulty', { params: { failAtChunk: 1_000_000 } });
    const x = [new Float32Array(CHUNK_FRAMES).fill(0.5), new Float32Array(CHUNK_FRAMES)];
    const replies: AudioChunk[] = [];
    for (const s of [0, 1, 3]) replies.push(await client.roundTrip(instance, s, x));
    const before = client.errorCount;
    client.sendChunk(instance, 3, x);
    client.sendChunk(instance, 2, x);
    replies.push(await client.roundTrip(instance, 4, x));
    await until(() => client.errorCount === before + 2, 20_000);
    expect(client.errors.slice(-2).map((e) => [e.code, e.sequence])).toEqual([['duplicate-chunk', 3], ['duplicate-chunk', 2]]);
    expect(replies.map((r) => r.sequence)).toEqual([0, 1, 3, 4]);
    expect(chunkChannel(replies[3], 0)[5]).toBe(0.5);
    const stats = await client.stats();
    expect(stats.instances[instance]).toMatchObject({ chunksIn: 4, chunksOut: 4, sequenceGaps: 1, duplicates: 2 });
    client.sendChunk(instance, 5, [x[0]]);
    await until(() => client.errorCount === before + 3, 20_000);
    expect(client.errors.at(-1)?.code).toBe('channel-mismatch');
    await client.unload(instance);
  });

  it('GET_STATE → SET_STATE restores the instance exactly: the same chunks after it give the same output', async () => {
    const { instance } = await client.load('reverb', { preset: 'small-room' });
    const burst = [0, 1].map(() => Float32Array.from({ length: CHUNK_FRAMES }, (_, i) => (i < 8 ? 0.9 : 0)));
    const silent = [new Float32Array(CHUNK_FRAMES), new Float32Array(CHUNK_FRAMES)];
    await client.roundTrip(instance, 0, burst);
    const { state } = await client.getState(instance);
    const tail = async (first: number) => {
      const out: number[] = [];
      for (let s = first; s < first + 8; s++) out.push(...(await client.roundTrip(instance, s, silent)).samples);
      return out;
    };
    const tailA = await tail(1);
    await client.setState(instance, state);
    const tailB = await tail(9);
    expect(tailB).toEqual(tailA);
    expect(Math.max(...tailA.map(Math.abs))).toBeGreaterThan(1e-3);
    await expect(client.setState(instance, { nonsense: true })).rejects.toMatchObject({ code: 'invalid-state' });
    await client.unload(instance);
  });

  it('answers bad requests with an ERROR naming what was wrong, and keeps the connection', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: BridgeError) => e.code);
    expect(await code(client.load('nope'))).toBe('unknown-engine');
    expect(await code(client.load('reverb', { preset: 'no-such-room' }))).toBe('unknown-preset');
    expect(await code(client.load('reverb', { preset: '../../package' }))).toBe('unknown-preset');
    expect(await code(client.load('reverb', { params: { lines: 3 } }))).toBe('invalid-params');
    expect(await code(client.load('reverb', { sampleRate: 12345 }))).toBe('invalid-message');
    // A "__proto__" key is a key: it never reaches a prototype, and never the engine's parameters.
    const proto = await client.request<'LOADED'>({ type: 'LOAD_PLUGIN', engine: 'reverb', sampleRate: 48000, channels: 2, params: JSON.parse('{"__proto__": {"lines": 3}}') });
    expect(({} as { lines?: number }).lines).toBeUndefined();
    expect((await client.getState(proto.instance)).state).toBeDefined();
    // That instance is the one the parameter checks below use (each load starts an instance worker: ~0.7 s of CPU).
    const { instance } = proto;
    expect(await code(client.setParam(instance, 'loudness', 1))).toBe('unknown-parameter');
    expect(await code(client.setParam(instance, 'wetDry', 1.5))).toBe('parameter-out-of-range');
    expect(await code(client.setParam(instance, 'wetDry', 0.5))).toBe('ok');
    expect(await code(client.setParam(instance + 100, 'wetDry', 0.5))).toBe('unknown-instance');
    const second = await client.load('reverb');
    expect(await code(client.load('reverb'))).toBe('too-many-instances');
    await client.unload(second.instance);
    await client.unload(instance);
    expect(client.closed).toBeUndefined();
  });
});
