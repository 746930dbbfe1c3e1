import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeTextAtomicSync } from '../io/atomicText.ts';
import { readWav, writeWavAtomic } from '../io/wavFile.ts';
import { workspace } from '../presets/workspace.ts';
import type { GoldenMetrics } from './goldenMetrics.ts';
import type { GoldenRenderSettings } from './goldenSettings.ts';

export { GOLDEN_DIR } from '../presets/workspace.ts';

/** Where review and evidence pages are written now: `<workspace.reportsDir>/golden`. */
export function goldenReportDir(): string {
  return join(workspace.reportsDir, 'golden');
}

/** The sidecar `golden/<engine>/<name>.json`: how the WAV beside it was made, and what it measured. */
export interface GoldenSidecar {
  formatVersion: number;
  preset: string;
  presetFile: string;
  engine: string;
  engineVersion: string;
  settings: GoldenRenderSettings;
  /** Hash of the preset (engine, validated params, performance) and the render settings. */
  configHash: string;
  sampleHash: string;
  channels: number;
  frames: number;
  metrics: GoldenMetrics;
}

export function goldenPaths(engine: string, name: string, dir = workspace.goldenDir): { wav: string; json: string } {
  return { wav: join(dir, engine, `${name}.wav`), json: join(dir, engine, `${name}.json`) };
}

/** True when the environment says CI: then goldens are never written. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Writes text atomically (temporary file + fsync + rename), creating the folder: see src/io/atomicText.ts. */
export const writeTextAtomic = writeTextAtomicSync;

export function readSidecar(path: string): GoldenSidecar | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as GoldenSidecar;
  } catch (e) {
    throw new Error(`${path}: golden sidecar is not valid JSON (${(e as Error).message})`);
  }
}

export function readGoldenAudio(path: string): Float32Array[] | null {
  return existsSync(path) ? readWav(path).channels : null;
}

/**
 * Writes a golden: the WAV first, then the sidecar, each atomically (temporary file + rename). An
 * interrupted approve leaves either the old pair, or a new WAV whose hash the old sidecar does not
 * record — which the comparison reports as a corrupt golden, never as a pass.
 */
export function writeGolden(engine: string, name: string, channels: Float32Array[], sidecar: GoldenSidecar, dir = workspace.goldenDir): void {
  if (isCi()) throw new Error('CI is set: goldens are never written in CI');
  const paths = goldenPaths(engine, name, dir);
  mkdirSync(dirname(paths.wav), { recursive: true });
  writeWavAtomic(paths.wav, { sampleRate: sidecar.settings.sampleRate, channels });
  writeTextAtomic(paths.json, `${JSON.stringify(sidecar, null, 2)}\n`);
}
