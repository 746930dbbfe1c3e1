import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { type AudioRig, RigError, identityMap } from '../../src/host/audioRig.ts';
import { JackNativeRig } from './jackNativeRig.ts';
import { REPO_ROOT } from '../../src/presets/workspace.ts';
import { JackRig } from './jackRig.ts';
import { PortaudioRig } from './portaudioRig.ts';
import { type RigFile, readRigFile } from './rigFile.ts';
import { VirtualRig } from './virtualRig.ts';
import type { VirtualRigOptions } from './virtualRigOptions.ts';

/** The bundled rig files (the package's hil/rigs/, from the sources or from the build in dist/). */
const RIGS_DIR = join(REPO_ROOT, 'hil', 'rigs');

export interface LoadRigOverrides {
  /** Virtual rig only: simulated (default for 'virtual') or realtime. */
  clock?: 'simulated' | 'realtime';
  /** Extra virtual-rig options (latency, faults, …) merged over the defaults. */
  virtual?: VirtualRigOptions;
  /** PortAudio/JACK rigs: override the file's prefillPeriods (latency vs. robustness). */
  prefillPeriods?: number;
}

/**
 * The main job's default rig: 48 kHz, 64-frame periods, 32 × 32, one period of stream buffering and a
 * 64-sample device loop — the JACK loopback at 64 frames (`jack-loopback-64`), where the latency probe
 * measured p99 3.46 ms against the 5 ms product budget. At 128 frames (`virtual-128`, `jack`) the
 * untimestamped path cannot meet 5 ms (a period's wait, a period of buffering and half the loop: p99
 * 6.4–6.8 ms measured); the report's period table shows both.
 */
export const DEFAULT_VIRTUAL_RIG: VirtualRigOptions = { sampleRate: 48000, periodFrames: 64, latencySamples: 64, bufferPeriods: 1 };

/**
 * Resolves a rig by name or file:
 * - 'virtual' (default): the built-in virtual rig, DEFAULT_VIRTUAL_RIG (64 frames, loop 64 samples).
 * - 'jack': hil/rigs/jack-loopback.json (naudiodon → PortAudio → jackd).
 * - 'jack-native': hil/rigs/jack-native.json (the native JACK client; engine in a worker).
 * - a path to a rig file, or the name of one in hil/rigs/ (with or without .json).
 */
export function loadRig(nameOrFile = 'virtual', overrides: LoadRigOverrides = {}): AudioRig {
  if (nameOrFile === 'virtual') {
    return new VirtualRig({ ...DEFAULT_VIRTUAL_RIG, clock: overrides.clock ?? 'simulated', ...overrides.virtual }, 'virtual');
  }
  return rigFromFile(readRigFile(rigFilePath(nameOrFile)), overrides);
}

/** The file a rig name or path stands for; an unknown name lists the known ones. */
export function rigFilePath(nameOrFile: string): string {
  const candidates = nameOrFile === 'jack'
    ? [join(RIGS_DIR, 'jack-loopback.json')]
    : isAbsolute(nameOrFile) ? [nameOrFile] : [nameOrFile, join(RIGS_DIR, nameOrFile), join(RIGS_DIR, `${nameOrFile}.json`)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new RigError(`unknown rig "${nameOrFile}": not 'virtual', 'jack' or a rig file; known rigs: ${knownRigNames().join(', ')} (or a path to a rig file)`);
  return file;
}


/** The rigs a name can select: the built-in ones, then the rig files in hil/rigs/ (examples excluded). */
export function knownRigNames(): string[] {
  const files = readdirSync(RIGS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.example.json')).map((f) => f.slice(0, -5)).sort();
  return ['virtual', 'jack', ...files];
}

export function rigFromFile(f: RigFile, overrides: LoadRigOverrides = {}): AudioRig {
  // The file's 0-based keys as the AudioRig interface names them (channelMap; pilot output / input).
  const channelMap = f.inputIndexPerOutput ?? identityMap(f.outputChannels, f.inputChannels);
  const pilot = f.pilot && { output: f.pilot.outputIndex, input: f.pilot.inputIndex };
  const shared = {
    name: f.name, sampleRate: f.sampleRate, periodFrames: f.periodFrames, inputChannels: f.inputChannels,
    outputChannels: f.outputChannels, channelMap, pilot,
  };
  switch (f.backend) {
    case 'virtual':
      return new VirtualRig({
        ...f.virtual, ...overrides.virtual, clock: overrides.clock ?? f.virtual.clock,
        sampleRate: f.sampleRate, periodFrames: f.periodFrames, inputChannels: f.inputChannels,
        outputChannels: f.outputChannels, channelMap: f.inputIndexPerOutput,
      }, f.name);
    case 'jack':
      return new JackRig({
        ...shared, device: f.device, hostApi: f.hostApi, prefillPeriods: overrides.prefillPeriods ?? f.prefillPeriods, maxQueuePeriods: f.maxQueuePeriods, extraBufferingPeriods: f.extraBufferingPeriods,
        startServer: f.jack.startServer, loopbackPorts: f.jack.loopbackPorts, realtime: f.jack.realtime, sync: f.jack.sync,
      });
    case 'jack-native':
      return new JackNativeRig({ ...shared, ...f.jack });
    case 'portaudio':
      return new PortaudioRig({ ...shared, device: f.device, hostApi: f.hostApi, prefillPeriods: overrides.prefillPeriods ?? f.prefillPeriods, maxQueuePeriods: f.maxQueuePeriods, extraBufferingPeriods: f.extraBufferingPeriods });
  }
}
