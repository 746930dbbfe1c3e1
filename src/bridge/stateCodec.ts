/**
 * An engine's state (`getState()`: structured-cloneable, typed arrays inside) as JSON and back, exactly:
 * a typed array becomes `{"$typed": "Float64Array", "base64": "…"}` (its bytes, little-endian), a number
 * JSON cannot hold (NaN, ±Infinity, −0) becomes `{"$number": "NaN"}`. Decoding checks every marker and
 * refuses nesting deeper than `MAX_STATE_DEPTH` (a client's state is input like any other).
 */
export const MAX_STATE_DEPTH = 32;

const TYPED = {
  Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray,
  BigInt64Array, BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;

export function encodeState(value: unknown, depth = 0): unknown {
  if (depth > MAX_STATE_DEPTH) throw new Error(`state nested deeper than ${MAX_STATE_DEPTH}`);
  if (typeof value === 'number') {
    return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name as TypedName;
    if (!(name in TYPED)) throw new Error(`state holds a ${name}, which has no JSON form`);
    return { $typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map((v) => encodeState(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeState(v, depth + 1)]));
}

export function decodeState(value: unknown, depth = 0): unknown {
  if (depth > MAX_STATE_DEPTH) throw new Error(`state nested deeper than ${MAX_STATE_DEPTH}`);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => decodeState(v, depth + 1));
  const o = value as Record<string, unknown>;
  if ('$typed' in o) {
    const name = o.$typed;
    if (typeof name !== 'string' || !Object.hasOwn(TYPED, name) || typeof o.base64 !== 'string') throw new Error('a $typed marker needs a typed-array name and base64 bytes');
    const bytes = Buffer.from(o.base64, 'base64');
    const Ctor = TYPED[name as TypedName];
    if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`${name}: ${bytes.byteLength} bytes is not a whole number of elements`);
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new Ctor(copy.buffer);
  }
  if ('$number' in o) {
    const n = o.$number === '-0' ? -0 : Number(o.$number);
    if (!['NaN', 'Infinity', '-Infinity', '-0'].includes(String(o.$number))) throw new Error('a $number marker holds NaN, Infinity, -Infinity or -0');
    return n;
  }
  if ('$bigint' in o) {
    if (typeof o.$bigint !== 'string' || !/^-?\d{1,40}$/.test(o.$bigint)) throw new Error('a $bigint marker holds decimal digits');
    return BigInt(o.$bigint);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeState(v, depth + 1)]));
}
