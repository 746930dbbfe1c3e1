import { pathToFileURL } from 'node:url';
import type { AudioRig } from '../../src/host/audioRig.ts';
import { captureThrough } from '../rigs/captureThrough.ts';
import { JackRig } from '../rigs/jackRig.ts';
import { loadRig } from '../rigs/loadRig.ts';
import { runJackIodelay } from './jackIodelay.ts';
import { ensureJackServer } from './jackServer.ts';
import { loadedPortaudioLibraries, reexecWithDebianPortaudio } from './portaudioLibrary.ts';

export interface JackProbeResult {
  portaudioLibraries: string[];
  server: string;
  streamBufferingFrames: number;
  /** Per output k: the input where its impulse came back (−1 none) and the round trip in frames. */
  channels: { output: number; input: number; roundTripFrames: number; peak: number }[];
  /** Round trip minus the rig's known buffering: the device part (PortAudio + JACK loop). */
  deviceFramesMedian: number;
  iodelayFrames: number | null;
  stats: AudioRig['stats'];
}

const SPACING = 1024;

/**
 * Probes the jack rig end to end: one impulse per output, SPACING frames apart, captured on all
 * inputs; then jack_iodelay on loopback port 1 of the same server. Run as a script (it re-executes
 * itself with Debian's PortAudio preloaded) and prints one JSON line.
 */
export async function probeJackRig(rigName = 'jack'): Promise<JackProbeResult> {
  const rig = loadRig(rigName);
  const scheduling = rig instanceof JackRig ? rig.serverScheduling : {};
  const server = await ensureJackServer({ sampleRate: rig.sampleRate, periodFrames: rig.periodFrames, loopbackPorts: 32, systemPorts: 32, ...scheduling });
  try {
    const signals = Array.from({ length: rig.outputChannels }, (_, k) => {
      const s = new Float32Array((k + 1) * SPACING);
      s[k * SPACING] = 0.5;
      return s;
    });
    const frames = (rig.outputChannels + 2) * SPACING;
    const cap = await captureThrough(rig, signals, frames, { leadPeriods: 50 });
    const channels = signals.map((_, k) => {
      let best = { input: -1, pos: -1, peak: 0 };
      for (let i = 0; i < cap.inputs.length; i++) {
        const x = cap.inputs[i];
        for (let j = k * SPACING; j < Math.min(x.length, (k + 1) * SPACING + SPACING); j++) {
          if (Math.abs(x[j]) > Math.abs(best.peak)) best = { input: i, pos: j, peak: x[j] };
        }
      }
      return { output: k, input: best.input, roundTripFrames: best.pos - k * SPACING, peak: best.peak };
    });
    const sorted = channels.map((c) => c.roundTripFrames).sort((a, b) => a - b);
    let iodelayFrames: number | null = null;
    try {
      iodelayFrames = (await runJackIodelay(1, 1.5)).roundTripFrames;
    } catch {
      iodelayFrames = null;
    }
    return {
      portaudioLibraries: loadedPortaudioLibraries(),
      server: server.description,
      streamBufferingFrames: cap.streamBufferingFrames,
      channels,
      deviceFramesMedian: sorted[sorted.length >> 1] - cap.streamBufferingFrames,
      iodelayFrames,
      stats: { ...rig.stats, serverXruns: server.xruns },
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await reexecWithDebianPortaudio();
  try {
    process.stdout.write(`${JSON.stringify(await probeJackRig(process.argv[2]))}\n`);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
    process.exitCode = 1;
  }
}
