import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, type TimedEvent } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { render } from '../engine/render.ts';
import { sampleHash } from '../golden/goldenHash.ts';
import { Prng } from '../dsp/prng.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { BridgeClient } from './bridgeClient.ts';
import { BridgeServer } from './bridgeServer.ts';
import { CHUNK_FRAMES } from './protocol.ts';

/**
 * Audio through the bridge is the offline render's, sample for sample (sample hash): the same preset,
 * input and parameter changes at the same frames — one in the middle of a chunk — with the last chunk
 * a short one. A parameter change the bridge ignored or applied at another frame changes the hash
 * (the last case shows the test can tell).
 */
const TOKEN = 'render-token';
const FRAMES = 24_000 + CHUNK_FRAMES / 2; // 0.5 s at 48 kHz and a half chunk
const CASES = [
  { engine: 'reverb', preset: 'small-room', changes: [{ name: 'wetDry', value: 0.8, frame: 5000 }, { name: 'rt60Seconds', value: 0.4, frame: 12_345 }] },
  { engine: 'lossy', preset: 'phone-narrowband', changes: [{ name: 'bitcrush.bitDepth', value: 4, frame: 1001 }, { name: 'outputGainDb', value: -12, frame: 10_001 }] },
] as const;

function noiseInput(seed: number): Float32Array[] {
  const rng = new Prng(seed);
  return [0, 1].map(() => Float32Array.from({ length: FRAMES }, (_, i) => (i % 9600 < 2400 ? 0.5 * rng.nextBipolar() : 0)));
}

function offline(engine: string, preset: string, input: Float32Array[], events: TimedEvent[]): string {
  const entry = engineEntry(engine);
  const e = entry.create(parseParams(entry.paramsSchema, loadPreset(engine, preset).params, preset));
  return sampleHash(render(e, { sampleRate: 48000, blockFrames: CHUNK_FRAMES, frames: FRAMES, input, events }));
}

describe('bridge output against the offline render', () => {
  let bridge: BridgeServer;
  let client: BridgeClient;
  beforeAll(async () => {
    bridge = new BridgeServer({ port: 0, token: TOKEN, log: () => {} });
    await bridge.start();
    client = await BridgeClient.connect(bridge.wsUrl, { token: TOKEN });
  });
  afterAll(async () => {
    await client.close();
    await bridge.stop();
  });

  it.each(CASES)('$engine/$preset with SET_PARAM at given frames is bit-identical to render()', async ({ engine, preset, changes }) => {
    const loaded = await client.load(engine, { preset, channels: 2 });
    const input = noiseInput(7);
    // Sent before the stream: each takes effect at its frame of the instance's stream.
    await Promise.all(changes.map((c) => client.setParam(loaded.instance, c.name, c.value, c.frame)));
    const out = await client.processSignal(loaded.instance, input, FRAMES, { depth: 8 });
    const events = changes.map((c) => at.param(c.frame, loaded.paramNames.indexOf(c.name), c.value));
    expect(sampleHash(out)).toBe(offline(engine, preset, input, events));
    // The same comparison tells a change applied one frame late (so a bridge that slipped would fail).
    const slipped = changes.map((c) => at.param(c.frame + 1, loaded.paramNames.indexOf(c.name), c.value));
    expect(sampleHash(out)).not.toBe(offline(engine, preset, input, slipped));
    const unloaded = await client.unload(loaded.instance);
    expect(unloaded.counts).toMatchObject({ chunksIn: Math.ceil(FRAMES / CHUNK_FRAMES), chunksOut: Math.ceil(FRAMES / CHUNK_FRAMES), sequenceGaps: 0, duplicates: 0, lateParams: 0 });
  });
});
