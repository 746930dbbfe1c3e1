/**
 * An engine's status and statistics as a row of numbers, for a real-time thread to publish without
 * allocating (getStatus() builds objects and arrays; JSON.stringify and a text encoder follow). The
 * shape names each field in writing order with its length (0: a scalar, n: an array of n numbers);
 * `decodeNumeric` rebuilds, on the reading side, exactly what JSON.parse(JSON.stringify(getStatus()))
 * would have given: NaN and ±Infinity read as null, −0 as 0.
 */
export type NumericShape = readonly (readonly [name: string, length: number])[];

export interface NumericStatus {
  statusShape(): NumericShape;
  /** Writes the status at out[at…] in statusShape()'s order; allocates nothing. */
  writeStatus(out: Float64Array, at: number): void;
  statsShape(): NumericShape;
  writeStats(out: Float64Array, at: number): void;
}

export function hasNumericStatus(engine: object): engine is NumericStatus {
  const e = engine as Partial<NumericStatus>;
  return typeof e.statusShape === 'function' && typeof e.writeStatus === 'function'
    && typeof e.statsShape === 'function' && typeof e.writeStats === 'function';
}

/** Numbers a shape takes. */
export function shapeSize(shape: NumericShape): number {
  let n = 0;
  for (const [, length] of shape) n += length === 0 ? 1 : length;
  return n;
}

const jsonNumber = (v: number): number | null => (Number.isFinite(v) ? v + 0 : null);

/** The object `shape` describes, read from values[at…] (as JSON would carry it). */
export function decodeNumeric(shape: NumericShape, values: Float64Array, at: number): Record<string, number | null | (number | null)[]> {
  const out: Record<string, number | null | (number | null)[]> = {};
  let i = at;
  for (const [name, length] of shape) {
    if (length === 0) out[name] = jsonNumber(values[i++]);
    else {
      out[name] = Array.from(values.subarray(i, i + length), jsonNumber);
      i += length;
    }
  }
  return out;
}
