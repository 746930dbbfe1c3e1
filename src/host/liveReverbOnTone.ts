import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { parseParams } from '../engine/params.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { type ReverbParamsInput, reverbParamsSchema } from '../reverb/reverbParams.ts';
import { RigServer } from './rigServer.ts';

/** The test tone of the click-free checks: 100 Hz at 0.25 (its own largest step 2π·f·A/fs = 0.0033 at 48 kHz). */
export const TEST_TONE = { frequencyHz: 100, amplitude: 0.25 };

/**
 * A live reverb for the click-free tests (liveSmoothing.test.ts, structuralSwitch.test.ts): a RigServer on
 * a simulated 48 kHz virtual rig of 64-frame periods, fed TEST_TONE, with its OSC bridge (no sockets) and
 * the left output played so far in `played`. Started; the caller advances the rig and stops the server.
 */
export async function liveReverbOnTone(config: Partial<ReverbParamsInput>, crossfadeMs?: number): Promise<{ rig: VirtualRig; server: RigServer; played: number[] }> {
  const params = parseParams(reverbParamsSchema, config, 'test');
  const rig = new VirtualRig({ sampleRate: 48000, periodFrames: 64, latencySamples: 64, clock: 'simulated' });
  const played: number[] = [];
  const server = new RigServer({
    rig, engine: new FdnReverb(params), osc: false, socketPath: false, log: () => {},
    source: { kind: 'tone', ...TEST_TONE },
    onPeriod: (p) => { for (let j = 0; j < p.frames; j++) played.push(p.outputs[0][j]); },
    effect: { entry: engineEntry('reverb'), params, shippedPresetsDir: '/nonexistent', userPresetsDir: '/nonexistent', snapshotsDir: '/nonexistent', crossfadeMs },
  });
  await server.start();
  return { rig, server, played };
}
