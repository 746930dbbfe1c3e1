import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../../src/engine/params.ts';
import { RigError } from '../../src/host/audioRig.ts';
import { JsonTextError, parseJsonText } from '../../src/io/jsonText.ts';
import { namedChannel } from '../report/channelLabel.ts';
import { virtualRigOptionsSchema } from './virtualRigOptions.ts';
import { jackServerNameProblem } from '../jack/jackServerName.ts';

/**
 * A rig file (hil/rigs/*.json) describes one audio interface and how it is wired. Keys holding a channel
 * end in `Index` and count from 0 (index 0 is the interface's channel 1): `inputIndexPerOutput[k]` is the
 * input index that output index k is wired to (−1 = not wired; default each output to the input of the
 * same index), `pilot` a spare wired pair (`outputIndex`, `inputIndex`). Every message about them that a
 * person reads numbers channels from 1 ("output 4"). Format 1 said `channelMap` and `pilot.output` /
 * `pilot.input` (same values); `upgradeRigFile` reads it.
 */
/** The rig file format version, under the key every format uses (`formatVersion`; rig files once said `version`). */
export const RIG_FORMAT_VERSION = 2;

/** The most channels a rig may have on either side. */
const MAX_CHANNELS = 256;

/**
 * A 0-based channel index. Its range depends on the rig's channel counts, so it is checked after parsing
 * (`channelIndexProblems`, in 1-based words); the JSON Schema still carries the absolute bounds.
 */
const channelIndex = (minimum: number) => z.number().int().meta({ minimum, maximum: MAX_CHANNELS - 1 });

const common = {
  $schema: z.string().optional(),
  formatVersion: z.literal(RIG_FORMAT_VERSION),
  name: z.string().min(1),
  description: z.string().optional(),
  sampleRate: z.number().int().min(8000).max(384000),
  periodFrames: z.number().int().min(16).max(8192),
  inputChannels: z.number().int().min(1).max(MAX_CHANNELS),
  outputChannels: z.number().int().min(1).max(MAX_CHANNELS),
  inputIndexPerOutput: z.array(channelIndex(-1)).max(MAX_CHANNELS).optional().describe(
    'One entry per output, in output order: inputIndexPerOutput[k] is the index of the input that output index k is wired to. '
    + 'Indices count from 0: index 0 is the interface\'s channel 1 (so [0, 1, 3, 2] wires outputs 3 and 4 to inputs 4 and 3). '
    + '-1: not wired. Default: each output to the input of the same index. (Format 1: channelMap.)',
  ),
  /** A spare wired pair for a pilot tone (dropout detection), not used by the engine. */
  pilot: z.strictObject({
    outputIndex: channelIndex(0).describe('index of the output playing the pilot tone, from 0 (index 0 is output 1)'),
    inputIndex: channelIndex(0).describe('index of the input it is wired to, from 0 (index 0 is input 1)'),
  }).optional().describe('a spare wired pair for the pilot tone (dropout detection), not used by the engine. (Format 1: output / input.)'),
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
      /**
       * The render delay, in periods (0 ≤ d < 1): the worker renders a cycle's block this long after the cycle
       * began instead of at once, so a command arriving meanwhile makes that block — an event without a
       * timestamp waits at most (1 − d) periods for its block instead of one — and the block has fillPeriods − d
       * periods to be rendered. The latency bound drops by d periods; the cushion against a stalled machine
       * by as much.
       */
      renderDelayPeriods: z.number().min(0).lt(1).default(0),
      /** Slots of the input and output rings: how far the worker may fall behind before input periods are lost. */
      ringPeriods: z.number().int().min(4).max(4096).default(256),
      /**
       * The CPU that JACK's process thread of our client and the render worker are both pinned to (−1: not
       * pinned): the render thread is then woken where the callback that posts its semaphore has just run,
       * not on a CPU that another process may hold in a long system call (a non-preemptible kernel). Meant
       * for a machine with a CPU kept for audio (isolcpus=, or cpusets). On this shared 2-core VM at load
       * 5–11 (hil/jack/nativeServeProbe.ts, 8 interleaved pairs of 20 s): underruns per run median 17.5
       * unpinned, 5 pinned (7 of 8 pairs fewer) — but one pinned run had 419 (the pinned CPU held, nowhere
       * to go), so it is not the default here.
       */
      renderCpu: z.number().int().min(-1).max(1023).default(-1),
      /**
       * Hold /dev/cpu_dma_latency at this many µs while a stream runs (null: leave the machine's idle states
       * alone): idle CPUs then wake at once instead of halting (hil/jack/cpuDmaLatency.ts). Where the rig
       * may not (not root), the stream runs without and the report's server line says why.
       */
      cpuDmaLatencyUs: z.number().int().min(0).max(2_000_000).nullable().default(null),
      /** A named JACK server (jackd -n NAME), so that it does not meet another user's default server. */
      serverName: z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/).refine((n) => jackServerNameProblem(n) === undefined, { error: (issue) => jackServerNameProblem(String(issue.input)) }).optional(),
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
 * A rig file as this version reads it, the input left unchanged:
 * - files written before the version key was unified say `"version": 1`: read as `formatVersion` (a file
 *   with both keys keeps both, and the unknown `version` is reported);
 * - format 1 said `channelMap` and `pilot: { output, input }`: renamed `inputIndexPerOutput` and
 *   `pilot: { outputIndex, inputIndex }` (same 0-based values), and the file reads as format 2.
 * Anything else (a newer format, a file that is not an object) is returned as it is, for the schema to judge.
 */
export function upgradeRigFile(json: unknown): unknown {
  if (!isRecord(json)) return json;
  let rig = json;
  if ('version' in rig && !('formatVersion' in rig)) {
    const { version, ...rest } = rig;
    rig = { formatVersion: version, ...rest };
  }
  if (rig.formatVersion !== 1) return rig;
  const { channelMap, pilot, ...rest } = rig;
  const upgraded: Record<string, unknown> = { ...rest, formatVersion: 2 };
  if (channelMap !== undefined) upgraded.inputIndexPerOutput = channelMap;
  if (isRecord(pilot)) {
    const { output, input, ...other } = pilot;
    upgraded.pilot = { ...other, outputIndex: output, inputIndex: input };
  } else if (pilot !== undefined) upgraded.pilot = pilot;
  return upgraded;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The key a format-1 file wrote for a format-2 path: `inputIndexPerOutput` → `channelMap`, `pilot.outputIndex` → `pilot.output`. */
function format1Path(path: readonly PropertyKey[]): PropertyKey[] {
  const [head, key, ...rest] = path;
  if (head === 'inputIndexPerOutput') return ['channelMap', ...path.slice(1)];
  if (head === 'pilot' && (key === 'outputIndex' || key === 'inputIndex')) return [head, key === 'outputIndex' ? 'output' : 'input', ...rest];
  return [...path];
}

/** "$.inputIndexPerOutput[3]" from a zod issue path. */
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
  // A format-1 file's errors name the keys it wrote (`channelMap`, `pilot.output`).
  const written = (json ?? {}) as { formatVersion?: unknown; version?: unknown };
  const where = (path: readonly PropertyKey[]) => jsonPath((written.formatVersion ?? written.version) === 1 ? format1Path(path) : path);
  json = upgradeRigFile(json);
  const parsed = rigFileSchema.safeParse(json);
  if (!parsed.success) {
    const lines = describeIssues(parsed.error, json, where).slice(0, 5);
    throw new RigError(`rig file ${file}: ${lines.join('; ')}`);
  }
  const problems = channelIndexProblems(parsed.data, where);
  if (problems.length) throw new RigError(`rig file ${file}: ${problems.slice(0, 5).join('; ')}`);
  return parsed.data;
}

/**
 * The wiring's indices against the rig's channel counts, one sentence each, naming the key (as `where`
 * writes it), the value and the allowed range — the index range and, for the person reading, the
 * channels it stands for counted from 1: "$.pilot.outputIndex: got 32 (output 33), expected an output
 * index 0…31 (outputs 1–32)".
 */
export function channelIndexProblems(rig: RigFile, where: (path: readonly PropertyKey[]) => string = jsonPath): string[] {
  const problems: string[] = [];
  const got = (kind: 'output' | 'input', index: number) => `got ${index}${index >= 0 ? ` (${namedChannel(kind, index)})` : ''}`;
  const range = (kind: 'output' | 'input', count: number) => `an ${kind} index 0…${count - 1} (${kind}s 1–${count})`;
  const map = rig.inputIndexPerOutput;
  if (map) {
    if (map.length !== rig.outputChannels) problems.push(`${where(['inputIndexPerOutput'])}: got ${map.length} entries, expected ${rig.outputChannels}, one per output (outputs 1–${rig.outputChannels})`);
    map.forEach((i, k) => {
      if (i < -1 || i >= rig.inputChannels) problems.push(`${where(['inputIndexPerOutput', k])} (${namedChannel('output', k)}): ${got('input', i)}, expected ${range('input', rig.inputChannels)} or −1 (not wired)`);
    });
  }
  const pilot = rig.pilot;
  if (pilot) {
    if (pilot.outputIndex < 0 || pilot.outputIndex >= rig.outputChannels) problems.push(`${where(['pilot', 'outputIndex'])}: ${got('output', pilot.outputIndex)}, expected ${range('output', rig.outputChannels)}`);
    if (pilot.inputIndex < 0 || pilot.inputIndex >= rig.inputChannels) problems.push(`${where(['pilot', 'inputIndex'])}: ${got('input', pilot.inputIndex)}, expected ${range('input', rig.inputChannels)}`);
  }
  return problems;
}
