import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Preset, type PresetRef, listPresetRefs, loadPreset } from '../presets/presetStore.ts';
import { buildSidecar, checkGolden, type GoldenCheck } from './compareGolden.ts';
import { goldenSettingsFor } from './goldenSettings.ts';
import { sampleHash } from './goldenHash.ts';
import { type GoldenSidecar, goldenPaths, goldenReportDir, isCi, readGoldenAudio, readSidecar, writeGolden } from './goldenStore.ts';
import { writeEvidence, writeReviewIndex } from './goldenReport.ts';
import { renderGolden } from './renderPreset.ts';
import { workspace } from '../presets/workspace.ts';

/** Budget for the whole golden/ folder: the "under 20 MB", read as decimal megabytes (the stricter reading). */
export const GOLDEN_DIR_BUDGET_BYTES = 20_000_000;

export function allPresets(): Preset[] {
  return listPresetRefs().map((r) => loadPreset(r.engine, r.name));
}

/**
 * Renders a preset and writes its golden WAV and sidecar atomically. Refuses in CI. A golden whose
 * samples, configuration and format are already those of the render is left as it is (`written: false`):
 * approving identical audio must not churn the repository (the sidecar's engineVersion would otherwise be
 * rewritten on every `approve --all`).
 */
export function approveGolden(preset: Preset, dir = workspace.goldenDir): { ref: string; sampleHash: string; bytes: number; written: boolean } {
  if (isCi()) throw new Error('CI is set: goldens are never written in CI');
  const settings = goldenSettingsFor(preset);
  const channels = renderGolden(preset, settings);
  const sidecar = buildSidecar(preset, settings, channels);
  const bytes = channels.length * (channels[0]?.length ?? 0) * 4;
  const written = !holdsAlready(preset, sidecar, dir);
  if (written) writeGolden(preset.engine, preset.name, channels, sidecar, dir);
  return { ref: sidecar.preset, sampleHash: sidecar.sampleHash, bytes, written };
}

/** True when the stored golden is intact and records the same format, configuration and samples as `sidecar`. */
function holdsAlready(preset: Preset, sidecar: GoldenSidecar, dir: string): boolean {
  const paths = goldenPaths(preset.engine, preset.name, dir);
  const stored = readSidecar(paths.json);
  if (!stored || stored.formatVersion !== sidecar.formatVersion || stored.configHash !== sidecar.configHash || stored.sampleHash !== sidecar.sampleHash) {
    return false;
  }
  const audio = readGoldenAudio(paths.wav);
  return audio !== null && sampleHash(audio) === stored.sampleHash;
}

export function approveGoldens(refs: readonly PresetRef[], dir = workspace.goldenDir): ReturnType<typeof approveGolden>[] {
  return refs.map((r) => approveGolden(loadPreset(r.engine, r.name), dir));
}

/**
 * Compares every preset with its golden; writes evidence pages for those that differ, are corrupt or
 * changed within tolerance, and reports/golden/index.html listing them (goldenOutcome.ts). Writes no golden.
 */
export async function reviewGoldens(dir = workspace.goldenDir, reportDir = goldenReportDir()): Promise<{ checks: GoldenCheck[]; index: string }> {
  const checks = allPresets().map((p) => checkGolden(p, dir));
  const pages = new Map<string, string>();
  for (const c of checks) {
    if (c.status === 'differs' || c.status === 'corrupt' || c.status === 'within-tolerance') pages.set(c.ref, await writeEvidence(c, reportDir));
  }
  return { checks, index: writeReviewIndex(checks, pages, reportDir) };
}

/** Total bytes of the files under golden/. */
export function goldenDirBytes(dir = workspace.goldenDir): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? goldenDirBytes(path) : statSync(path).size;
  }
  return total;
}
