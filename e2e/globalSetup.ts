import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from './staticServer.ts';

/**
 * Writes reports into a fresh temporary reports folder (beside a run folder holding a half-written
 * report.json), serves that folder over http on 127.0.0.1 and
 * tells the tests where through E2E_BASE_URL and E2E_RUN_PATH (the newest run's report.html).
 *
 * By default the fixture reports (every feature: dropouts with pictures, an inverted channel, an
 * interrupted run) and then a real short virtual-rig run (the run page under test) are written.
 * One command instead:
 *   E2E_REPORT_COMMAND='node bin/rig.js hil --scenario latency-probe --reports {reports}' npx playwright test
 * or change the commands below. `{reports}` is replaced by the temporary folder.
 */
const FIXTURE_COMMAND = ['node', '--import', 'tsx', 'e2e/writeFixtureReports.ts', '{reports}'];
/** A real, short HIL run on the virtual rig, written last so it is the run page under test. */
const REAL_RUN_COMMAND = ['node', 'bin/rig.js', 'hil', '--scenario', 'panic', '--reports', '{reports}'];

/** A run folder with a half-written report.json, put there before the command runs: the index must skip it with a note. */
export const HALF_WRITTEN_FOLDER = 'half-written';

async function newestRun(reportsDir: string): Promise<string> {
  const runsDir = join(reportsDir, 'runs');
  const folders = await readdir(runsDir);
  const withTimes = await Promise.all(folders.map(async (f) => ({ f, t: await stat(join(runsDir, f, 'report.html')).then((s) => s.mtimeMs, () => -1) })));
  const newest = withTimes.filter((x) => x.t >= 0).sort((a, b) => b.t - a.t)[0];
  if (!newest) throw new Error(`globalSetup: the report command wrote no runs/*/report.html under ${reportsDir}`);
  return `runs/${encodeURIComponent(newest.f)}/report.html`;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const reportsDir = await mkdtemp(join(tmpdir(), 'studio-rig-e2e-'));
  await mkdir(join(reportsDir, 'runs', HALF_WRITTEN_FOLDER), { recursive: true });
  await writeFile(join(reportsDir, 'runs', HALF_WRITTEN_FOLDER, 'report.json'), '{"formatVersion":1,"runId":"half-wri');
  const commands = process.env.E2E_REPORT_COMMAND ? [process.env.E2E_REPORT_COMMAND.split(/\s+/).filter(Boolean)] : [FIXTURE_COMMAND, REAL_RUN_COMMAND];
  for (const template of commands) {
    const command = template.map((a) => a.replaceAll('{reports}', reportsDir));
    // A failing run (non-zero exit) still writes a report to check; only a run that wrote none stops here.
    const result = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 'ignore', 'inherit'], cwd: process.cwd() });
    if (result.error) throw new Error(`globalSetup: could not run ${command.join(' ')}: ${result.error.message}`);
    if (result.status !== 0) process.stderr.write(`globalSetup: ${command.join(' ')} exited with ${result.status ?? result.signal}; checking the report it wrote\n`);
  }
  const server = await serveDirectory(reportsDir);
  process.env.E2E_BASE_URL = server.url;
  process.env.E2E_RUN_PATH = await newestRun(reportsDir);
  process.env.E2E_REPORTS_DIR = reportsDir;
  return async () => {
    await server.close();
    if (!process.env.E2E_KEEP_REPORTS) await rm(reportsDir, { recursive: true, force: true });
  };
}
