import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav, writeWavAtomic } from '../io/wavFile.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { checkGolden, type GoldenCheck } from './compareGolden.ts';
import { sampleHash } from './goldenHash.ts';
import { goldenMetrics } from './goldenMetrics.ts';
import { describeOutcome, formatDb, goldenOutcome, reviewLines } from './goldenOutcome.ts';
import { writeReviewIndex } from './goldenReport.ts';
import { goldenPaths, readSidecar } from './goldenStore.ts';
import { approveGolden } from './goldenWorkflow.ts';

const preset = loadPreset('lossy', 'sampler-8bit');
let dir: string;
let savedCi: string | undefined;
/** The same preset checked against three goldens: its own render, one sample moved by 1e-6, and 1 dB louder. */
let checks: { identical: GoldenCheck; changed: GoldenCheck; failed: GoldenCheck };

/** Checks the preset against its golden edited by `edit` (sidecar updated, as if approved so). */
function checkAgainstEdited(edit: (channels: Float32Array[]) => void): GoldenCheck {
  approveGolden(preset, dir);
  const paths = goldenPaths(preset.engine, preset.name, dir);
  const audio = readWav(paths.wav);
  edit(audio.channels);
  writeWavAtomic(paths.wav, audio);
  const sidecar = readSidecar(paths.json)!;
  sidecar.sampleHash = sampleHash(audio.channels);
  sidecar.metrics = goldenMetrics(audio.channels, sidecar.settings);
  writeFileSync(paths.json, JSON.stringify(sidecar));
  return checkGolden(preset, dir);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-outcome-'));
  savedCi = process.env.CI;
  delete process.env.CI;
  approveGolden(preset, dir);
  const identical = checkGolden(preset, dir);
  const changed = checkAgainstEdited((ch) => { ch[0][30000] += 1e-6; });
  const failed = checkAgainstEdited((ch) => { for (const c of ch) for (let i = 0; i < c.length; i++) c[i] *= 10 ** (1 / 20); });
  checks = { identical, changed, failed };
});
afterAll(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
  rmSync(dir, { recursive: true, force: true });
});

describe('golden outcomes', () => {
  it('are three and distinct: identical, changed within tolerance (with its residual), failed (with why)', () => {
    const { identical, changed, failed } = checks;

    expect([goldenOutcome(identical), goldenOutcome(changed), goldenOutcome(failed)]).toEqual(['identical', 'changed', 'failed']);
    expect(describeOutcome(identical)).toBe('identical');
    expect(describeOutcome(changed)).toBe(`changed within tolerance (residual ${formatDb(changed.residualDb)})`);
    expect(describeOutcome(changed)).toMatch(/^changed within tolerance \(residual −\d+\.\d dB\)$/);
    expect(describeOutcome(failed)).toMatch(/^failed: lossy\/sampler-8bit: differs from its golden: null-test residual/);
  });

  it('pass for identical and changed, fail for failed (CI passes a change within tolerance but lists it)', () => {
    expect([checks.identical.ok, checks.changed.ok, checks.failed.ok]).toEqual([true, true, false]);
  });

  it('are printed by golden review one line each, with a count per outcome', () => {
    const lines = reviewLines([checks.identical, checks.changed, checks.failed]);

    expect(lines[0]).toBe('ok       lossy/sampler-8bit  identical');
    expect(lines[1]).toMatch(/^CHANGED  lossy\/sampler-8bit  changed within tolerance \(residual −\d+\.\d dB\)$/);
    expect(lines[2]).toMatch(/^FAIL     lossy\/sampler-8bit  failed: /);
    expect(lines[3]).toBe('1 identical, 1 changed within tolerance, 1 failed (of 3 presets)');
  });

  it('are listed apart in the review page: failed, changed within tolerance (with residual), identical', () => {
    const page = writeReviewIndex([checks.identical, checks.changed, checks.failed], new Map(), join(dir, 'reports'));
    const html = readFileSync(page, 'utf8');

    expect(html).toContain('1 of 3 presets need attention, 1 changed within tolerance');
    expect(html.indexOf('<h2>Failed</h2>')).toBeLessThan(html.indexOf('<h2>Changed within tolerance</h2>'));
    expect(html).toContain(`<tr class="changed"><td>lossy/sampler-8bit</td><td>within-tolerance</td><td>${checks.changed.residualDb!.toFixed(1)}</td>`);
    expect(html).toContain('<li>lossy/sampler-8bit — identical</li>');
  });

  it('format residuals with a real minus sign, −∞ for identical samples', () => {
    expect([formatDb(-87.34), formatDb(-Infinity), formatDb(undefined), formatDb(3.06)]).toEqual(['−87.3 dB', '−∞ dB', '— dB', '3.1 dB']);
  });
});
