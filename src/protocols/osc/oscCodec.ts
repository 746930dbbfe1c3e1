import { createRequire } from 'node:module';

/** OSC 1.0 argument with its type tag (osc.js "metadata" form). */
export interface OscArg {
  type: string;
  value: unknown;
}
export interface OscMessage {
  address: string;
  args: OscArg[];
}
export interface OscBundle {
  timeTag: { raw: [number, number]; native: number };
  packets: OscPacket[];
}
export type OscPacket = OscMessage | OscBundle;

interface OscJs {
  readPacket(data: Uint8Array, options: { metadata: boolean; unpackSingleArgs?: boolean }): OscPacket;
  writePacket(packet: unknown, options: { metadata: boolean }): Uint8Array;
}

/** osc.js has no types; this is the one place that touches it (parsing throws on malformed data). */
const osc = createRequire(import.meta.url)('osc') as OscJs;

/**
 * Parses one UDP datagram. Throws (osc.js's message) on malformed data.
 *
 * osc.js reads blobs, MIDI and colour arguments as `new Uint8Array(dv.buffer, idx, n)` with `idx`
 * counted from the DataView's start, not the ArrayBuffer's: for a view that does not start at byte 0 of
 * its buffer (a Buffer slice of Node's pool, as dgram and socket reads hand out) the bytes came from the
 * wrong place. The datagram is copied to a buffer of its own first (at most 64 KiB): the reads land
 * right, and the blobs returned never alias the caller's buffer (which dgram and sockets reuse).
 */
export function readOscPacket(data: Uint8Array): OscPacket {
  return osc.readPacket(new Uint8Array(data), { metadata: true, unpackSingleArgs: false });
}

export function writeOscPacket(packet: OscPacket | { timeTag: { raw: [number, number] }; packets: OscPacket[] }): Uint8Array {
  return osc.writePacket(packet, { metadata: true });
}

export function isBundle(p: OscPacket): p is OscBundle {
  return (p as OscBundle).packets !== undefined;
}

/** NTP seconds between 1900 and 1970. */
const NTP_EPOCH_OFFSET_S = 2208988800;

/** OSC time tag [seconds since 1900, 2^-32 fractions] → Unix epoch ms (sub-ms precision kept). */
export function timeTagToEpochMs(raw: [number, number]): number {
  return (raw[0] - NTP_EPOCH_OFFSET_S) * 1000 + (raw[1] / 4294967296) * 1000;
}

export function epochMsToTimeTag(epochMs: number): [number, number] {
  const s = Math.floor(epochMs / 1000);
  return [s + NTP_EPOCH_OFFSET_S, Math.round(((epochMs - s * 1000) / 1000) * 4294967296) >>> 0];
}

/** The OSC "immediately" time tag (0, 1). */
export function isImmediate(raw: [number, number]): boolean {
  return raw[0] === 0 && raw[1] === 1;
}
