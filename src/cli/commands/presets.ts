import type { Command } from 'commander';
import { type Preset, scanPresets } from '../../presets/presetStore.ts';
import { engineNames } from '../../presets/engineRegistry.ts';
import { CliError } from '../cliError.ts';
import type { WorkspaceOptions } from '../../presets/studioRigConfig.ts';
import { addWorkspaceOptions, useWorkspace } from '../workspaceOptions.ts';
import { oneLine } from '../exitCodes.ts';

function describeTargets(t: NonNullable<Preset['targets']>): string {
  const bands = Object.entries(t.bands).map(([hz, s]) => `${hz} Hz ${s} s`).join(', ');
  return `RT60 ${t.rt60Seconds} s ±${t.tolerancePercent} %${bands ? `; bands ±${t.bandTolerancePercent} %: ${bands}` : ''}`;
}

export function register(program: Command): void {
  addWorkspaceOptions(program
    .command('presets')
    .description('list presets (presets/<engine>/<name>.json) with their descriptions and targets')
    .argument('[engine]', `only this engine (${engineNames().join(', ')})`)
    .option('--json', 'print the presets as JSON'))
    .action(async (engine: string | undefined, opts: WorkspaceOptions & { json?: boolean }) => {
      await useWorkspace(opts);
      if (engine && !engineNames().includes(engine)) throw new CliError(`unknown engine "${engine}"; known: ${engineNames().join(', ')}`);
      const { presets, problems } = scanPresets(engine);
      // The good presets are listed; each bad file is one line on stderr, and the exit code says so.
      const reportProblems = () => {
        for (const p of problems) process.stderr.write(`rig: ${oneLine(p.message)}\n`);
        if (problems.length) throw new CliError(`${problems.length} of ${problems.length + presets.length} preset files are invalid (named above); the valid ones are listed`);
      };
      if (opts.json) {
        const out = presets.map((p) => ({
          preset: `${p.engine}/${p.name}`, engine: p.engine, name: p.name, file: p.file, description: p.description,
          targets: p.targets ?? null, performanceSeconds: p.performance?.seconds ?? null,
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        reportProblems();
        return;
      }
      const width = Math.max(0, ...presets.map((p) => p.engine.length + p.name.length + 1));
      for (const p of presets) {
        const extra = p.targets ? `  [${describeTargets(p.targets)}]` : p.performance ? `  [performance ${p.performance.seconds} s, ${p.performance.events.length} events]` : '';
        process.stdout.write(`${`${p.engine}/${p.name}`.padEnd(width)}  ${p.description}${extra}\n`);
      }
      reportProblems();
    });
}
