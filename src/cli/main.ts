import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliError } from './cliError.ts';

/**
 * The `rig` command line. Every file in ./commands registers one command (export `register(program)`),
 * so a new command is a new file and this one never changes.
 */
const program = new Command('rig')
  .description('Studio Rig: deterministic DSP engines and the harness that proves them')
  .showHelpAfterError()
  .exitOverride();

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
for (const file of files) {
  const mod = (await import(join(commandsDir, file))) as { register?: (p: Command) => void };
  mod.register?.(program);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof CliError || (err instanceof Error && err.name === 'ParamError')) {
    process.stderr.write(`rig: ${err.message}\n`);
    process.exit(err instanceof CliError ? err.exitCode : 2);
  }
  throw err;
}
