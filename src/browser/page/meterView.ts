/// <reference lib="dom" />

/** Lowest level a meter shows; below it (and silence, null) the bar is empty. */
export const METER_FLOOR_DB = -72;

/** A level in dBFS as the meters print it: one decimal, "−∞" for silence. */
export function formatDb(db: number | null | undefined): string {
  return db === null || db === undefined || !Number.isFinite(db) ? '−∞' : db.toFixed(1);
}

/** Fraction of the bar a level fills: linear in dB from METER_FLOOR_DB to 0 dBFS, clamped. */
export function meterFraction(db: number | null | undefined): number {
  if (db === null || db === undefined || !Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(1, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

/**
 * Per-channel peak and RMS bars, each labelled "ch 1", "ch 2", … (from 1, as interfaces label them). Each
 * channel is `[data-channel=c]` (c the 0-based index) with `data-peak-db` and
 * `data-rms-db` (the numbers shown, for tests and screen readers); `source` says whether the levels
 * are the worklet's, the rig's or synthetic.
 */
export class MeterView {
  readonly element: HTMLElement;
  private channels: { root: HTMLElement; rms: HTMLElement; peak: HTMLElement; text: HTMLElement }[] = [];
  private readonly caption: HTMLElement;

  constructor(title: string) {
    this.element = document.createElement('section');
    this.element.className = 'meters';
    const h = document.createElement('h2');
    h.textContent = title;
    this.caption = document.createElement('p');
    this.caption.className = 'meter-source';
    this.element.append(h, this.caption);
  }

  private ensure(count: number): void {
    if (this.channels.length === count) return;
    for (const c of this.channels) c.root.remove();
    this.channels = Array.from({ length: count }, (_, c) => {
      const root = document.createElement('div');
      root.className = 'meter';
      root.dataset.channel = String(c);
      const bar = document.createElement('div');
      bar.className = 'bar';
      const rms = document.createElement('div');
      rms.className = 'rms';
      const peak = document.createElement('div');
      peak.className = 'peak';
      bar.append(rms, peak);
      const text = document.createElement('span');
      text.className = 'db';
      const name = document.createElement('span');
      name.className = 'ch';
      name.textContent = `ch ${c + 1}`;
      root.append(name, bar, text);
      this.element.append(root);
      return { root, rms, peak, text };
    });
  }

  update(frame: { peakDb: ArrayLike<number | null>; rmsDb: ArrayLike<number | null> }, source: string): void {
    this.ensure(frame.peakDb.length);
    this.caption.textContent = source;
    this.element.dataset.source = source;
    for (let c = 0; c < this.channels.length; c++) {
      const m = this.channels[c];
      const peak = frame.peakDb[c];
      const rms = frame.rmsDb[c];
      m.rms.style.width = `${(meterFraction(rms) * 100).toFixed(1)}%`;
      m.peak.style.left = `${(meterFraction(peak) * 100).toFixed(1)}%`;
      m.text.textContent = `${formatDb(peak)} / ${formatDb(rms)} dBFS`;
      m.root.dataset.peakDb = formatDb(peak);
      m.root.dataset.rmsDb = formatDb(rms);
    }
  }
}
