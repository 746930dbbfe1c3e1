import { describe, expect, it } from 'vitest';
import { largestStep } from '../analysis/largestStep.ts';
import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { type CrossfadeEngine, stagedSwitches } from '../engine/crossfadeEngine.ts';
import { at } from '../engine/events.ts';
import { parseParams } from '../engine/params.ts';
import { render } from '../engine/render.ts';
import { seededRecording } from './seededRecording.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';
import type { SourceSpec } from './effectSource.ts';
import { liveReverbOnTone } from './liveReverbOnTone.ts';
import { RigServer } from './rigServer.ts';
import { until } from './testClients.ts';

/**
 * A structural change sent to the live reverb over its OSC bridge (`lines` 8 → 16: a new engine built on
 * the control thread, crossfaded in over F = 10 ms by the audio side): no click in what the rig plays.
 * With out = (1 − g)·old + new(g·x), g rising by 1/F a sample (crossfadeEngine.ts),
 *   |Δout| ≤ max(|Δold|, |Δnew|) + (max|old| + max|new|)/F,
 * where |Δold| and max|old| are measured on the output before the switch, |Δnew| and max|new| after it
 * has settled (5 % margin for a window not catching a sine's exact peak step).
 */
const FS = 48000;
const PERIOD = 64;
const BEFORE = { wetDry: 0.5, rt60Seconds: 0.5, lines: 8 } as const;

interface Run { appliedAt: number; stepBefore: number; peakBefore: number; stepAfter: number; peakAfter: number; stepAtSwitch: number; fadeFrames: number }

async function switchOnLiveHost(crossfadeMs: number): Promise<Run> {
  const { rig, server, played } = await liveReverbOnTone(BEFORE, crossfadeMs);
  try {
    rig.advance(Math.round((1.5 * FS) / PERIOD)); // the tail settles on the tone
    server.effect?.bridge.handle({ kind: 'param', name: 'lines', values: [16] }, { address: '127.0.0.1', port: 1 });
    await until(() => switchesLogged(server) === 1, 10_000, 'the switch built (a slice at a time, between the event loop\'s turns)');
    rig.advance(Math.round((1.5 * FS) / PERIOD));
    const entry = server.eventLog.since(0).find((e) => e.type === 'engineSwitch');
    const appliedAt = entry?.appliedFrame ?? -1;
    const window = (from: number, seconds: number) => played.slice(from, from + Math.round(seconds * FS));
    const before = window(appliedAt - Math.round(0.5 * FS), 0.5);
    const after = window(appliedAt + FS, 0.5);
    const peak = (x: number[]) => Math.max(...x.map(Math.abs));
    const slot = (server.runner as unknown as { o: { engine: CrossfadeEngine } }).o.engine;
    return {
      appliedAt, stepBefore: largestStep(before), peakBefore: peak(before), stepAfter: largestStep(after), peakAfter: peak(after),
      stepAtSwitch: largestStep(played.slice(appliedAt - 1, appliedAt + Math.round(0.1 * FS))), fadeFrames: slot.fadeFrames,
    };
  } finally {
    await server.stop();
  }
}

const switchesLogged = (server: RigServer) => server.eventLog.since(0).filter((e) => e.type === 'engineSwitch').length;

/** The bound above, for a crossfade of F frames. */
const switchBound = (r: Run, fadeFrames: number) => 1.05 * Math.max(r.stepBefore, r.stepAfter) + (r.peakBefore + r.peakAfter) / fadeFrames;

describe('a structural change on the live host', () => {
  it('keeps the largest sample step at the switch (lines 8 → 16) within the 10 ms crossfade bound', async () => {
    const run = await switchOnLiveHost(10);
    expect(run.appliedAt).toBeGreaterThan(1.5 * FS - PERIOD);
    expect(run.fadeFrames).toBe(480);
    expect(run.stepAtSwitch).toBeLessThanOrEqual(switchBound(run, 480));
  });

  it('the same check catches the click of a switch without a crossfade (1 frame)', async () => {
    const run = await switchOnLiveHost(0);
    expect(run.fadeFrames).toBe(1);
    expect(run.stepAtSwitch).toBeGreaterThan(2 * switchBound(run, 480));
  });

  it('plays bit for bit what render() makes of the same input with the switch at the frame the server applied it', async () => {
    const frames = 24000;
    const recording = seededRecording(8);
    const source: SourceSpec = { kind: 'loop', channels: [recording], name: 'seeded' };
    const params = parseParams(reverbParamsSchema, BEFORE, 'test');
    const rig = new VirtualRig({ sampleRate: FS, periodFrames: PERIOD, latencySamples: 64, clock: 'simulated' });
    const played = [new Float32Array(frames), new Float32Array(frames)];
    const server = new RigServer({
      rig, engine: new FdnReverb(params), osc: false, socketPath: false, log: () => {}, source,
      onPeriod: (p) => { for (let k = 0; k < 2; k++) for (let j = 0; j < p.frames && p.frameIndex + j < frames; j++) played[k][p.frameIndex + j] = p.outputs[k][j]; },
      effect: { entry: engineEntry('reverb'), params, shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent' },
    });
    await server.start();
    let appliedAt = -1;
    try {
      rig.advance(Math.round(6000 / PERIOD));
      server.effect?.bridge.handle({ kind: 'param', name: 'damping_coeffs', values: [0.5] }, { address: '127.0.0.1', port: 1 });
      server.effect?.bridge.handle({ kind: 'param', name: 'decayMode', values: [1] }, { address: '127.0.0.1', port: 1 }); // refused: an enum
      server.effect?.bridge.handle({ kind: 'param', name: 'delay_max_ms', values: [90] }, { address: '127.0.0.1', port: 1 }); // waits for the first
      await until(() => switchesLogged(server) === 1, 10_000, 'the first switch built');
      rig.advance(Math.ceil(960 / PERIOD)); // the first switch and its fade
      await until(() => switchesLogged(server) === 2, 10_000, 'the waiting change built once the slot is free');
      rig.advance(Math.ceil(frames / PERIOD));
      appliedAt = server.eventLog.since(0).find((e) => e.type === 'engineSwitch')?.appliedFrame ?? -1;
    } finally {
      await server.stop();
    }
    const switches = server.eventLog.since(0).filter((e) => e.type === 'engineSwitch').map((e) => e.appliedFrame ?? -1);
    expect(switches.length).toBe(2);
    // Offline: the same slot, each change's engine built from the parameters the server built it with.
    const slot = stagedSwitches(new FdnReverb(params), [
      { id: 1, engine: new FdnReverb({ ...params, damping: 0.5 }) },
      { id: 2, engine: new FdnReverb({ ...params, damping: 0.5, delayMaxMs: 90 }) },
    ], { sampleRate: FS, maxBlockFrames: PERIOD });
    const looped = Float32Array.from({ length: frames }, (_, i) => recording[i % recording.length]);
    const expected = render(slot, {
      sampleRate: FS, blockFrames: PERIOD, frames, input: [looped, looped], prepare: false,
      events: [at.swap(switches[0], 1), at.swap(switches[1], 2)],
    });
    expect(appliedAt).toBeGreaterThan(6000);
    expect(switches[1] - switches[0]).toBeGreaterThanOrEqual(480); // the second waited for the first fade
    for (let k = 0; k < 2; k++) expect(played[k].findIndex((v, i) => !Object.is(v, expected[k][i]))).toBe(-1);
  });
});
