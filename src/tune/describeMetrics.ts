import type { TuningMetrics } from './tuningMetrics.ts';
import type { TuningFigure } from './tuningFigures.ts';

/**
 * When a change between two measurements is worth a line: |Δ| ≥ max(absolute, relativePercent·|previous|).
 * The bounds sit at or just above the just-noticeable differences of ISO 3382-1 Annex A (reverberation
 * time 5 %, clarity 1 dB), loudness 1 LU, and a centroid shift of 2 % (the tuner's own offline-vs-live
 * tolerance): a line means a difference a listener or the metric can tell apart, not measurement noise.
 * The energy ratio (output over input) is not called "wetter": a reverb's `wetDry` trades the dry path's
 * energy for the tail's, and the ratio can fall as the mix gets wetter (measured: small-room, wetDry
 * 0.25 → 0.6 with rt60Seconds 0.45 → 1.5 gave −3.7 dB); wetter or drier is the wet/dry ratio.
 */
export interface DeltaRule {
  figure: TuningFigure;
  label: string;
  /** Words for an increase and a decrease. */
  up: string;
  down: string;
  absolute: number;
  relativePercent: number;
  unit: string;
  decimals: number;
}

export const DELTA_RULES: readonly DeltaRule[] = [
  { figure: 'centroidHz', label: 'centroid', up: 'brighter', down: 'darker', absolute: 20, relativePercent: 2, unit: 'Hz', decimals: 0 },
  { figure: 't30Seconds', label: 'T30', up: 'longer tail', down: 'shorter tail', absolute: 0.02, relativePercent: 5, unit: 's', decimals: 2 },
  { figure: 'edtSeconds', label: 'EDT', up: 'slower early decay', down: 'faster early decay', absolute: 0.02, relativePercent: 5, unit: 's', decimals: 2 },
  { figure: 'wetDryRatioDb', label: 'wet/dry ratio', up: 'wetter', down: 'drier', absolute: 0.5, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'c80Db', label: 'C80', up: 'clearer', down: 'more reverberant', absolute: 1, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'c50Db', label: 'C50', up: 'clearer speech', down: 'less clear speech', absolute: 1, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'energyRatioDb', label: 'energy ratio', up: 'more energy out', down: 'less energy out', absolute: 0.5, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'integratedLufs', label: 'integrated loudness', up: 'louder', down: 'quieter', absolute: 1, relativePercent: 0, unit: 'LU', decimals: 1 },
  { figure: 'truePeakDbtp', label: 'true peak', up: 'higher peaks', down: 'lower peaks', absolute: 1, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'crestFactorDb', label: 'crest factor', up: 'more dynamic', down: 'more compressed', absolute: 1, relativePercent: 0, unit: 'dB', decimals: 1 },
  { figure: 'bandwidthHz', label: 'bandwidth', up: 'wider spectrum', down: 'narrower spectrum', absolute: 50, relativePercent: 5, unit: 'Hz', decimals: 0 },
  { figure: 'flatness', label: 'flatness', up: 'noisier', down: 'more tonal', absolute: 0.05, relativePercent: 0, unit: '', decimals: 2 },
  { figure: 'echoDensity', label: 'echo density', up: 'denser echoes', down: 'sparser echoes', absolute: 0.05, relativePercent: 0, unit: '', decimals: 2 },
  { figure: 'thdPlusNoiseDb', label: 'THD+N', up: 'more distorted', down: 'cleaner', absolute: 3, relativePercent: 0, unit: 'dB', decimals: 1 },
];

/** A number with a real minus sign (and a plus when `signed`), fixed decimals, and its unit. */
export function formatFigure(value: number, decimals: number, unit: string, signed = false): string {
  const text = Math.abs(value).toFixed(decimals);
  const sign = value < 0 && Number(text) !== 0 ? '−' : signed && Number(text) !== 0 ? '+' : '';
  return `${sign}${text}${unit ? ` ${unit}` : ''}`;
}

function show(m: TuningMetrics, f: TuningFigure, label: string, decimals: number, unit: string, signed = false): string | null {
  const v = m.figures[f];
  return v === null ? null : `${label} ${formatFigure(v, decimals, unit, signed)}`;
}

function line(title: string, parts: (string | null)[]): string[] {
  const present = parts.filter((p): p is string => p !== null);
  return present.length ? [`${title}: ${present.join(', ')}`] : [];
}

/** The figures of one measurement in four short lines, and what could not be measured. */
function summary(m: TuningMetrics): string[] {
  return [
    ...line('decay', [show(m, 't30Seconds', 'T30', 2, 's'), show(m, 'edtSeconds', 'EDT', 2, 's'), show(m, 'c50Db', 'C50', 1, 'dB'), show(m, 'c80Db', 'C80', 1, 'dB'), show(m, 'echoDensity', 'echo density', 2, '')]),
    ...line('output', [show(m, 'integratedLufs', 'loudness', 1, 'LUFS'), show(m, 'shortTermMaxLufs', 'short-term max', 1, 'LUFS'), show(m, 'truePeakDbtp', 'true peak', 1, 'dBTP'), show(m, 'crestFactorDb', 'crest factor', 1, 'dB')]),
    ...line('spectrum', [show(m, 'centroidHz', 'centroid', 0, 'Hz'), show(m, 'bandwidthHz', 'bandwidth', 0, 'Hz'), show(m, 'flatness', 'flatness', 2, '')]),
    ...line('dry → wet', [show(m, 'centroidShiftHz', 'centroid', 0, 'Hz', true), show(m, 'energyRatioDb', 'energy', 1, 'dB', true), show(m, 'wetDryRatioDb', 'wet/dry', 1, 'dB'), show(m, 'bandwidthChangeHz', 'bandwidth', 0, 'Hz', true), show(m, 'thdPlusNoiseDb', 'THD+N', 1, 'dB')]),
  ];
}

/** One line per figure that changed beyond its DELTA_RULES bound: "darker: centroid −310 Hz". */
function deltas(m: TuningMetrics, previous: TuningMetrics): string[] {
  const lines: string[] = [];
  for (const r of DELTA_RULES) {
    const now = m.figures[r.figure];
    const before = previous.figures[r.figure];
    if (now === null && before !== null) lines.push(`${r.label} no longer measurable: ${m.unmeasured[r.figure] ?? 'unknown reason'}`);
    if (now === null || before === null) continue;
    const delta = now - before;
    if (Math.abs(delta) >= Math.max(r.absolute, (r.relativePercent / 100) * Math.abs(before))) {
      lines.push(`${delta > 0 ? r.up : r.down}: ${r.label} ${formatFigure(delta, r.decimals, r.unit, true)}`);
    }
  }
  return lines.length ? lines : ['no audible change: every figure within its threshold of the previous measurement'];
}

/**
 * Short readable text for a person or an agent between iterations. Without `previous`: the figures in
 * four lines (decay, output, spectrum, dry → wet). With it: first one line per figure that changed by
 * at least its DELTA_RULES threshold, with the sign and unit ("longer tail: T30 +0.42 s"), then the
 * figures. Figures that apply but could not be measured end the text as "not measured: t30Seconds
 * (reason)", then those that do not apply here (decay of a non-reverb, THD+N without a sine input).
 */
export function describeMetrics(metrics: TuningMetrics, previous?: TuningMetrics): string[] {
  const grouped = (applies: boolean) => {
    const byReason = new Map<string, string[]>();
    for (const [f, why] of Object.entries(metrics.unmeasured)) {
      if (metrics.notApplicable.includes(f as TuningFigure) === applies) continue;
      byReason.set(why, [...(byReason.get(why) ?? []), f]);
    }
    return [...byReason].map(([why, figures]) => `${figures.join(', ')} (${why})`);
  };
  const unmeasured = grouped(true);
  const notApplicable = grouped(false);
  return [
    ...(previous ? deltas(metrics, previous) : []),
    ...summary(metrics),
    ...(unmeasured.length ? [`not measured: ${unmeasured.join('; ')}`] : []),
    ...(notApplicable.length ? [`does not apply: ${notApplicable.join('; ')}`] : []),
  ];
}
