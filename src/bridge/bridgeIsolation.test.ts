import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseParams } from '../engine/params.ts';
import { setPrepareWarmUp } from '../engine/prepareWarmUp.ts';
import { render } from '../engine/render.ts';
import { sampleHash } from '../golden/goldenHash.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { chunkChannel } from './audioChunk.ts';
import { BridgeClient } from './bridgeClient.ts';
import { BridgeServer } from './bridgeServer.ts';
import { CHUNK_FRAMES, type ServerMessage } from './protocol.ts';

/**
 * An instance whose engine throws, or hangs, mid-stream is unloaded and reported; the bridge and another
 * instance streaming beside it go on without a gap, and that instance's audio is still the offline render's.
 */
const FAULTY = fileURLToPath(new URL('./fixtures/faultyEngine.ts', import.meta.url));
const TOKEN = 'isolation-token';
const CHUNKS = 60;
const FAIL_AT = 20;
// Long enough that a healthy instance starved by a loaded machine (load average 17 seen) is not taken for hung.
const WATCHDOG_MS = 1500;

function input(frames: number): Float32Array[] {
  return [0, 1].map((c) => Float32Array.from({ length: frames }, (_, i) => 0.3 * Math.sin(i * (0.01 + 0.003 * c)) * (i % 4800 < 480 ? 1 : 0.1)));
}

/**
 * The reverb preset rendered offline over the same input: what the bridge must send back. Without the prepare()
 * warm-up, which changes no output (prepareWarmUp.test.ts, bit for bit) and was most of the render's CPU here.
 */
function offlineReverb(x: Float32Array[], frames: number): string {
  const entry = engineEntry('reverb');
  const warmUp = setPrepareWarmUp(false);
  try {
    const engine = entry.create(parseParams(entry.paramsSchema, loadPreset('reverb', 'small-room').params, 'small-room'));
    return sampleHash(render(engine, { sampleRate: 48000, blockFrames: CHUNK_FRAMES, frames, input: x }));
  } finally {
    setPrepareWarmUp(warmUp);
  }
}

describe('bridge instance isolation', () => {
  let bridge: BridgeServer;
  // The input both cases stream and its offline render, made once for the file (the same for throw and hang).
  const frames = CHUNKS * CHUNK_FRAMES;
  const x = input(frames);
  let expectedHash: string;
  beforeAll(async () => {
    expectedHash = offlineReverb(x, frames);
    bridge = new BridgeServer({ port: 0, token: TOKEN, engineModules: [FAULTY], log: () => {}, limits: { watchdogMs: WATCHDOG_MS } });
    await bridge.start();
  });
  afterAll(async () => { await bridge.stop(); });

  it.each(['throw', 'hang'] as const)('unloads an instance that %ss mid-stream and reports it; the reverb beside it streams on without a gap, bit-identical to its offline render', async (mode) => {
    const client = await BridgeClient.connect(bridge.wsUrl, { token: TOKEN });
    const failures: Extract<ServerMessage, { type: 'INSTANCE_FAILED' }>[] = [];
    client.on('instanceFailed', (m) => failures.push(m));
    // The failure's report, awaited as the event it is (it was a fixed 2 × WATCHDOG_MS sleep, ~1.5 s more than the watchdog takes).
    const reported = new Promise<void>((resolve) => client.once('instanceFailed', () => resolve()));
    const failureReported = () => Promise.race([reported, new Promise((_, reject) => setTimeout(() => reject(new Error('no INSTANCE_FAILED within 20 s')), 20_000).unref())]);
    const [faulty, reverb] = await Promise.all([
      client.load('bridge-faulty', { params: { failAtChunk: FAIL_AT, mode } }),
      client.load('reverb', { preset: 'small-room' }),
    ]);
    expect(bridge.instanceCount).toBe(2);
    const out = [new Float32Array(frames), new Float32Array(frames)];
    const answered: number[] = [];
    for (let s = 0; s < CHUNKS; s++) {
      const slice = x.map((c) => c.slice(s * CHUNK_FRAMES, (s + 1) * CHUNK_FRAMES));
      if (failures.length === 0) client.sendChunk(faulty.instance, s, slice);
      const reply = await client.roundTrip(reverb.instance, s, slice);
      answered.push(reply.sequence);
      for (let c = 0; c < 2; c++) out[c].set(chunkChannel(reply, c), s * CHUNK_FRAMES);
      // The hung instance is given up by the watchdog while the reverb waits; the reverb then streams on.
      if (s === FAIL_AT + 1 && mode === 'hang') await failureReported();
    }
    await failureReported();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ instance: faulty.instance, reason: mode === 'throw' ? 'threw' : 'hung' });
    if (mode === 'throw') expect(failures[0].message).toMatch(/failing on purpose at chunk 20/);
    expect(failures[0].counts.chunksOut).toBe(FAIL_AT);
    expect(answered).toEqual(Array.from({ length: CHUNKS }, (_, s) => s));
    expect(sampleHash(out)).toBe(expectedHash);
    expect(bridge.instanceCount).toBe(1);
    await expect(client.unload(faulty.instance)).rejects.toThrow(/no instance/);
    const stats = await client.stats();
    expect(stats.connection[`instance.${mode === 'throw' ? 'threw' : 'hung'}`]).toBe(1);
    await client.unload(reverb.instance);
    await client.close();
  });
});

