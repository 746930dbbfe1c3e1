import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always serialise (and hash) the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** `sha256:<hex>` of the canonical JSON of a configuration (preset + render settings). */
export function configHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

/** `sha256:<hex>` of the samples: channel count, frame count, then each channel's float32 bytes (little-endian). */
export function sampleHash(channels: readonly Float32Array[]): string {
  const h = createHash('sha256');
  h.update(`${channels.length}x${channels[0]?.length ?? 0}:`);
  for (const ch of channels) {
    const bytes = new Uint8Array(ch.buffer, ch.byteOffset, ch.byteLength);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('sampleHash assumes a little-endian platform');
    h.update(bytes);
  }
  return `sha256:${h.digest('hex')}`;
}
