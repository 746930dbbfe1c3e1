// One HTML report of several batches' incremental files (scripts/mutation-batches.sh), e.g. the whole of src/analysis:
//   node scripts/mutation-report.mjs reports/mutation/analysis.html reports/mutation/analysis-*.incremental.json
// Each batch's own run writes reports/mutation/index.html for that batch only; this joins the batches' files and tests
// into one report (mutation-testing-report-schema) and renders it with the page StrykerJS's html reporter uses.
// A file found in two batches is an error: the batches must not overlap, or a mutant would be counted twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [out, ...inputs] = process.argv.slice(2);
if (!out?.endsWith('.html') || inputs.length === 0) {
  console.error('usage: node scripts/mutation-report.mjs OUT.html BATCH.incremental.json…');
  process.exit(2);
}
const report = { schemaVersion: '1.0', thresholds: { high: 90, low: 85 }, files: {}, testFiles: {} };
const from = {};
for (const input of inputs) {
  const batch = JSON.parse(readFileSync(input, 'utf8'));
  for (const [path, file] of Object.entries(batch.files)) {
    if (from[path]) throw new Error(`${path} is in both ${from[path]} and ${input}`);
    from[path] = input;
    report.files[path] = file;
  }
  for (const [path, tests] of Object.entries(batch.testFiles ?? {})) {
    // The same test file serves several batches: keep every test once (ids are the test's file and name).
    const seen = (report.testFiles[path] ??= { tests: [], source: tests.source });
    const ids = new Set(seen.tests.map((t) => t.id));
    seen.tests.push(...tests.tests.filter((t) => !ids.has(t.id)));
  }
}
// The page of @stryker-mutator/core's HtmlReporter (the custom element and the report as a script literal).
const require = createRequire(createRequire(import.meta.url).resolve('@stryker-mutator/core'));
const elements = readFileSync(require.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8');
const json = JSON.stringify(report).replace(/</g, '<"+"');
writeFileSync(
  out,
  `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>Mutation testing: ${inputs.length} batches</title><script>${elements}</script></head>
<body>
<mutation-test-report-app titlePostfix="Stryker"></mutation-test-report-app>
<script>document.querySelector('mutation-test-report-app').report = ${json};</script>
</body>
</html>
`,
);
console.log(`${out}: ${Object.keys(report.files).length} files from ${inputs.length} batches`);
