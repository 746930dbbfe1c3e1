import { describe, expect, it } from 'vitest';
import { seededRecording } from './seededRecording.ts';
import { stagedSwitches } from '../engine/crossfadeEngine.ts';
import { at } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { render } from '../engine/render.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';
import type { SourceSpec } from './effectSource.ts';
import type { EngineSpec } from './engineSpec.ts';
import { createEngine } from './engineSpec.ts';
import { JsRingRig } from './jack/jsRingRig.ts';
import { RigServer } from './rigServer.ts';
import type { StructuralChanges } from './structuralChanges.ts';
import type { EngineBuildCost } from './engineBuildMailbox.ts';

/**
 * Structural changes on a worker host (the native JACK strategy: the engine lives in the render worker, which
 * builds the next engine itself between cycles, a slice at a time: workerEngineBuilds.ts), here on a JsRingRig
 * (jackClient.c's protocol in JavaScript, cycled as soon as each block is queued): what the rig plays is bit for
 * bit what render() makes of the same input through a CrossfadeEngine with each change's engine staged and its
 * Swap event at the frame the server's event log gives.
 */
const FS = 48000;
const PERIOD = 64;
const BEFORE = { wetDry: 0.5, rt60Seconds: 0.5, lines: 8 } as const;
const spec: EngineSpec = { kind: 'entry', engine: 'reverb', config: BEFORE };
const peer = { address: '127.0.0.1', port: 1 };
/** Played after the last switch (its fade and the new network's first echoes), and at most in all. */
const TAIL_FRAMES = FS;
const MAX_FRAMES = 30 * FS;
/**
 * How far ahead of the wall clock the simulated clock may run. Unpaced, the rig cycles as fast as the worker
 * renders — 25–130× real time here — while the switches wait on wall-clock steps (the control thread's 5 ms
 * retry and answer timers, a build of ~150 ms wall): MAX_FRAMES was then 0.3 s of wall time, and under load the
 * second switch missed it (1 switch instead of 2: in a full suite at load 2, and in 4 of 7 runs alone with a
 * debugging print in the loop). Paced, MAX_FRAMES is at least 30 / 8 = 3.75 s of wall time for both switches;
 * they now come 1–2 s of audio after the changes (0.15–0.25 s of wall time).
 */
const MAX_SPEED = 8;

const recording = seededRecording(8);
const source: SourceSpec = { kind: 'loop', channels: [recording], name: 'seeded' };

interface LiveRun { played: Float32Array[]; switches: number[]; errors: string[]; structure: StructuralChanges | undefined; cost: EngineBuildCost | undefined }

/**
 * Plays through a worker host, sending `changes[k]` (a bridge param message) at frame `changes[k].atFrame`, until
 * `switches` engine switches have been applied and TAIL_FRAMES after the last (the rig cycles as fast as the worker
 * renders, at most MAX_SPEED × real time, so how many frames a build spans depends on the machine); at most MAX_FRAMES.
 */
async function live(switches: number, changes: { atFrame: number; name: string; values: number[] }[]): Promise<LiveRun> {
  const rig = new JsRingRig({ sampleRate: FS, periodFrames: PERIOD, inputChannels: 2, outputChannels: 2, fillPeriods: 2 });
  const params = parseParams(reverbParamsSchema, BEFORE, 'test');
  const errors: string[] = [];
  const server = new RigServer({
    rig, engine: await createEngine(spec), engineSpec: spec, osc: false, socketPath: false, log: (line) => errors.push(line), source,
    effect: { entry: engineEntry('reverb'), params, shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent' },
  });
  server.oscSend = (packet) => { if ('address' in packet && packet.address.endsWith('/error')) errors.push(String(packet.args[0])); };
  const played = [new Float32Array(MAX_FRAMES), new Float32Array(MAX_FRAMES)];
  // A switch is logged when queued, its appliedFrame null until the render thread applies it.
  const applied = () => server.eventLog.since(0).filter((e) => e.type === 'engineSwitch' && e.appliedFrame !== null).map((e) => e.appliedFrame as number);
  let frames = MAX_FRAMES;
  await server.start();
  try {
    expect(server.runner.constructor.name).toBe('WorkerHostRunner');
    const lag = rig.streamBufferingFrames;
    const startMs = performance.now();
    let next = 0;
    for (let n = 0; n * PERIOD < frames + lag; n++) {
      while ((n * PERIOD * 1000) / FS > MAX_SPEED * (performance.now() - startMs)) await new Promise((r) => setTimeout(r, 1));
      const frame = await rig.cycleWhenReady();
      while (next < changes.length && frame >= changes[next].atFrame) {
        const c = changes[next++];
        server.effect?.bridge.handle({ kind: 'param', name: c.name, values: c.values }, peer);
      }
      if (frames === MAX_FRAMES && n % 16 === 0) {
        const done = applied();
        if (done.length >= switches) frames = Math.min(MAX_FRAMES, Math.ceil((done[switches - 1] + TAIL_FRAMES) / PERIOD) * PERIOD);
      }
      const t = frame - lag;
      if (t >= 0 && t < frames) for (let k = 0; k < 2; k++) played[k].set(rig.outputs[k].subarray(0, Math.min(PERIOD, frames - t)), t);
    }
  } finally {
    await server.stop();
  }
  const structure = server.effect?.structure;
  return {
    played: played.map((ch) => ch.slice(0, frames)), switches: applied(), errors, structure,
    cost: structure?.lastBuildCost,
  };
}

/** The same timeline offline: each change's engine staged in the slot, its Swap at the frame the server applied it. */
function offline(frames: number, engines: FdnReverb[], switches: number[]): Float32Array[] {
  const params = parseParams(reverbParamsSchema, BEFORE, 'test');
  const slot = stagedSwitches(new FdnReverb(params), engines.map((engine, k) => ({ id: k + 1, engine })), { sampleRate: FS, maxBlockFrames: PERIOD });
  const looped = Float32Array.from({ length: frames }, (_, i) => recording[i % recording.length]);
  return render(slot, { sampleRate: FS, blockFrames: PERIOD, frames, input: [looped, looped], prepare: false, events: switches.map((f, k) => at.swap(f, k + 1)) });
}

const firstDiff = (a: Float32Array[], b: Float32Array[]) => a.map((ch, k) => ch.findIndex((v, i) => !Object.is(v, b[k][i])));

describe('structural changes on a worker host (the engine built by the render thread between cycles)', () => {
  it('plays bit for bit what render() makes with each switch at the frame the server applied it (damping, then lines 8 → 16)', async () => {
    const run = await live(2, [
      { atFrame: 6000, name: 'damping_coeffs', values: [0.5] },
      { atFrame: 6000, name: 'lines', values: [16] }, // waits for the first switch's build and fade
    ]);
    expect(run.errors).toEqual([]);
    expect(run.switches.length).toBe(2);
    const frames = run.played[0].length;
    expect(run.switches[0]).toBeGreaterThan(6000);
    expect(run.switches[1] - run.switches[0]).toBeGreaterThanOrEqual(480); // after the first fade
    expect(run.switches[1], 'the second switch inside the frames played').toBeLessThan(frames - TAIL_FRAMES / 2);
    const params = parseParams(reverbParamsSchema, BEFORE, 'test');
    const expected = offline(frames, [new FdnReverb({ ...params, damping: 0.5 }), new FdnReverb({ ...params, damping: 0.5, lines: 16 })], run.switches);
    expect(Math.max(...expected[0].subarray(run.switches[1]).map(Math.abs))).toBeGreaterThan(0.05);
    expect(firstDiff(run.played, expected)).toEqual([-1, -1]);
    // Without the switches (the first engine to the end), the output differs after the first one: the comparison can fail.
    const unswitched = offline(frames, [], []);
    expect(firstDiff(run.played, unswitched)[0]).toBeGreaterThanOrEqual(run.switches[0]);
    expect(firstDiff(run.played, unswitched)[0]).toBeLessThan(run.switches[0] + 64);
    // Built in slices over many cycles (whole, it would be one): ~2000 steps, 30–60 ms of work (lines 16 was warmed up
    // before the stream started: EngineEntry.prepareThread).
    const cost = run.cost as EngineBuildCost;
    console.info(`worker build of lines 16: ${cost.steps} steps over ${cost.cycles} cycles, ${cost.stepsMs.toFixed(1)} ms of work, longest slice ${cost.maxSliceMs.toFixed(2)} ms, ${cost.wallMs.toFixed(0)} ms wall`);
    expect(cost.steps).toBeGreaterThan(1000);
    expect(cost.cycles).toBeGreaterThan(20);
  });
});
