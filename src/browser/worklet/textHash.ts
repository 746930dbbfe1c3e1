/**
 * FNV-1a (32-bit) of a string's UTF-16 code units, as 8 hex digits: a cheap fingerprint that ties a
 * precompiled WebAssembly binary to the exact WAT text it was compiled from (not a security hash).
 */
export function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
