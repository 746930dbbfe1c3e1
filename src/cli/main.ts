import { Command, CommanderError } from 'commander';
import { CliError } from './cliError.ts';
import { COMMANDS, type CommandEntry } from './commandList.ts';
import { register as registerVersion } from './commands/version.ts';
import { EXIT_CODES_HELP, commanderExitCode, configurationFailure } from './exitCodes.ts';

/**
 * The `rig` command line. Commands are listed in ./commandList.ts; only the one being run is loaded
 * (`rig <command> …`, `rig help <command>`), the others appear in `rig --help` by name and summary.
 */
const program = new Command('rig')
  .description('Studio Rig: deterministic DSP engines and the harness that proves them')
  .showHelpAfterError('(rig <command> --help lists the options)')
  .exitOverride();
registerVersion(program);

// `rig presets | head`: a reader that goes away ends the output, not the process with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = process.argv.slice(2);
const named = args.find((a) => !a.startsWith('-'));
const target = named === 'help' ? args.slice(args.indexOf('help') + 1).find((a) => !a.startsWith('-')) : named;
for (const entry of COMMANDS) {
  if (entry.name === target) await registerLoaded(entry);
  else program.command(`${entry.name}${entry.args ? ` ${entry.args}` : ''}`).summary(entry.summary);
}

/** Loads one command's module and registers it; a module that cannot load still names its command and why. */
async function registerLoaded(entry: CommandEntry): Promise<void> {
  try {
    (await entry.load()).register(program);
    program.commands.find((c) => c.name() === entry.name)?.summary(entry.summary);
  } catch (err) {
    // A broken engine or a missing native library disables only this command, saying why.
    program
      .command(entry.name)
      .description(`(unavailable: ${(err as Error).message.split('\n')[0]})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CliError(`the ${entry.name} command could not be loaded: ${(err as Error).message}`);
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
