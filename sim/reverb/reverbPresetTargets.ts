/**
 * The RT60 targets of the reverb presets come from the design, not from measurement: for each preset
 * `predictReverbRt60` (src/reverb/rt60Prediction.ts) integrates the decay the absorption filters
 * give over each octave band, averaged over 44.1, 48 and 96 kHz. This tool rewrites `targets` of every presets/reverb/*.json
 * from its params (rounded to 0.01 s), keeping the tolerances:
 *   npx tsx sim/reverb/reverbPresetTargets.ts --write
 * Without --write it prints the predicted targets. The RT60 test then checks the rendered impulse
 * responses against these numbers at 44.1, 48 and 96 kHz.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRESETS_DIR, listPresetRefs } from '../../src/presets/presetStore.ts';
import { reverbParamsSchema } from '../../src/reverb/reverbParams.ts';
import { predictReverbRt60 } from '../../src/reverb/rt60Prediction.ts';

/** The targets hold at every rate the test renders, so they are the mean of the predictions at these. */
export const TARGET_SAMPLE_RATES = [44100, 48000, 96000] as const;

export function predictedTargets(params: unknown) {
  const parsed = reverbParamsSchema.parse(params);
  const predictions = TARGET_SAMPLE_RATES.map((rate) => predictReverbRt60(parsed, rate));
  const mean = (pick: (p: (typeof predictions)[number]) => number) => predictions.reduce((a, p) => a + pick(p), 0) / predictions.length;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    rt60Seconds: round(mean((p) => p.broadbandSeconds)),
    bands: Object.fromEntries(Object.keys(predictions[0].bandsSeconds).map((band) => [band, round(mean((p) => p.bandsSeconds[band]))])),
  };
}

if (process.argv[1]?.endsWith('reverbPresetTargets.ts')) {
  const write = process.argv.includes('--write');
  for (const ref of listPresetRefs('reverb')) {
    const file = join(PRESETS_DIR, 'reverb', `${ref.name}.json`);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const t = predictedTargets(json.params);
    process.stdout.write(`${ref.name}: ${JSON.stringify(t)}\n`);
    if (write) {
      json.targets = { rt60Seconds: t.rt60Seconds, tolerancePercent: json.targets?.tolerancePercent ?? 5, bands: t.bands, bandTolerancePercent: json.targets?.bandTolerancePercent ?? 10 };
      writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    }
  }
}
