import { describe, expect, it } from 'vitest';
import { runInProcess } from '../cliTestRunner.ts';
import { register as registerBench } from './bench.ts';
import { register as registerHil } from './hil.ts';

describe('rig hil --list', () => {
  it('lists every scenario with its tags, length and budget, and the rigs, running nothing', async () => {
    const run = await runInProcess(registerHil, ['hil', '--list', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { scenarios: Array<{ name: string; tags: string[]; seconds: number; p99BudgetMs: number | null }>; rigs: string[] };
    expect(list.scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['latency-probe', 'panic', 'soak']));
    expect(list.scenarios.find((s) => s.name === 'soak')).toMatchObject({ tags: ['nightly-only', 'stress'], seconds: 600.5, p99BudgetMs: null });
    expect(list.scenarios.find((s) => s.name === 'latency-probe')?.p99BudgetMs).toBe(5);
    expect(list.rigs.slice(0, 2)).toEqual(['virtual', 'jack']);
  });

  it('prints the same as text, one scenario per line', async () => {
    const run = await runInProcess(registerHil, ['hil', '--list']);
    expect(run.stdout).toMatch(/^ {2}soak +nightly-only, stress +600\.5 s {2}no latency budget$/m);
    expect(run.stdout).toMatch(/^rigs \(.*\): virtual, jack, /m);
  });
});

describe('rig bench --list --json', () => {
  it('lists the benchmarks with their targets as JSON', async () => {
    const run = await runInProcess(registerBench, ['bench', '--list', '--json']);
    const list = JSON.parse(run.stdout) as Array<{ name: string; description: string; realtimeFactorAtLeast: number | null; msAtMost: number | null }>;
    expect(list.length).toBeGreaterThan(5);
    expect(list.every((b) => b.name && b.description)).toBe(true);
    expect(list.some((b) => b.realtimeFactorAtLeast !== null || b.msAtMost !== null)).toBe(true);
  });
});
