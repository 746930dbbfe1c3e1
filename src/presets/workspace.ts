import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this file holding a package.json — the repository when
 * run from the sources, the installed package when run from its build (dist/…), where the bundled
 * presets, goldens and scenarios live.
 */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const REPO_ROOT = packageRoot();
export const PRESETS_DIR = join(REPO_ROOT, 'presets');
export const GOLDEN_DIR = join(REPO_ROOT, 'golden');
export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
export const REPORTS_DIR = join(REPO_ROOT, 'reports');

/**
 * Where presets, goldens and scenarios are read and written: the bundled folders unless the user
 * points elsewhere (`--presets-dir`, `--golden-dir`, `--scenarios-dir`, or studio-rig.config.json).
 * Read at call time by every function whose folder argument is left out.
 */
export interface Workspace {
  presetsDir: string;
  goldenDir: string;
  scenariosDir: string;
  /** Where golden review pages go (`<reportsDir>/golden`): the user's folder, never inside an installed package. */
  reportsDir: string;
}

export const workspace: Workspace = { presetsDir: PRESETS_DIR, goldenDir: GOLDEN_DIR, scenariosDir: SCENARIOS_DIR, reportsDir: REPORTS_DIR };

/** Points the workspace at other folders (absolute paths); returns the previous one, to restore. */
export function setWorkspace(change: Partial<Workspace>): Workspace {
  const before = { ...workspace };
  Object.assign(workspace, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
  return before;
}
