import type { TopLevelSpec } from 'vega-lite';
import type { ColorScheme } from './colorMap.ts';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * A rows × columns grid (e.g. the 4 × 8 transducer array) coloured by a value, with the value printed in
 * each cell (white on dark cells, black on light ones) and a colour legend with the unit. Missing values
 * (null or non-finite) are drawn grey and printed as '—'.
 */
export interface GridHeatmapOptions {
  /** values[row][column]. */
  values: (number | null)[][];
  title?: string;
  /** Legend title with unit, e.g. 'Latency (ms)'. */
  valueTitle: string;
  rowLabels?: string[];
  columnLabels?: string[];
  rowTitle?: string;
  columnTitle?: string;
  /** d3-format of the printed values (default '.1f'). */
  format?: string;
  scheme?: ColorScheme;
  /** Colour domain (default: min … max of the finite values). */
  domain?: [number, number];
  cellSize?: number;
}

export async function gridHeatmapSvg(options: GridHeatmapOptions): Promise<string> {
  const rows = options.values.length;
  const columns = Math.max(0, ...options.values.map((r) => r.length));
  if (rows === 0 || columns === 0) throw new RangeError('gridHeatmapSvg: the grid is empty');
  const rowLabels = options.rowLabels ?? Array.from({ length: rows }, (_, r) => String(r + 1));
  const columnLabels = options.columnLabels ?? Array.from({ length: columns }, (_, c) => String(c + 1));
  const cells = options.values.flatMap((row, r) =>
    Array.from({ length: columns }, (_, c) => {
      const v = row[c];
      return { row: rowLabels[r], column: columnLabels[c], value: v !== null && v !== undefined && Number.isFinite(v) ? v : null };
    }),
  );
  const finite = cells.map((c) => c.value).filter((v): v is number => v !== null);
  const domain = options.domain ?? (finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : [0, 1]);
  const mid = (domain[0] + domain[1]) / 2;
  const cell = options.cellSize ?? 56;
  const format = options.format ?? '.1f';
  const x = { field: 'column', type: 'ordinal' as const, sort: columnLabels, title: options.columnTitle ?? 'Column', axis: { labelAngle: 0 } };
  const y = { field: 'row', type: 'ordinal' as const, sort: rowLabels, title: options.rowTitle ?? 'Row' };
  const spec = {
    ...(options.title ? { title: options.title } : {}),
    width: cell * columns,
    height: cell * rows,
    data: { values: cells },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 2 },
        encoding: {
          x,
          y,
          color: {
            field: 'value',
            type: 'quantitative',
            title: options.valueTitle,
            scale: { scheme: options.scheme ?? 'viridis', domain },
            legend: { gradientLength: Math.max(80, cell * rows) },
          },
        },
      },
      {
        transform: [{ filter: 'datum.value === null' }],
        mark: { type: 'rect', color: '#bbbbbb', stroke: 'white', strokeWidth: 2 },
        encoding: { x, y },
      },
      {
        mark: { type: 'text', fontSize: Math.round(cell / 4.5) },
        encoding: {
          x,
          y,
          text: { value: { expr: `datum.value === null ? '—' : format(datum.value, '${format}')` } },
          color: { value: { expr: `datum.value !== null && datum.value < ${mid} ? 'white' : 'black'` } },
        },
      },
    ],
  } as TopLevelSpec;
  return renderVegaLiteSvg(spec);
}
