import { describe, expect, it } from 'vitest';
import { type Budgets, budgetsSchema, expectationsSchema } from '../scenario/scenarioSchema.ts';
import { BUDGETS } from './budgetTable.ts';
import { EXPECTATIONS } from './expectations.ts';

/** Every leaf of the budgets format with a distinct value, and the path each value stands for. */
function distinctBudgets() {
  const paths = new Map<number, string>();
  let next = 1;
  const leaf = (path: string) => {
    paths.set(next, path);
    return next++;
  };
  // Not parsed: the values only need to be told apart (some are out of their range).
  const budgets = ({
    latency: Object.fromEntries(Object.keys(budgetsSchema.shape.latency.unwrap().shape).map((k) => [k, leaf(`latency.${k}`)])),
    ...Object.fromEntries(Object.keys(budgetsSchema.shape).filter((k) => k !== 'latency').map((k) => [k, leaf(k)])),
  }) as Budgets;
  return { budgets, paths };
}

describe('the budget and expectation tables', () => {
  it('hold one row for every budget of the scenario format, each reading its own limit', () => {
    const { budgets, paths } = distinctBudgets();

    const read = BUDGETS.map((row) => paths.get(row.limit(budgets)!));

    expect(new Set(read).size).toBe(BUDGETS.length);
    expect([...read].sort()).toEqual([...paths.values()].sort());
  });

  it('hold one row for every expectation of the scenario format', () => {
    expect(EXPECTATIONS.map((r) => r.key).sort()).toEqual(Object.keys(expectationsSchema.shape).sort());
  });
});
