import type { Command } from 'commander';
import { approveGolden, reviewGoldens } from '../../golden/goldenWorkflow.ts';
import { goldenOutcome, reviewLines } from '../../golden/goldenOutcome.ts';
import { isCi } from '../../golden/goldenStore.ts';
import { listPresetRefs, loadPreset, resolvePresetRef } from '../../presets/presetStore.ts';
import { CliError } from '../cliError.ts';
import type { WorkspaceOptions } from '../../presets/studioRigConfig.ts';
import { addWorkspaceOptions, useWorkspace } from '../workspaceOptions.ts';

export function register(program: Command): void {
  const golden = program.command('golden').description('review and approve the golden renders of the presets (golden/<engine>/<name>.wav + .json)');

  addWorkspaceOptions(golden
    .command('review')
    .description('compare every preset with its golden; write reports/golden/index.html listing differing and stale presets, with evidence pages')
    .option('--json', 'print the results as JSON'))
    .action(async (opts: WorkspaceOptions & { json?: boolean }) => {
      await useWorkspace(opts);
      const { checks, index } = await reviewGoldens();
      const failed = checks.filter((c) => goldenOutcome(c) === 'failed');
      if (opts.json) {
        const out = checks.map((c) => ({ preset: c.ref, outcome: goldenOutcome(c), status: c.status, ok: c.ok, residualDb: Number.isFinite(c.residualDb) ? c.residualDb : null, message: c.message }));
        process.stdout.write(`${JSON.stringify({ index, presets: out }, null, 2)}\n`);
      } else {
        for (const line of reviewLines(checks)) process.stdout.write(`${line}\n`);
        process.stdout.write(`report: ${index}\n`);
      }
      // A change within tolerance passes (it is listed above); only a failed comparison fails the command.
      if (failed.length) process.exitCode = 1;
    });

  addWorkspaceOptions(golden
    .command('approve')
    .description('render the chosen presets and rewrite their goldens (atomically); never in CI')
    .argument('[presets...]', 'presets as engine/name or a unique name')
    .option('--all', 'approve every preset')
    .option('--json', 'print what was written as JSON'))
    .action(async (names: string[], opts: WorkspaceOptions & { all?: boolean; json?: boolean }) => {
      await useWorkspace(opts);
      if (isCi()) throw new CliError('CI is set: goldens are never written in CI');
      if (!opts.all && names.length === 0) throw new CliError('name the presets to approve (engine/name or a unique name), or pass --all');
      if (opts.all && names.length) throw new CliError('give preset names or --all, not both');
      const refs = opts.all ? listPresetRefs() : names.map((n) => resolvePresetRef(n));
      const written = refs.map((r) => approveGolden(loadPreset(r.engine, r.name)));
      if (opts.json) process.stdout.write(`${JSON.stringify(written, null, 2)}\n`);
      else {
        for (const w of written) {
          process.stdout.write(w.written ? `approved ${w.ref}  ${(w.bytes / 1024).toFixed(0)} KiB  ${w.sampleHash.slice(0, 19)}…\n` : `unchanged ${w.ref}  (identical to its golden, not rewritten)\n`);
        }
      }
    });
}
