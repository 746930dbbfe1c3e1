/**
 * An engine's status and statistics as a row of numbers, for a real-time thread to publish without
 * allocating (getStatus() builds objects and arrays; JSON.stringify and a text encoder follow). The
 * shape names each field in writing order with its length (0: a scalar, n: an array of n numbers; a name
 * `a.b` is field b of an object a); `decodeNumeric` rebuilds, on the reading side, exactly what JSON.parse(JSON.stringify(getStatus()))
 * would have given: NaN and ±Infinity read as null, −0 as 0.
 */
export type NumericShape = readonly (readonly [name: string, length: number])[];

export interface NumericStatus {
  /**
   * Optional: false when this engine cannot give its status as numbers (a wrapper around an engine whose status is
   * JSON only); the publisher then writes JSON. Absent: it can.
   */
  numericStatusAvailable?(): boolean;
  statusShape(): NumericShape;
  /** Writes the status at out[at…] in statusShape()'s order; allocates nothing. */
  writeStatus(out: Float64Array, at: number): void;
  statsShape(): NumericShape;
  writeStats(out: Float64Array, at: number): void;
}

export function hasNumericStatus(engine: object): engine is NumericStatus {
  const e = engine as Partial<NumericStatus>;
  return typeof e.statusShape === 'function' && typeof e.writeStatus === 'function'
    && typeof e.statsShape === 'function' && typeof e.writeStats === 'function'
    && (typeof e.numericStatusAvailable !== 'function' || e.numericStatusAvailable());
}

/** Numbers a shape takes. */
export function shapeSize(shape: NumericShape): number {
  let n = 0;
  for (const [, length] of shape) n += length === 0 ? 1 : length;
  return n;
}

const jsonNumber = (v: number): number | null => (Number.isFinite(v) ? v + 0 : null);

/** The object `shape` describes, read from values[at…] (as JSON would carry it). */
export function decodeNumeric(shape: NumericShape, values: Float64Array, at: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = at;
  for (const [name, length] of shape) {
    const dot = name.indexOf('.');
    const into = dot < 0 ? out : ((out[name.slice(0, dot)] ??= {}) as Record<string, unknown>);
    const key = dot < 0 ? name : name.slice(dot + 1);
    if (length === 0) into[key] = jsonNumber(values[i++]);
    else {
      into[key] = Array.from(values.subarray(i, i + length), jsonNumber);
      i += length;
    }
  }
  return out;
}
