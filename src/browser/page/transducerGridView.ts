/// <reference lib="dom" />
import { interpolateInferno } from 'd3-scale-chromatic';
import { formatDb, meterFraction } from './meterView.ts';

export interface PointM { xM: number; yM: number }

/** Size of the grid's drawing in CSS pixels (the layout is scaled to fit, aspect kept). */
const WIDTH_PX = 560;
const MARGIN_PX = 34;

/**
 * The transducers drawn where the engine configuration puts them (positions in metres, not a fixed
 * 4 × 8), each coloured by its level (inferno, −72…0 dBFS) and showing its peak and its arrival rank
 * after a test note. Each is `[data-transducer=t]` with `data-peak-db`, `data-rms-db`,
 * `data-arrival-frame` and `data-arrival-rank`, and `data-x-m`/`data-y-m` (its position).
 */
export class TransducerGridView {
  readonly element: HTMLElement;
  private cells: { root: HTMLElement; level: HTMLElement; order: HTMLElement }[] = [];
  private key = '';

  constructor(element: HTMLElement) {
    this.element = element;
  }

  layout(positions: readonly PointM[]): void {
    const key = JSON.stringify(positions);
    if (key === this.key) return;
    this.key = key;
    const xs = positions.map((p) => p.xM);
    const ys = positions.map((p) => p.yM);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const scale = Math.min((WIDTH_PX - 2 * MARGIN_PX) / (x1 - x0 || 1), (WIDTH_PX - 2 * MARGIN_PX) / (y1 - y0 || 1));
    this.element.style.width = `${WIDTH_PX}px`;
    this.element.style.height = `${(y1 - y0) * scale + 2 * MARGIN_PX}px`;
    this.element.replaceChildren();
    this.cells = positions.map((p, t) => {
      const root = document.createElement('div');
      root.className = 'transducer';
      root.dataset.transducer = String(t);
      root.dataset.xM = String(p.xM);
      root.dataset.yM = String(p.yM);
      root.style.left = `${MARGIN_PX + (p.xM - x0) * scale}px`;
      root.style.top = `${MARGIN_PX + (p.yM - y0) * scale}px`;
      root.title = `transducer ${t + 1} at (${p.xM}, ${p.yM}) m`;
      const order = document.createElement('span');
      order.className = 'order';
      const level = document.createElement('span');
      level.className = 'level';
      root.append(order, level);
      this.element.append(root);
      return { root, level, order };
    });
  }

  levels(peakDbfs: readonly (number | null)[], rmsDbfs: readonly (number | null)[]): void {
    this.cells.forEach((c, t) => {
      const peak = peakDbfs[t] ?? null;
      c.root.style.background = interpolateInferno(0.08 + 0.9 * meterFraction(peak));
      c.level.textContent = formatDb(peak);
      c.root.dataset.peakDb = formatDb(peak);
      c.root.dataset.rmsDb = formatDb(rmsDbfs[t] ?? null);
    });
  }

  arrivals(frames: readonly (number | null)[], ranks: readonly (number | null)[]): void {
    this.cells.forEach((c, t) => {
      c.root.dataset.arrivalFrame = frames[t] === null || frames[t] === undefined ? '' : String(frames[t]);
      c.root.dataset.arrivalRank = ranks[t] === null || ranks[t] === undefined ? '' : String(ranks[t]);
      c.order.textContent = ranks[t] ? `#${ranks[t]}` : '';
    });
  }
}
