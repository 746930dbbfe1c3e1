import { beforeAll, describe, expect, it } from 'vitest';
import { Prng } from '../dsp/prng.ts';
import { render } from '../engine/render.ts';
import type { TimedEvent } from '../engine/events.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { commandEventRows, rowsToTimedEvents } from './commandEvents.ts';
import { createEngine, type EngineSpec } from './engineSpec.ts';
import { JsRingRig } from './jack/jsRingRig.ts';
import { playThroughRingRig } from './jack/playThroughRingRig.ts';
import { RigServer } from './rigServer.ts';

const SAMPLE_RATE = 48000;
const FRAMES = 48000;
const FILL_PERIODS = 2;
const SEED = 13;
const spec: EngineSpec = { kind: 'haptic' };

/**
 * A seeded performance: notes on every channel, MPE, a parameter change — all frame-timestamped. (No
 * panic: the live host applies a panic at the next period whatever its timestamp, by design.)
 */
function performance(): ControlCommand[] {
  const rng = new Prng(SEED);
  const int = (lo: number, hi: number) => lo + (rng.nextUint32() % (hi - lo + 1));
  const cmds: ControlCommand[] = [];
  for (let i = 0; i < 60; i++) {
    const frame = int(0, 0.8 * FRAMES);
    const channel = int(0, 15);
    const note = int(36, 84);
    cmds.push({ type: 'noteOn', channel, note, velocity: int(40, 127), timestamp: { kind: 'frame', frame } });
    cmds.push({ type: 'mpe', channel, pressure: rng.nextFloat(), bend: 2 * rng.nextFloat() - 1, timbre: rng.nextFloat(), timestamp: { kind: 'frame', frame: frame + int(1, 2000) } });
    cmds.push({ type: 'noteOff', channel, note, velocity: 64, timestamp: { kind: 'frame', frame: frame + int(500, 9000) } });
  }
  cmds.push({ type: 'param', name: 'masterGainDb', value: -6, timestamp: { kind: 'frame', frame: 0.5 * FRAMES + 17 } });
  return cmds;
}

async function offline(periodFrames: number, cmds: readonly ControlCommand[]): Promise<Float32Array[]> {
  const engine = await createEngine(spec);
  const events: TimedEvent[] = cmds.flatMap((c) => {
    const rows = commandEventRows(c, engine.paramNames);
    if (typeof rows === 'string') throw new Error(rows);
    return rowsToTimedEvents(rows, c.timestamp?.kind === 'frame' ? c.timestamp.frame : 0);
  });
  return render(engine, { sampleRate: SAMPLE_RATE, blockFrames: periodFrames, frames: FRAMES, events });
}

/**
 * The live path: commands through RigServer.submit (event rows → command ring → the host's pending
 * list → engine blocks) on a JsRingRig; what the rig played at output frame t is engine frame
 * t − streamBufferingFrames. `engineSpec` chooses the worker strategy, its absence the in-thread one.
 */
async function live(periodFrames: number, cmds: readonly ControlCommand[], worker: boolean): Promise<Float32Array[]> {
  const rig = new JsRingRig({ sampleRate: SAMPLE_RATE, periodFrames, inputChannels: 1, outputChannels: 32, fillPeriods: FILL_PERIODS });
  const server = new RigServer({ rig, engine: await createEngine(spec), engineSpec: worker ? spec : undefined, osc: false, socketPath: false, log: () => {} });
  let played: Float32Array[] = [];
  await server.start();
  try {
    expect(server.runner.constructor.name).toBe(worker ? 'WorkerHostRunner' : 'InThreadHostRunner');
    for (const c of cmds) expect(server.submit(c)).toMatchObject({ ok: true });
    played = await playThroughRingRig(rig, FRAMES, worker);
    expect(server.status().counts.lateEvents).toBe(0);
  } finally {
    await server.stop();
  }
  return played;
}

/** First (channel, frame) where a and b differ, or null. */
function firstDifference(a: readonly Float32Array[], b: readonly Float32Array[]): [number, number] | null {
  for (let k = 0; k < a.length; k++) for (let j = 0; j < a[k].length; j++) if (!Object.is(a[k][j], b[k][j])) return [k, j];
  return null;
}

describe('the live host agrees with the offline renderer bit for bit', () => {
  const cmds = performance();
  describe.each([64, 128])('%i-frame periods', (periodFrames) => {
    let expected: Float32Array[] = [];
    beforeAll(async () => {
      expected = await offline(periodFrames, cmds);
    });

    it('the reference is not silent', () => {
      const peak = Math.max(...expected.map((ch) => ch.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
      const sounding = expected.filter((ch) => ch.some((v) => v !== 0)).length;
      expect(peak).toBeGreaterThan(0.01);
      expect(sounding).toBeGreaterThanOrEqual(16);
    });

    it.each([['a worker host (native JACK strategy, fake cycle source)', true], ['the in-thread host', false]])('through %s', async (_name, worker) => {
      const played = await live(periodFrames, cmds, worker as boolean);
      expect(firstDifference(played, expected)).toBeNull();
    });
  });
});
