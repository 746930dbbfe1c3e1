import { describe, expect, it } from 'vitest';
import { analyzeDecay } from '../../src/analysis/acoustics/decayAnalysis.ts';
import { filterOctaveBand, octaveFilterBank } from '../../src/analysis/acoustics/octaveBands.ts';
import { render } from '../../src/engine/render.ts';
import { type Preset, listPresets } from '../../src/presets/presetStore.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';
import type { ReverbParams } from '../../src/reverb/reverbParams.ts';

export interface Rt60Check {
  what: string;
  measuredSeconds: number | null;
  targetSeconds: number;
  tolerancePercent: number;
  ok: boolean;
}

/**
 * Measures a reverb preset's wet impulse response (wetDry forced to 1; impulse into the left input,
 * both outputs analysed and their T30 averaged) the ISO 3382 way with the acoustics library: T30 (−5…−35 dB of the Schroeder
 * curve, integrated to the end of the response — the render is noise-free) broadband and in the
 * octave bands of `targets.bands`. The response lasts 0.85 × the longest target plus the pre-delay
 * (51 dB of decay): truncating the Schroeder integral there lowers the curve at the −35 dB end of the
 * fit by about 0.1 dB, a T30 bias under 0.5 %, and keeps the 36 renders of the suite short.
 */
export function checkPresetRt60(preset: Pick<Preset, 'params' | 'targets'>, sampleRate: number, blockFrames = 1024): Rt60Check[] {
  const targets = preset.targets;
  if (!targets) throw new Error('the preset declares no RT60 targets');
  const params = { ...(preset.params as ReverbParams), wetDry: 1 };
  const longest = Math.max(targets.rt60Seconds, ...Object.values(targets.bands));
  const preDelaySeconds = params.preDelaySamples !== undefined ? params.preDelaySamples / sampleRate : (params.preDelayMs ?? 0) / 1000;
  const frames = Math.round((longest * 0.85 + preDelaySeconds + 0.05) * sampleRate);
  const impulse = new Float32Array(frames);
  impulse[0] = 1;
  const outputs = render(new FdnReverb(params), { sampleRate, blockFrames, frames, input: [impulse] });
  const one = (x: Float32Array | Float64Array) => analyzeDecay(x, sampleRate, { which: ['t30'], lundeby: false, clarity: false }).t30Seconds;
  // ISO 3382-1 averages T over positions; here over the two outputs (two decorrelated "positions").
  const t30 = (filter: (x: Float32Array) => Float32Array | Float64Array) => {
    const values = outputs.map((h) => one(filter(h)));
    return values.every((v) => v !== null) ? (values as number[]).reduce((a, b) => a + b, 0) / values.length : null;
  };
  const check = (what: string, measured: number | null, target: number, tolerance: number): Rt60Check => ({
    what, measuredSeconds: measured, targetSeconds: target, tolerancePercent: tolerance,
    ok: measured !== null && Math.abs(measured / target - 1) * 100 <= tolerance,
  });
  const results = [check('broadband', t30((h) => h), targets.rt60Seconds, targets.tolerancePercent)];
  const bank = octaveFilterBank(sampleRate);
  for (const [band, target] of Object.entries(targets.bands)) {
    const filter = bank.find((b) => b.nominalHz === Number(band));
    if (!filter) throw new Error(`no octave band ${band} Hz at ${sampleRate} Hz`);
    results.push(check(`${band} Hz`, t30((h) => filterOctaveBand(filter, h)), target, targets.bandTolerancePercent));
  }
  return results;
}

export function formatChecks(checks: readonly Rt60Check[]): string {
  return checks
    .map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.what}: T30 ${c.measuredSeconds?.toFixed(3) ?? 'unmeasurable'} s, target ${c.targetSeconds} s ± ${c.tolerancePercent} %` +
      (c.measuredSeconds !== null ? ` (${(100 * (c.measuredSeconds / c.targetSeconds - 1)).toFixed(1)} %)` : ''))
    .join('\n');
}

/** One test per reverb preset at `sampleRate`: broadband T30 within 5 %, octave bands within 10 %. */
export function describePresetRt60Targets(sampleRate: number): void {
  describe(`reverb presets meet their RT60 targets at ${sampleRate} Hz`, () => {
    const presets = listPresets('reverb');
    it('finds at least 12 reverb presets, each with broadband and 250 Hz – 4 kHz band targets', () => {
      expect(presets.length).toBeGreaterThanOrEqual(12);
      for (const p of presets) expect(Object.keys(p.targets?.bands ?? {}).sort(), p.name).toEqual(['1000', '2000', '250', '4000', '500']);
    });
    for (const preset of presets) {
      it(`${preset.name}: measured T30 within the declared tolerances`, () => {
        const checks = checkPresetRt60(preset, sampleRate);
        expect(checks.every((c) => c.ok), `${preset.name} at ${sampleRate} Hz\n${formatChecks(checks)}`).toBe(true);
      });
    }
  });
}
