// The example's own tests, as a user would write them: everything through the package's entry points.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONFORMANCE_LEVEL, conformanceSubject, runConformance } from 'studio-rig/conformance';
import { applyWorkspaceOptions, approveGolden, checkGolden, engineEntry, listPresets, workspace } from 'studio-rig/golden';
import { resolveScenarios, runHil } from 'studio-rig/hil';
import { beforeAll, describe, expect, it } from 'vitest';

const here = import.meta.dirname;

beforeAll(async () => {
  // studio-rig.config.json registers ./pluck.ts and points presets, goldens and scenarios here.
  await applyWorkspaceOptions({}, here);
});

describe('the pluck engine', () => {
  it(`passes the conformance suite at every level (1…${MAX_CONFORMANCE_LEVEL})`, async () => {
    const outcomes = await runConformance(conformanceSubject(engineEntry('pluck')));
    const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.check}@${o.sampleRate}: ${o.detail}`);
    expect(failed).toEqual([]);
    expect(new Set(outcomes.map((o) => o.check)).size).toBe(6);
  });

  it('renders every preset as its golden', () => {
    const presets = listPresets();
    expect(presets.map((p) => `${p.engine}/${p.name}`)).toEqual(['pluck/bright-left', 'pluck/soft']);
    for (const preset of presets) {
      const check = checkGolden(preset);
      if (check.status === 'missing' && !process.env.CI) {
        approveGolden(preset);
        continue;
      }
      expect(check.ok, check.message).toBe(true);
    }
  });

  it('meets its latency budgets on the virtual rig, with no dropout and the content it should play', async () => {
    const scenarios = resolveScenarios(undefined, false);
    expect(scenarios.map((s) => s.name)).toEqual(['pluck-latency']);
    const reports = mkdtempSync(join(tmpdir(), 'pluck-hil-'));
    try {
      const report = await runHil({ rig: 'virtual', scenarios, writeReport: async () => {} });
      const [s] = report.scenarios;
      expect(s.error ?? '').toBe('');
      expect(s.latency.onsetCount).toBe(16 * 2); // 16 notes on both outputs
      for (const b of s.budgets) expect(b.passed, `${b.name}: ${b.measured} vs ${b.limit} ${b.unit}`).toBe(true);
      expect(report.status).toBe('passed');
    } finally {
      rmSync(reports, { recursive: true, force: true });
    }
  });

  // `npx rig …` in this folder: the config file is found, the engine registered from it.
  const rig = (...args: string[]) => spawnSync(process.execPath, [join(here, '..', '..', 'bin', 'rig.js'), ...args], {
    cwd: here, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--conditions=studio-rig-source' },
  });

  it('is what `rig presets` lists when run in this folder', () => {
    const r = rig('presets', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { preset: string }[]).map((p) => p.preset)).toEqual(['pluck/bright-left', 'pluck/soft']);
    expect(workspace.presetsDir).toBe(join(here, 'presets'));
  });

  it('passes `rig conformance pluck --level 1` and `rig serve --engine ./pluck.ts` runs it', () => {
    const c = rig('conformance', 'pluck', '--level', '1', '--sample-rate', '48000', '--json');
    expect(c.status, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ engine: 'pluck', passed: true });
    const s = rig('serve', '--engine', './pluck.ts', '--no-osc', '--no-socket', '--seconds', '0.3', '--json');
    expect(s.status, s.stderr).toBe(0);
    expect(s.stderr).toMatch(/^rig serve: pluck engine on virtual/);
    expect(JSON.parse(s.stdout).clock.frameIndex).toBeGreaterThan(0); // it ran (underruns depend on the machine's load)
    const bad = rig('serve', '--engine', './no-such-engine.ts', '--seconds', '0.1');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^rig: engine module \.\/no-such-engine\.ts: no such file/);
  });
});
