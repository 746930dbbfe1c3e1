import { describe, expect, it } from 'vitest';
import { DELTA_RULES, describeMetrics, formatFigure } from './describeMetrics.ts';
import { TUNING_FIGURE_NAMES, type TuningFigure } from './tuningFigures.ts';
import type { TuningMetrics } from './tuningMetrics.ts';

function metrics(figures: Partial<Record<TuningFigure, number | null>>, unmeasured: TuningMetrics['unmeasured'] = {}, notApplicable: TuningFigure[] = []): TuningMetrics {
  const all = Object.fromEntries(TUNING_FIGURE_NAMES.map((f) => [f, null])) as Record<TuningFigure, number | null>;
  return { engine: 'reverb', sampleRateHz: 48000, windowSeconds: 3, figures: { ...all, ...figures }, unmeasured, decaySource: null, notApplicable };
}

const A = metrics({ centroidHz: 2000, t30Seconds: 1.5, energyRatioDb: -3, c80Db: 2, integratedLufs: -20 });

describe('describeMetrics', () => {
  it('writes the issue\'s examples: direction word, figure, signed delta with a real minus and the unit', () => {
    const B = metrics({ centroidHz: 1690, t30Seconds: 1.92, energyRatioDb: -0.9, c80Db: 2, integratedLufs: -20 });
    expect(describeMetrics(B, A).slice(0, 3)).toEqual(['darker: centroid −310 Hz', 'longer tail: T30 +0.42 s', 'more energy out: energy ratio +2.1 dB']);
  });

  it.each(DELTA_RULES.map((r) => [r.figure, r] as const))('reports %s from its threshold up, and not below it', (_, rule) => {
    const base = rule.figure === 'flatness' || rule.figure === 'echoDensity' ? 0.5 : rule.unit === 'Hz' ? 1000 : rule.unit === 's' ? 1 : -10;
    const bound = Math.max(rule.absolute, (rule.relativePercent / 100) * Math.abs(base));
    const before = metrics({ [rule.figure]: base });
    const at = describeMetrics(metrics({ [rule.figure]: base + bound * 1.001 }), before);
    const below = describeMetrics(metrics({ [rule.figure]: base + bound * 0.99 }), before);
    expect(at[0]).toMatch(new RegExp(`^${rule.up}: ${rule.label.replace('+', '\\+')} \\+`));
    expect(below[0]).toBe('no audible change: every figure within its threshold of the previous measurement');
    expect(describeMetrics(metrics({ [rule.figure]: base - bound * 1.001 }), before)[0]).toMatch(new RegExp(`^${rule.down}: `));
  });

  it('says when a figure stops being measurable, and groups the reasons', () => {
    const B = metrics({ centroidHz: 2000 }, { t30Seconds: 'too short', edtSeconds: 'too short', thdPlusNoiseDb: 'no sine' }, ['thdPlusNoiseDb']);
    const lines = describeMetrics(B, A);
    expect(lines).toContain('T30 no longer measurable: too short');
    expect(lines).toContain('not measured: t30Seconds, edtSeconds (too short)');
    expect(lines.at(-1)).toBe('does not apply: thdPlusNoiseDb (no sine)');
  });

  it('summarises one measurement in short lines without deltas', () => {
    expect(describeMetrics(A)).toEqual(['decay: T30 1.50 s, C80 2.0 dB', 'output: loudness −20.0 LUFS', 'spectrum: centroid 2000 Hz', 'dry → wet: energy −3.0 dB']);
  });

  it('never prints −0', () => {
    expect(formatFigure(-0.0004, 2, 's', true)).toBe('0.00 s');
  });
});
