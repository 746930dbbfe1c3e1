import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { CliError } from './cliError.ts';
import { EXIT_CODES_HELP, commanderExitCode, configurationFailure } from './exitCodes.ts';

/**
 * The `rig` command line. Every file in ./commands registers one command (export `register(program)`),
 * so a new command is a new file and this one never changes.
 */
const program = new Command('rig')
  .description('Studio Rig: deterministic DSP engines and the harness that proves them')
  .showHelpAfterError('(rig <command> --help lists the options)')
  .exitOverride();

// `rig presets | head`: a reader that goes away ends the output, not the process with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
const files = readdirSync(commandsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
// `rig <command> …` loads only that command's module (and its imports): the others' module graphs
// (engines, analysis, reports) cost ~1.2 s to load. Help, no command or an unknown one load them all.
const named = process.argv.slice(2).find((a) => !a.startsWith('-'));
const only = named !== undefined && named !== 'help' ? files.filter((f) => f === `${named}.ts`) : [];
for (const file of only.length ? only : files) {
  try {
    const mod = (await import(join(commandsDir, file))) as { register?: (p: Command) => void };
    mod.register?.(program);
  } catch (err) {
    // A module that cannot load (a broken engine, a missing native library) disables only its own
    // command: every other command still works, and this one says why it cannot run.
    const name = file.replace(/\.ts$/, '');
    program
      .command(name, { hidden: false })
      .description(`(unavailable: ${(err as Error).message.split('\n')[0]})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CliError(`the ${name} command could not be loaded: ${(err as Error).message}`);
      });
  }
}

// The exit codes are the same for every command: printed after the program's and each command's help.
program.addHelpText('after', `\n${EXIT_CODES_HELP}`);
for (const command of program.commands) command.addHelpText('after', `\n${EXIT_CODES_HELP}`);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commander has already printed its message.
  if (err instanceof CommanderError) process.exit(commanderExitCode(err.exitCode));
  const failure = configurationFailure(err);
  if (failure) {
    process.stderr.write(`rig: ${failure.message}\n`);
    process.exit(failure.code);
  }
  throw err;
}
