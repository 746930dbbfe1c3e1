import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AudioRig, RigError, identityMap } from '../../src/host/audioRig.ts';
import { JackRig } from './jackRig.ts';
import { PortaudioRig } from './portaudioRig.ts';
import { type RigFile, readRigFile } from './rigFile.ts';
import { VirtualRig } from './virtualRig.ts';
import type { VirtualRigOptions } from './virtualRigOptions.ts';

const RIGS_DIR = dirname(fileURLToPath(import.meta.url));

export interface LoadRigOverrides {
  /** Virtual rig only: simulated (default for 'virtual') or realtime. */
  clock?: 'simulated' | 'realtime';
  /** Extra virtual-rig options (latency, faults, …) merged over the defaults. */
  virtual?: VirtualRigOptions;
  /** PortAudio/JACK rigs: override the file's prefillPeriods (latency vs. robustness). */
  prefillPeriods?: number;
}

/**
 * Resolves a rig by name or file:
 * - 'virtual' (default): the built-in virtual rig, 48 kHz / 128 frames / 32 × 32, latency 128 samples.
 * - 'jack': hil/rigs/jack-loopback.json.
 * - a path to a rig file, or the name of one in hil/rigs/ (with or without .json).
 */
export function loadRig(nameOrFile = 'virtual', overrides: LoadRigOverrides = {}): AudioRig {
  if (nameOrFile === 'virtual') {
    return new VirtualRig({ clock: overrides.clock ?? 'simulated', ...overrides.virtual }, 'virtual');
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
  const channelMap = f.channelMap ?? identityMap(f.outputChannels, f.inputChannels);
  const shared = {
    name: f.name, sampleRate: f.sampleRate, periodFrames: f.periodFrames, inputChannels: f.inputChannels,
    outputChannels: f.outputChannels, channelMap, pilot: f.pilot,
  };
  switch (f.backend) {
    case 'virtual':
      return new VirtualRig({
        ...f.virtual, ...overrides.virtual, clock: overrides.clock ?? f.virtual.clock,
        sampleRate: f.sampleRate, periodFrames: f.periodFrames, inputChannels: f.inputChannels,
        outputChannels: f.outputChannels, channelMap: f.channelMap,
      }, f.name);
    case 'jack':
      return new JackRig({
        ...shared, device: f.device, hostApi: f.hostApi, prefillPeriods: overrides.prefillPeriods ?? f.prefillPeriods, maxQueuePeriods: f.maxQueuePeriods, extraBufferingPeriods: f.extraBufferingPeriods,
        startServer: f.jack.startServer, loopbackPorts: f.jack.loopbackPorts, realtime: f.jack.realtime, sync: f.jack.sync,
      });
    case 'portaudio':
      return new PortaudioRig({ ...shared, device: f.device, hostApi: f.hostApi, prefillPeriods: overrides.prefillPeriods ?? f.prefillPeriods, maxQueuePeriods: f.maxQueuePeriods, extraBufferingPeriods: f.extraBufferingPeriods });
  }
}
