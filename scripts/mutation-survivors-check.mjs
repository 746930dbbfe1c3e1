// Shows, mutant by mutant, whether tests kill the survivors of a Stryker batch, without a Stryker run: applies each
// Survived/NoCoverage mutant of <file> from an incremental report to a copy of the worktree (MUTCHECK_DIR, default
// /tmp/mutcheck: the worktree itself, which a running Stryker copies into its sandbox, is never touched), runs the given
// test files under vitest.mutation.config.ts (90 s at most each), prints RED (killed) or green, and restores the copy.
// A report older than the file is followed by matching the mutant's line text nearby (lines that moved); a changed line
// is skipped. Expression mutants are spliced in parentheses, as Stryker's tree keeps them. The worker-thread tests
// need RIG_MUTATION_WORKER_TESTS=1 (see vitest.mutation.config.ts). ONLY=line:col,… limits it to those mutants.
// MUTCHECK_CMD runs a command in the copy instead (e.g. a script whose output is compared with the unmutated code's:
// scripts/estimateDelayReferences.ts).
// A RED here is a claim until the batch is rerun under Stryker.
//   node scripts/mutation-survivors-check.mjs reports/mutation/analysis-dropouts-zeroedRun.incremental.json \
//     src/analysis/dropouts/zeroedRun.ts src/analysis/dropouts/zeroedRun.test.ts
import { readFileSync, writeFileSync, cpSync, existsSync, symlinkSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
const [report, file, ...tests] = process.argv.slice(2);
const wt = process.cwd();
const copy = process.env.MUTCHECK_DIR ?? '/tmp/mutcheck';
for (const d of ['src', 'sim', 'scripts']) { rmSync(`${copy}/${d}`, { recursive: true, force: true }); cpSync(`${wt}/${d}`, `${copy}/${d}`, { recursive: true }); }
for (const f of ['package.json', 'tsconfig.json', 'vitest.config.ts', 'vitest.mutation.config.ts']) if (existsSync(`${wt}/${f}`)) cpSync(`${wt}/${f}`, `${copy}/${f}`);
if (!existsSync(`${copy}/node_modules`)) symlinkSync(`${wt}/node_modules`, `${copy}/node_modules`);
const entry = JSON.parse(readFileSync(report, 'utf8')).files[file];
const original = readFileSync(`${copy}/${file}`, 'utf8');
const lines = original.split('\n');
const offset = (l, c) => lines.slice(0, l - 1).reduce((s, x) => s + x.length + 1, 0) + c - 1;
/** Mutators whose replacement is an expression (precedence matters where it lands); the others replace blocks, literals or names. */
const EXPRESSION_MUTATORS = new Set(['LogicalOperator', 'ArithmeticOperator', 'EqualityOperator', 'ConditionalExpression', 'UnaryOperator', 'MethodExpression', 'OptionalChaining', 'AssignmentOperator', 'UpdateOperator']);
const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : undefined;
/** MUTCHECK_CMD: a shell command run in the copy instead of the tests (exit 0: green), its output printed after the mutant. */
const command = process.env.MUTCHECK_CMD;
for (const m of entry.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')) {
  const { start, end } = m.location;
  const tag = `${start.line}:${start.column}`;
  if (only && !only.has(tag)) continue;
  // The report's source may be older than the file (lines moved): find the mutant's first line by its text, nearest first.
  const oldLines = entry.source.split('\n');
  let shift = 0;
  if (oldLines[start.line - 1] !== lines[start.line - 1]) {
    shift = NaN;
    for (let d = 1; d < 40 && Number.isNaN(shift); d++) for (const s of [d, -d]) if (lines[start.line - 1 + s] === oldLines[start.line - 1]) { shift = s; break; }
    if (Number.isNaN(shift)) { console.log(`skip  ${tag} (its line changed)`); continue; }
  }
  // Stryker mutates the syntax tree, so a replacement keeps its place in the expression around it; spliced in as text
  // it would not (`a && b` → `a || b` inside `c && a && b` reads `c && a || b`): expression mutants go in parentheses.
  const text = EXPRESSION_MUTATORS.has(m.mutatorName) ? `(${m.replacement})` : m.replacement;
  const mutated = original.slice(0, offset(start.line + shift, start.column)) + text + original.slice(offset(end.line + shift, end.column));
  writeFileSync(`${copy}/${file}`, mutated);
  const r = command
    ? spawnSync('timeout', ['-s', 'KILL', '300', 'bash', '-c', command], { cwd: copy, encoding: 'utf8' })
    : spawnSync('timeout', ['-s', 'KILL', '90', 'node', 'node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.mutation.config.ts', ...tests], { cwd: copy, encoding: 'utf8', env: { ...process.env, FC_SEED: '20261204' } });
  console.log(`${r.status === 0 ? 'green' : 'RED  '} ${tag} ${m.mutatorName}: ${JSON.stringify(m.replacement)}${command ? ` ${r.stdout.trim()}` : ''}`);
}
writeFileSync(`${copy}/${file}`, original);
