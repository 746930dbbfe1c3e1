import { engineRegistry } from '../presets/engineRegistry.ts';
import type { Preset } from '../presets/presetStore.ts';
import { configHash, sampleHash } from './goldenHash.ts';
import { type GoldenMetrics, goldenMetrics } from './goldenMetrics.ts';
import { COMPARED_BANDS_HZ, GOLDEN_FORMAT_VERSION, GOLDEN_TOLERANCES, type GoldenRenderSettings, goldenSettingsFor } from './goldenSettings.ts';
import { type GoldenSidecar, goldenPaths, readGoldenAudio, readSidecar } from './goldenStore.ts';
import { renderGolden } from './renderPreset.ts';
import { workspace } from '../presets/workspace.ts';

/**
 * - identical: same sample hash — passes without measuring anything.
 * - within-tolerance: different samples, but residual and every metric within GOLDEN_TOLERANCES.
 * - differs: outside a tolerance (or a different length or channel count).
 * - stale: the golden was made from another preset or other settings (config hash differs): not compared.
 * - missing: no golden yet.
 * - corrupt: the golden WAV does not hold the samples its sidecar records (e.g. an interrupted write).
 */
export type GoldenStatus = 'identical' | 'within-tolerance' | 'differs' | 'stale' | 'missing' | 'corrupt';

export interface MetricDelta {
  metric: string;
  golden: number | null;
  current: number | null;
  /** current − golden, in `unit` (percent of the golden for relative metrics). */
  delta: number | null;
  limit: number;
  unit: string;
  ok: boolean;
  /** Why the metric was not compared (measured on one side only). */
  note?: string;
}

export interface GoldenCheck {
  ref: string;
  preset: Preset;
  status: GoldenStatus;
  ok: boolean;
  message: string;
  settings: GoldenRenderSettings;
  configHash: string;
  sampleHash: string;
  rendered: Float32Array[];
  sidecar?: GoldenSidecar;
  golden?: Float32Array[];
  /** Null-test residual energy re the golden's energy, dB (−Infinity when identical). */
  residualDb?: number;
  metrics?: GoldenMetrics;
  deltas?: MetricDelta[];
}

/** What the config hash covers: the engine, its validated parameters, the performance and the render settings. */
export function goldenConfig(preset: Preset, settings: GoldenRenderSettings): unknown {
  return { engine: preset.engine, params: preset.params, performance: preset.performance ?? null, settings };
}

export function buildSidecar(preset: Preset, settings: GoldenRenderSettings, channels: Float32Array[], metrics = goldenMetrics(channels, settings)): GoldenSidecar {
  return {
    formatVersion: GOLDEN_FORMAT_VERSION,
    preset: `${preset.engine}/${preset.name}`,
    presetFile: preset.file,
    engine: preset.engine,
    engineVersion: engineRegistry[preset.engine].version,
    settings,
    configHash: configHash(goldenConfig(preset, settings)),
    sampleHash: sampleHash(channels),
    channels: channels.length,
    frames: channels[0]?.length ?? 0,
    metrics,
  };
}

/** Energy of (a − b) relative to the energy of b, dB; over the common length. */
export function residualDb(current: readonly Float32Array[], golden: readonly Float32Array[]): number {
  let diff = 0;
  let ref = 0;
  for (let c = 0; c < Math.min(current.length, golden.length); c++) {
    const a = current[c];
    const b = golden[c];
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = a[i] - b[i];
      diff += d * d;
      ref += b[i] * b[i];
    }
  }
  if (diff === 0) return -Infinity;
  return 10 * Math.log10(diff / (ref > 0 ? ref : 1e-30));
}

function delta(metric: string, golden: number | null, current: number | null, limit: number, relative: boolean): MetricDelta {
  const unit = relative ? '%' : metric.includes('Lufs') ? 'LU' : 'dB';
  if (golden === null || current === null) {
    // A figure at the edge of what the analysis can measure may come and go with a rounding change;
    // the null test still judges the signal, so a one-sided figure is shown but does not fail.
    return { metric, golden, current, delta: null, limit, unit, ok: true, ...(golden === current ? {} : { note: 'measured on one side only' }) };
  }
  const d = relative ? (golden === 0 ? (current === 0 ? 0 : Infinity) : (100 * (current - golden)) / Math.abs(golden)) : current - golden;
  return { metric, golden, current, delta: d, limit, unit, ok: Math.abs(d) <= limit };
}

/** Every metric compared against its tolerance (GOLDEN_TOLERANCES; bands COMPARED_BANDS_HZ). */
export function compareMetrics(golden: GoldenMetrics, current: GoldenMetrics): MetricDelta[] {
  const t = GOLDEN_TOLERANCES;
  const out: MetricDelta[] = [
    delta('rt60Seconds', golden.rt60Seconds, current.rt60Seconds, t.rt60Percent, true),
    delta('edtSeconds', golden.edtSeconds, current.edtSeconds, t.edtPercent, true),
    delta('c80Db', golden.c80Db, current.c80Db, t.c80Db, false),
    delta('centroidHz', golden.centroidHz, current.centroidHz, t.centroidPercent, true),
    delta('integratedLufs', golden.integratedLufs, current.integratedLufs, t.loudnessLu, false),
    delta('samplePeakDbfs', golden.samplePeakDbfs, current.samplePeakDbfs, t.peakDb, false),
    delta('truePeakDbtp', golden.truePeakDbtp, current.truePeakDbtp, t.peakDb, false),
  ];
  for (const hz of COMPARED_BANDS_HZ) {
    out.push(delta(`rt60Seconds@${hz}Hz`, golden.rt60BandsSeconds?.[hz] ?? null, current.rt60BandsSeconds?.[hz] ?? null, t.rt60Percent, true));
  }
  return out;
}

/** Renders a preset and compares it with its golden (see GoldenStatus). Writes nothing. */
export function checkGolden(preset: Preset, dir = workspace.goldenDir): GoldenCheck {
  const ref = `${preset.engine}/${preset.name}`;
  const settings = goldenSettingsFor(preset);
  const rendered = renderGolden(preset, settings);
  const hash = configHash(goldenConfig(preset, settings));
  const samples = sampleHash(rendered);
  const base = { ref, preset, settings, configHash: hash, sampleHash: samples, rendered };
  const paths = goldenPaths(preset.engine, preset.name, dir);
  const sidecar = readSidecar(paths.json);
  const golden = readGoldenAudio(paths.wav);
  if (!sidecar || !golden) {
    return { ...base, status: 'missing', ok: false, message: `${ref}: no golden (${sidecar ? paths.wav : paths.json} missing); approve with npm run golden -- approve ${ref}` };
  }
  if (sidecar.configHash !== hash) {
    return {
      ...base, sidecar, status: 'stale', ok: false,
      message: `${ref}: golden is stale — made from another preset or other render settings (config hash ${sidecar.configHash.slice(0, 19)}… ≠ ${hash.slice(0, 19)}…); review and approve with npm run golden -- approve ${ref}`,
    };
  }
  if (sampleHash(golden) !== sidecar.sampleHash) {
    return { ...base, sidecar, golden, status: 'corrupt', ok: false, message: `${ref}: ${paths.wav} does not hold the samples its sidecar records; re-approve it` };
  }
  if (samples === sidecar.sampleHash) {
    return { ...base, sidecar, golden, status: 'identical', ok: true, message: `${ref}: identical to its golden`, residualDb: -Infinity };
  }
  const residual = residualDb(rendered, golden);
  const metrics = goldenMetrics(rendered, settings);
  const deltas = compareMetrics(sidecar.metrics, metrics);
  const shapeOk = rendered.length === golden.length && rendered[0]?.length === golden[0]?.length;
  const failures = [
    ...(shapeOk ? [] : [`shape ${rendered.length}×${rendered[0]?.length} ≠ golden ${golden.length}×${golden[0]?.length}`]),
    ...(residual <= GOLDEN_TOLERANCES.residualDb ? [] : [`null-test residual ${residual.toFixed(1)} dB > ${GOLDEN_TOLERANCES.residualDb} dB`]),
    ...deltas.filter((d) => !d.ok).map((d) => `${d.metric} ${d.golden} → ${d.current} (limit ±${d.limit} ${d.unit})`),
  ];
  const ok = failures.length === 0;
  return {
    ...base, sidecar, golden, residualDb: residual, metrics, deltas,
    status: ok ? 'within-tolerance' : 'differs', ok,
    message: ok
      ? `${ref}: differs from its golden within tolerance (residual ${residual.toFixed(1)} dB)`
      : `${ref}: differs from its golden: ${failures.join('; ')}`,
  };
}
