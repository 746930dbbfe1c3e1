import { afterAll, describe, expect, it } from 'vitest';
import { checkGolden } from '../../src/golden/compareGolden.ts';
import { describeOutcome, goldenOutcome } from '../../src/golden/goldenOutcome.ts';
import { writeEvidence } from '../../src/golden/goldenReport.ts';
import { isCi } from '../../src/golden/goldenStore.ts';
import { GOLDEN_DIR_BUDGET_BYTES, allPresets, approveGolden, goldenDirBytes } from '../../src/golden/goldenWorkflow.ts';

/**
 * Every preset's render against its golden (golden/<engine>/<name>.wav + .json). Identical samples
 * pass; otherwise residual and metrics must be within GOLDEN_TOLERANCES (src/golden/goldenSettings.ts),
 * and a failure writes its evidence to reports/golden/<engine>/<name>/index.html. A stale golden
 * fails without being compared. A missing golden fails in CI; elsewhere it is written (first approval).
 * Three outcomes (goldenOutcome.ts): identical passes quietly; changed within tolerance passes but is
 * printed with its residual, annotated on the test and listed after the suite (the engines are
 * deterministic, so a change of samples is a change of code and must be seen); failed fails.
 */
describe('every preset renders as its golden', () => {
  const changed: string[] = [];
  afterAll(() => {
    if (changed.length) process.stdout.write(`golden: ${changed.length} preset(s) changed within tolerance — review with npm run golden -- review:\n${changed.map((l) => `  ${l}\n`).join('')}`);
  });
  for (const preset of allPresets()) {
    const ref = `${preset.engine}/${preset.name}`;
    it(`${ref} matches its golden`, async ({ annotate }) => {
      const check = checkGolden(preset);
      if (check.status === 'missing' && !isCi()) {
        approveGolden(preset);
        process.stdout.write(`golden: wrote the first golden of ${ref}; review and commit golden/${ref}.wav/.json\n`);
        return;
      }
      let evidence = '';
      if (check.status === 'differs' || check.status === 'corrupt') evidence = ` — evidence: ${await writeEvidence(check)}`;
      expect(check.ok, `${check.message}${evidence}`).toBe(true);
      if (goldenOutcome(check) === 'changed') {
        const line = `${ref}: ${describeOutcome(check)} — evidence: ${await writeEvidence(check)}`;
        changed.push(line);
        process.stdout.write(`golden: ${line}\n`);
        await annotate(line, 'warning');
      }
    });
  }
});

describe('the golden folder', () => {
  it('stays under 20 MB (20 000 000 bytes)', () => {
    expect(goldenDirBytes()).toBeLessThan(GOLDEN_DIR_BUDGET_BYTES);
  });
});
