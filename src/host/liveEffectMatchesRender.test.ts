import { describe, expect, it } from 'vitest';
import { seededRecording } from './seededRecording.ts';
import { render } from '../engine/render.ts';
import type { TimedEvent } from '../engine/events.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';
import { parseParams } from '../engine/params.ts';
import { commandEventRows, rowsToTimedEvents } from './commandEvents.ts';
import { type EngineSpec, createEngine } from './engineSpec.ts';
import type { SourceSpec } from './effectSource.ts';
import { JsRingRig } from './jack/jsRingRig.ts';
import { playThroughRingRig } from './jack/playThroughRingRig.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { RigServer } from './rigServer.ts';

const FS = 48000;
const FRAMES = 24000;
const PERIOD = 64;
const config = { lines: 8, rt60Seconds: 0.8, wetDry: 0.5 };
const spec: EngineSpec = { kind: 'entry', engine: 'reverb', config };

/** A 0.15 s seeded recording on shared memory (as readWav gives it), looped by the source. */
const recording = seededRecording(21);
const source: SourceSpec = { kind: 'loop', channels: [recording], name: 'seeded' };

/** Frame-timestamped parameter changes: the mix and the decay, mid-period. */
const commands: ControlCommand[] = [
  { type: 'param', name: 'wetDry', value: 0.9, timestamp: { kind: 'frame', frame: 5003 } },
  { type: 'param', name: 'rt60Seconds', value: 2, timestamp: { kind: 'frame', frame: 9001 } },
  { type: 'param', name: 'preDelaySamples', value: 300, timestamp: { kind: 'frame', frame: 15000 } },
];

async function offline(): Promise<Float32Array[]> {
  const engine = await createEngine(spec);
  const looped = Float32Array.from({ length: FRAMES }, (_, i) => recording[i % recording.length]);
  const events: TimedEvent[] = commands.flatMap((c) => {
    const rows = commandEventRows(c, engine.paramNames);
    if (typeof rows === 'string') throw new Error(rows);
    return rowsToTimedEvents(rows, c.timestamp?.kind === 'frame' ? c.timestamp.frame : 0);
  });
  return render(engine, { sampleRate: FS, blockFrames: PERIOD, frames: FRAMES, events, input: [looped, looped] });
}

/** The live effect on a JsRingRig, in a worker or in this thread, with the same source as data. */
async function live(worker: boolean): Promise<Float32Array[]> {
  const rig = new JsRingRig({ sampleRate: FS, periodFrames: PERIOD, inputChannels: 2, outputChannels: 2, fillPeriods: 2 });
  const entry = engineEntry('reverb');
  const server = new RigServer({
    rig, engine: await createEngine(spec), engineSpec: worker ? spec : undefined, osc: false, socketPath: false, log: () => {}, source,
    effect: { entry, params: parseParams(reverbParamsSchema, config, 'test'), shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent' },
  });
  let played: Float32Array[] = [];
  await server.start();
  try {
    expect(server.runner.constructor.name).toBe(worker ? 'WorkerHostRunner' : 'InThreadHostRunner');
    for (const c of commands) expect(server.submit(c)).toMatchObject({ ok: true });
    played = await playThroughRingRig(rig, FRAMES, worker);
  } finally {
    await server.stop();
  }
  return played;
}

describe('a live effect agrees with the offline renderer bit for bit (looped source, timed parameter changes)', () => {
  it.each([['a worker host (native JACK strategy, fake cycle source)', true], ['the in-thread host', false]])('through %s', async (_name, worker) => {
    const expected = await offline();
    expect(Math.max(...expected[0].map(Math.abs))).toBeGreaterThan(0.05);
    const played = await live(worker as boolean);
    const diff = played.flatMap((ch, k) => { const j = ch.findIndex((v, i) => !Object.is(v, expected[k][i])); return j < 0 ? [] : [[k, j]]; });
    expect(diff).toEqual([]);
  });
});
