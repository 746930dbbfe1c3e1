/**
 * Lays per-channel values out as the transducer grid: 8 columns, rows = ceil(n / 8), channel i (0-based)
 * at row floor(i / 8), column i mod 8 — the 4 × 8 array for 32 transducers. Missing cells are null.
 */
export const GRID_COLUMNS = 8;

export function transducerGrid(values: ReadonlyArray<number | null>, columns = GRID_COLUMNS): (number | null)[][] {
  const rows = Math.ceil(values.length / columns);
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: columns }, (_, c) => {
      const v = values[r * columns + c];
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    }),
  );
}

/** Row labels "1–8", "9–16", … naming the 1-based channels of each grid row. */
export function gridRowLabels(rows: number, columns = GRID_COLUMNS): string[] {
  return Array.from({ length: rows }, (_, r) => `${r * columns + 1}–${(r + 1) * columns}`);
}
