// Mutation scores from StrykerJS's incremental files (reports/mutation/*.incremental.json, written by
// scripts/mutation-batches.sh), per file, per batch and over all files given:
//   node scripts/mutation-score.mjs [reports/mutation/dsp-*.incremental.json …] [--survivors] [--unmeasured=src/analysis]
// --unmeasured=DIR lists the source files under DIR (not tests, benchmarks or fixtures) that no file given holds.
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker counts it: mutants that do
// not compile (checker) or were left out (--ignoreStatic) are not counted.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const showSurvivors = args.includes('--survivors');
const unmeasuredDir = args.find((a) => a.startsWith('--unmeasured='))?.slice('--unmeasured='.length);
let files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  files = readdirSync('reports/mutation')
    .filter((f) => f.endsWith('.incremental.json'))
    .map((f) => `reports/mutation/${f}`);
}

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** @param {{ status: string }[]} mutants */
function tally(mutants) {
  let detected = 0;
  let undetected = 0;
  for (const m of mutants) {
    if (DETECTED.has(m.status)) detected++;
    else if (UNDETECTED.has(m.status)) undetected++;
  }
  const valid = detected + undetected;
  return { detected, undetected, valid, score: valid === 0 ? NaN : (100 * detected) / valid };
}

const line = (name, t) =>
  `${t.score.toFixed(1).padStart(6)} %  ${String(t.detected).padStart(5)} / ${String(t.valid).padEnd(5)} ${name}`;

const all = [];
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const batch = [];
  console.log(file);
  for (const [path, entry] of Object.entries(report.files).sort()) {
    batch.push(...entry.mutants);
    console.log('  ' + line(path, tally(entry.mutants)));
    if (showSurvivors) {
      for (const m of entry.mutants.filter((m) => UNDETECTED.has(m.status))) {
        const { line: l, column: c } = m.location.start;
        console.log(`      ${l}:${c} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}`);
      }
    }
  }
  console.log('  ' + line('(batch)', tally(batch)));
  all.push(...batch);
}
if (files.length > 1) console.log(line('all files above', tally(all)));
if (unmeasuredDir) {
  const measured = new Set(files.flatMap((f) => Object.keys(JSON.parse(readFileSync(f, 'utf8')).files)));
  const sources = readdirSync(unmeasuredDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !/\.(test|bench|producerFixture)\.ts$/.test(f))
    .map((f) => join(unmeasuredDir, f))
    .sort();
  const missing = sources.filter((f) => !measured.has(f));
  console.log(`${sources.length - missing.length} of ${sources.length} source files under ${unmeasuredDir} measured; not measured:`);
  for (const f of missing) console.log(`  ${f}`);
}
