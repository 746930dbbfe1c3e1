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
  checkOscFraming(data, 0, data.length, 0);
  return osc.readPacket(new Uint8Array(data), { metadata: true, unpackSingleArgs: false });
}

/** Longest OSC address or type-tag string read, bytes with its NUL (this project's addresses are < 64). */
export const MAX_OSC_STRING_BYTES = 512;
/** Bundles nested deeper than this are refused (each level is 16 bytes of header, so a datagram allows ~4000). */
const MAX_BUNDLE_DEPTH = 8;
const SLASH = 0x2f;
const COMMA = 0x2c;
const BUNDLE_TAG = [0x23, 0x62, 0x75, 0x6e, 0x64, 0x6c, 0x65, 0x00]; // "#bundle\0"

/**
 * The framing of a packet checked in bounded time before osc.js reads it: osc.js builds each string a
 * character at a time until its NUL, so a 64 KiB datagram of garbage took 7.8 ms to refuse — ~128 a second
 * fill a core of the control thread. A message starts with "/" and its address ends within
 * MAX_OSC_STRING_BYTES; its type-tag string, if any bytes follow, starts with "," and ends as soon; a bundle
 * starts with "#bundle\0", and each element's size fits what is left and is checked the same way. Throws
 * with what was wrong; osc.js checks the rest (argument types and sizes).
 */
function checkOscFraming(d: Uint8Array, from: number, to: number, depth: number): void {
  if (to <= from) throw new Error('empty OSC packet');
  if (d[from] === BUNDLE_TAG[0]) {
    for (let i = 0; i < BUNDLE_TAG.length; i++) if (d[from + i] !== BUNDLE_TAG[i]) throw new Error('not an OSC packet: it starts with "#" but not "#bundle"');
    if (depth >= MAX_BUNDLE_DEPTH) throw new Error(`OSC bundles nested deeper than ${MAX_BUNDLE_DEPTH}`);
    if (to - from < 16) throw new Error('OSC bundle shorter than its 16-byte header');
    for (let at = from + 16; at < to;) {
      if (to - at < 4) throw new Error('OSC bundle element without its 4-byte size');
      const size = ((d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3]) >>> 0;
      if (size === 0 || size > to - at - 4) throw new Error(`OSC bundle element of ${size} bytes where ${to - at - 4} are left`);
      checkOscFraming(d, at + 4, at + 4 + size, depth + 1);
      at += 4 + size;
    }
    return;
  }
  if (d[from] !== SLASH) throw new Error('not an OSC packet: a message starts with "/" and a bundle with "#bundle"');
  const tags = (stringEnd(d, from, to, 'address') + 4) & ~3;
  if (from + tags >= to) return;
  if (d[from + tags] !== COMMA) throw new Error('OSC type tags must start with ","');
  stringEnd(d, from + tags, to, 'type-tag string');
}

/** Offset (from `at`) of the NUL ending the string at `at`, within MAX_OSC_STRING_BYTES and the packet; throws otherwise. */
function stringEnd(d: Uint8Array, at: number, to: number, what: string): number {
  const end = Math.min(to, at + MAX_OSC_STRING_BYTES);
  for (let i = at; i < end; i++) if (d[i] === 0) return i - at;
  throw new Error(`OSC ${what} not terminated within ${end - at} bytes (at most ${MAX_OSC_STRING_BYTES} read)`);
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
