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

  it('shows each rig file\'s channels counted from 1 in text, as 0-based indices in JSON', async () => {
    const text = await runInProcess(registerHil, ['hil', '--list']);
    expect(text.stdout).toMatch(/^ {2}jack-loopback +jack, 48000 Hz, 128-frame periods, 32 in \/ 32 out: outputs 1–32 → inputs 1–32$/m);
    const json = JSON.parse((await runInProcess(registerHil, ['hil', '--list', '--json'])).stdout) as { rigFiles: Array<{ name: string; inputIndexPerOutput: number[] | null; wiring?: string }> };
    const loopback = json.rigFiles.find((r) => r.name === 'jack-loopback');
    expect(loopback?.inputIndexPerOutput).toEqual(Array.from({ length: 32 }, (_, k) => k));
    expect(loopback?.wiring).toBe('outputs 1–32 → inputs 1–32');
    expect(json.rigFiles.map((r) => r.name)).toEqual(['jack-loopback', 'jack-loopback-64', 'jack-native', 'jack-native-128', 'jack-native-low-latency', 'virtual-128']);
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
