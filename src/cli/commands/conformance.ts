import type { Command } from 'commander';
import type { WorkspaceOptions } from '../../presets/studioRigConfig.ts';
import { CliError } from '../cliError.ts';
import { addWorkspaceOptions, readParamsFile, useWorkspace } from '../workspaceOptions.ts';

interface ConformanceOptions extends WorkspaceOptions {
  level: number;
  check?: string[];
  params?: string;
  sampleRate?: number[];
  list?: boolean;
  json?: boolean;
}

const collectRate = (value: string, previous: number[] = []) => [...previous, Number(value)];

export function register(program: Command): void {
  addWorkspaceOptions(program
    .command('conformance')
    .description('run the engine contract suite on a registered engine (a bundled one, or yours with --engine <module>): checks up to --level, as pluginval\'s strictness')
    .argument('[engine]', 'engine name (see rig presets); omit with --list')
    .option('--level <n>', 'run the checks of this level and below (1 usable output … 4 no allocation in process())', Number, 4)
    .option('--check <name...>', 'only these checks')
    .option('--params <file.json>', "the engine's parameters (validated by its schema; default: its defaults)")
    .option('--sample-rate <hz>', 'a sample rate for the per-rate checks (repeatable; default 44100, 48000, 96000)', collectRate)
    .option('--list', 'list the checks with their level and what they need')
    .option('--json', 'print the outcomes as JSON'))
    .action(async (name: string | undefined, opts: ConformanceOptions) => {
      await useWorkspace(opts);
      const { conformanceChecks, runConformance } = await import('../../conformance/conformanceSuite.ts');
      if (opts.list) {
        const checks = conformanceChecks().map((c) => ({ name: c.name, level: c.level, needs: c.needs, perSampleRate: c.perSampleRate, description: c.description, failsOn: c.failsOn.map((b) => b.defect) }));
        if (opts.json) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
        else for (const c of checks) process.stdout.write(`level ${c.level}  ${c.name.padEnd(22)}  ${c.description}${c.needs.length ? ` (needs ${c.needs.join(', ')})` : ''}\n`);
        return;
      }
      if (!name) throw new CliError('name the engine to check (rig conformance <engine>), or pass --list');
      if (!(Number.isInteger(opts.level) && opts.level >= 1 && opts.level <= 4)) throw new CliError(`--level must be 1, 2, 3 or 4, got ${opts.level}`);
      for (const fs of opts.sampleRate ?? []) {
        if (!(Number.isInteger(fs) && fs >= 8000 && fs <= 384000)) throw new CliError(`--sample-rate must be a whole number of Hz in 8000…384000, got ${fs}`);
      }
      const { engineEntry } = await import('../../presets/engineRegistry.ts');
      const { conformanceSubject } = await import('../../conformance/conformanceSubject.ts');
      const params = readParamsFile('--params', opts.params);
      let subject: ReturnType<typeof conformanceSubject>;
      try {
        subject = conformanceSubject(engineEntry(name, 'rig conformance'), params);
        const outcomes = await runConformance(subject, {
          level: opts.level, only: opts.check, sampleRates: opts.sampleRate,
          onOutcome: opts.json ? undefined : (o) => {
            process.stdout.write(`${o.ok ? 'ok  ' : 'FAIL'}  level ${o.level}  ${o.check.padEnd(22)} ${String(o.sampleRate).padStart(6)} Hz  ${o.detail}\n`);
          },
        });
        const failed = outcomes.filter((o) => !o.ok);
        if (opts.json) process.stdout.write(`${JSON.stringify({ engine: name, level: opts.level, passed: failed.length === 0, outcomes }, null, 2)}\n`);
        else process.stdout.write(`${name}: ${outcomes.length - failed.length} of ${outcomes.length} checks passed at level ${opts.level}\n`);
        if (failed.length) process.exitCode = 1;
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError((err as Error).message);
      }
    });
}
