import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../../src/engine/params.ts';
import { RigError } from '../../src/host/audioRig.ts';
import { JsonTextError, parseJsonText } from '../../src/io/jsonText.ts';
import { virtualRigOptionsSchema } from './virtualRigOptions.ts';

/**
 * A rig file (hil/rigs/*.json) describes one audio interface and how it is wired. Channels are
 * 0-based. `channelMap[k]` is the input that output k is wired to (−1 = not wired); default identity.
 */
/** The rig file format version, under the key every format uses (`formatVersion`; rig files once said `version`). */
export const RIG_FORMAT_VERSION = 1;

const common = {
  $schema: z.string().optional(),
  formatVersion: z.literal(RIG_FORMAT_VERSION),
  name: z.string().min(1),
  description: z.string().optional(),
  sampleRate: z.number().int().min(8000).max(384000),
  periodFrames: z.number().int().min(16).max(8192),
  inputChannels: z.number().int().min(1).max(256),
  outputChannels: z.number().int().min(1).max(256),
  channelMap: z.array(z.number().int().min(-1).max(255)).optional().describe('channelMap[k]: the input output k is wired to, both 0-based (interface channel 1 is 0); -1: not wired. Default: output k to input k'),
  /** A spare wired pair for a pilot tone (dropout detection), not used by the engine. */
  pilot: z.strictObject({ output: z.number().int().min(0), input: z.number().int().min(0) }).optional().describe('a spare wired pair for the pilot tone, 0-based output and input'),
};

const naudiodon = {
  /** PortAudio device name (exact, or a substring matching exactly one device). */
  device: z.string().min(1),
  hostApi: z.string().optional(),
  /** Silent periods queued ahead of the first output (the rig's stream buffering). */
  prefillPeriods: z.number().int().min(0).max(16).default(2),
  maxQueuePeriods: z.number().int().min(2).max(64).default(8),
  /** Periods the host API adds beyond the prefill, measured for this backend (JACK via PortAudio: 1). */
  extraBufferingPeriods: z.number().int().min(0).max(16).default(0),
};

/** How a JACK rig starts its server (the naudiodon `jack` backend and the native `jack-native` one). */
const jackServerKeys = {
  /** Start jackd with the dummy backend when no server runs (and stop it afterwards). */
  startServer: z.boolean().default(true),
  loopbackPorts: z.number().int().min(1).max(256).default(32),
  /**
   * Start it with -R (realtime scheduling; jackd falls back to normal scheduling, and says so, where
   * the user may not have it). The dummy driver's timer then keeps time (measured: ~1 driver xrun
   * per 10 s instead of ~2 per second).
   */
  realtime: z.boolean().default(false),
  /**
   * Start it with -S (synchronous: each cycle waits until the clients have finished it). A late
   * client then delays the dummy device's clock — a driver xrun, counted — instead of losing its
   * period, so the content check sees the data path alone.
   */
  sync: z.boolean().default(false),
};

export const rigFileSchema = z.discriminatedUnion('backend', [
  z.strictObject({ ...common, backend: z.literal('portaudio'), ...naudiodon }),
  z.strictObject({
    ...common, backend: z.literal('jack'), ...naudiodon,
    jack: z.strictObject(jackServerKeys).prefault({}),
  }),
  z.strictObject({
    ...common, backend: z.literal('jack-native'),
    jack: z.strictObject({
      ...jackServerKeys,
      /**
       * Blocks the worker keeps rendered ahead of the native callback (streamBufferingFrames = fillPeriods
       * · periodFrames): the time the engine has for a block. A late block costs a counted underrun of
       * silence, never a wait.
       */
      fillPeriods: z.number().int().min(1).max(16).default(2),
      /** Slots of the input and output rings: how far the worker may fall behind before input periods are lost. */
      ringPeriods: z.number().int().min(4).max(4096).default(256),
      /** A named JACK server (jackd -n NAME), so that it does not meet another user's default server. */
      serverName: z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/).optional(),
      /** JACK ports feeding our inputs / fed by our outputs, by index; default the loopback ports (capture_k → input k−1, output k−1 → playback_k). */
      connectInputs: z.array(z.string().max(255)).max(256).optional(),
      connectOutputs: z.array(z.string().max(255)).max(256).optional(),
    }).prefault({}),
  }),
  z.strictObject({
    ...common, backend: z.literal('virtual'),
    virtual: virtualRigOptionsSchema.omit({ sampleRate: true, periodFrames: true, inputChannels: true, outputChannels: true, channelMap: true }).prefault({}),
  }),
]);
export type RigFile = z.output<typeof rigFileSchema>;

/**
 * Rig files written before the version key was unified say `"version": 1`; read as `formatVersion`.
 * A file with both keys keeps both, and the unknown `version` is reported.
 */
export function migrateRigFile(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const { version, ...rest } = json as Record<string, unknown>;
  return 'version' in json && !('formatVersion' in json) ? { formatVersion: version, ...rest } : json;
}

/** "$.channelMap[3]" from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
}

/** Reads and validates a rig file; every error names the file, the JSON path and the expectation. */
export function readRigFile(file: string): RigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RigError(`rig file ${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = parseJsonText(text, file);
  } catch (err) {
    if (err instanceof JsonTextError) throw new RigError(`rig file ${file}: not valid JSON at line ${err.line}, column ${err.column}: ${err.reason}`);
    throw err;
  }
  json = migrateRigFile(json);
  const parsed = rigFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error, json, jsonPath).slice(0, 5);
    throw new RigError(`rig file ${file}: ${lines.join('; ')}`);
  }
  const rig = parsed.data;
  const map = rig.channelMap;
  if (map) {
    if (map.length !== rig.outputChannels) throw new RigError(`rig file ${file}: $.channelMap: expected ${rig.outputChannels} entries (one per output), got ${map.length}`);
    const bad = map.findIndex((i) => i >= rig.inputChannels);
    if (bad >= 0) throw new RigError(`rig file ${file}: $.channelMap[${bad}]: expected an input −1…${rig.inputChannels - 1}, got ${map[bad]}`);
  }
  if (rig.pilot && (rig.pilot.output >= rig.outputChannels || rig.pilot.input >= rig.inputChannels)) {
    throw new RigError(`rig file ${file}: $.pilot: expected output < ${rig.outputChannels} and input < ${rig.inputChannels}`);
  }
  return rig;
}
