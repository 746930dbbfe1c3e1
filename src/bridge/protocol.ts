import { z } from 'zod';

/**
 * The bridge protocol, version 1 (table: src/bridge/README.md). One WebSocket carries JSON control
 * messages (text frames, objects with a `type`) and audio chunks (binary frames, see audioChunk.ts).
 * Every control message from a client is validated by `clientMessageSchema` before anything is done
 * with it; a request may carry an `id` (a string or integer of the client's choosing) that its reply echoes.
 */
export const PROTOCOL_NAME = 'studio-rig-bridge';
export const PROTOCOL_VERSION = 1;
/** The Web Audio render quantum: the frames of every audio chunk (the last of a stream may be shorter). */
export const CHUNK_FRAMES = 128;
/** Channels of one chunk (input or output), at most. */
export const MAX_CHANNELS = 32;
/** Sample rates an instance can be loaded at, Hz. */
export const SAMPLE_RATES_HZ = [44100, 48000, 88200, 96000] as const;

/**
 * WebSocket close codes the bridge uses. 1008 and 1009 are RFC 6455's; 4xxx are the bridge's own.
 * Everything else malformed is answered with an ERROR message and the connection stays up.
 */
export const CloseCode = {
  /** A frame larger than `maxPayloadBytes` (closed by ws itself before the frame is read). */
  tooBig: 1009,
  /** The pairing token was missing or wrong (HELLO from an origin other than the bridge's own page). */
  badToken: 4001,
  /** HELLO named another protocol or version. */
  versionMismatch: 4002,
  /** The client did not read its replies: more than `maxBufferedBytes` waited to be sent. */
  slowConsumer: 4003,
  /** No HELLO within `helloTimeoutMs`. */
  helloTimeout: 4004,
  /** The bridge is shutting down. */
  goingAway: 1001,
} as const;

/** ERROR codes: what a client did wrong (or what went wrong in an instance), one word each. */
export const ERROR_CODES = [
  'malformed-json', 'invalid-message', 'hello-required', 'already-greeted', 'malformed-chunk', 'unknown-instance',
  'unknown-engine', 'unknown-preset', 'invalid-params', 'unknown-parameter', 'parameter-out-of-range',
  'too-many-instances', 'rate-limited', 'duplicate-chunk', 'instance-busy', 'instance-failed', 'invalid-state',
  'channel-mismatch', 'token-required', 'wrong-token', 'version-mismatch',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const requestId = z.union([z.string().max(64), z.number().int().min(0).max(2 ** 53 - 1)]).optional();
const instanceId = z.number().int().min(1).max(0xffffffff);
/** A name from the client: a name, never a path (checked again where it is used). */
const name = z.string().min(1).max(100);

export const helloSchema = z.strictObject({
  type: z.literal('HELLO'),
  id: requestId,
  protocol: z.string().max(100),
  version: z.number().int(),
  token: z.string().max(200).optional(),
});
export const listPluginsSchema = z.strictObject({ type: z.literal('LIST_PLUGINS'), id: requestId });
export const loadPluginSchema = z.strictObject({
  type: z.literal('LOAD_PLUGIN'),
  id: requestId,
  engine: name,
  preset: name.optional(),
  /** Parameters over the preset's (or the defaults), validated by the engine's schema. */
  params: z.record(z.string(), z.unknown()).optional(),
  sampleRate: z.union(SAMPLE_RATES_HZ.map((r) => z.literal(r)) as [z.ZodLiteral<44100>, z.ZodLiteral<48000>, z.ZodLiteral<88200>, z.ZodLiteral<96000>]),
  /** Channels of every input chunk the client will send (0 for an instrument driven by events only). */
  channels: z.number().int().min(0).max(MAX_CHANNELS),
});
export const setParamSchema = z.strictObject({
  type: z.literal('SET_PARAM'),
  id: requestId,
  instance: instanceId,
  name,
  value: z.number().refine(Number.isFinite, 'expected a finite number'),
  /** Frame of the instance's stream (0 = the first frame of its first chunk); absent = the next chunk's first frame. */
  frame: z.number().int().min(0).max(2 ** 52).optional(),
});
export const getStateSchema = z.strictObject({ type: z.literal('GET_STATE'), id: requestId, instance: instanceId });
export const setStateSchema = z.strictObject({ type: z.literal('SET_STATE'), id: requestId, instance: instanceId, state: z.unknown() });
export const unloadSchema = z.strictObject({ type: z.literal('UNLOAD'), id: requestId, instance: instanceId });
export const statsSchema = z.strictObject({ type: z.literal('STATS'), id: requestId });

export const clientMessageSchema = z.discriminatedUnion('type', [
  helloSchema, listPluginsSchema, loadPluginSchema, setParamSchema, getStateSchema, setStateSchema, unloadSchema, statsSchema,
]);
export type ClientMessage = z.output<typeof clientMessageSchema>;
export type LoadPluginMessage = z.output<typeof loadPluginSchema>;
export type RequestId = string | number | undefined;

/** Counters of one connection's audio stream of one instance (in UNLOADED, INSTANCE_FAILED and STATS). */
export interface StreamCounts {
  chunksIn: number;
  chunksOut: number;
  /** Sequence numbers skipped (a chunk with sequence s after s − k − 1: k missing). */
  sequenceGaps: number;
  /** Chunks whose sequence number was not above the last one accepted: answered with an ERROR, not processed. */
  duplicates: number;
  /** SET_PARAM events whose frame had already been processed: applied at the next chunk's first frame. */
  lateParams: number;
}

/** What the bridge sends. */
export type ServerMessage =
  | { type: 'WELCOME'; id?: RequestId; protocol: typeof PROTOCOL_NAME; version: number; bridgeVersion: string; sampleRates: readonly number[]; chunkFrames: number; limits: BridgeLimits }
  | { type: 'PLUGINS'; id?: RequestId; engines: unknown[]; thirdParty: unknown[] }
  | { type: 'LOADED'; id?: RequestId; instance: number; engine: string; preset: string | null; sampleRate: number; channels: number; numInputs: number; numOutputs: number; paramNames: readonly string[]; latencyFrames: number }
  | { type: 'PARAM_SET'; id?: RequestId; instance: number; name: string; value: number; frame: number | null }
  | { type: 'STATE'; id?: RequestId; instance: number; state: unknown }
  | { type: 'STATE_SET'; id?: RequestId; instance: number }
  | { type: 'UNLOADED'; id?: RequestId; instance: number; counts: StreamCounts }
  | { type: 'INSTANCE_FAILED'; instance: number; reason: 'threw' | 'hung' | 'exited'; message: string; counts: StreamCounts }
  | { type: 'STATS'; id?: RequestId; connection: Record<string, number>; bridge: Record<string, number>; instances: Record<string, StreamCounts> }
  | { type: 'ERROR'; id?: RequestId; code: ErrorCode; message: string; instance?: number; sequence?: number };

/** The bounds of a bridge (WELCOME reports them). */
export interface BridgeLimits {
  /** Largest frame, text or binary, in bytes; a larger one closes the connection with 1009. */
  maxPayloadBytes: number;
  /** Instances loaded at once, over all connections. */
  maxInstances: number;
  /** Audio chunks and control messages per second per connection (a token bucket holding one second's worth). */
  maxChunksPerSecond: number;
  /** Chunks of one instance sent to its worker and not yet answered; more are refused (instance-busy). */
  maxChunksInFlight: number;
  /** An instance that has not answered a chunk for this long is stopped and unloaded (hung). */
  watchdogMs: number;
}

export const DEFAULT_LIMITS: BridgeLimits = {
  maxPayloadBytes: 4 * 1024 * 1024,
  maxInstances: 32,
  maxChunksPerSecond: 24_000,
  maxChunksInFlight: 32,
  watchdogMs: 1000,
};
