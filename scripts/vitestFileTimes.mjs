import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, relative } from 'node:path';

/**
 * A vitest reporter that says where the suite's time goes, per test file: the import of the file and
 * everything it imports (vitest's collectDuration: module transform and evaluation, and the describe
 * bodies), its setup files, and its tests and hooks; each test's own duration; when the file ended (endMs,
 * from the run's start: the order files ran in, and the tail); and the 1-minute load average then — on this
 * shared 2-core machine a figure means nothing without it.
 *
 *   npx vitest run --reporter=./scripts/vitestFileTimes.mjs --reporter=default
 *
 * writes reports/vitest-file-times.json (VITEST_FILE_TIMES names another file) and prints the 15 slowest
 * files. Compare two versions of a file interleaved (A, B, A, B) at the same load, not whole-suite totals
 * taken at different loads. Each file's CPU time: STUDIO_RIG_TEST_WORKERS=1 and the differences of
 * consecutive files' cpuEndS (processCpuSeconds).
 */
export default class VitestFileTimes {
  files = [];
  startedMs = Date.now();
  loadAtStart = loadavg();

  onTestModuleEnd(module) {
    const d = module.diagnostic();
    const tests = [...module.children.allTests()].map((t) => ({ name: t.fullName, ms: round(t.diagnostic()?.duration ?? 0), state: t.result().state }));
    this.files.push({
      file: relative(process.cwd(), module.moduleId), project: module.project.name, ok: module.ok(),
      importMs: round(d.collectDuration), setupMs: round(d.setupDuration), prepareMs: round(d.prepareDuration), testsMs: round(d.duration),
      load1: round(loadavg()[0]), endMs: Date.now() - this.startedMs, cpuEndS: processCpuSeconds(), tests,
    });
  }

  onTestRunEnd() {
    const out = process.env.VITEST_FILE_TIMES ?? 'reports/vitest-file-times.json';
    const total = (f) => f.importMs + f.setupMs + f.prepareMs + f.testsMs;
    this.files.sort((a, b) => total(b) - total(a));
    const wallMs = Date.now() - this.startedMs;
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ wallMs, loadAtStart: this.loadAtStart, loadAtEnd: loadavg(), files: this.files }, null, 1)}\n`);
    const sum = (key) => (this.files.reduce((s, f) => s + f[key], 0) / 1000).toFixed(1);
    const lines = [
      `vitest file times (${out}): wall ${(wallMs / 1000).toFixed(1)} s, load ${this.loadAtStart[0].toFixed(1)} → ${loadavg()[0].toFixed(1)}; summed over ${this.files.length} files: import ${sum('importMs')} s, tests ${sum('testsMs')} s`,
      ...this.files.slice(0, 15).map((f) => `${(total(f) / 1000).toFixed(1).padStart(6)} s  import ${(f.importMs / 1000).toFixed(1).padStart(5)}  tests ${(f.testsMs / 1000).toFixed(1).padStart(5)}  load ${f.load1.toFixed(1).padStart(4)}  ${f.file}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

const round = (x) => Math.round(x * 10) / 10;

/**
 * CPU seconds of this process so far, user + system, its worker threads and the child processes it has
 * waited for included (/proc/self/stat utime, stime, cutime, cstime; 100 ticks a second). With one worker
 * (STUDIO_RIG_TEST_WORKERS=1) the difference between two consecutive files' cpuEndS is the later file's
 * CPU: import, tests, and what it spawned (Chromium, `rig`; not esbuild's service process, reaped at exit).
 */
function processCpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}
