/**
 * The exit codes of every `rig` command, one table for all of them:
 *   0  everything ran and every budget, target and check held
 *   1  it ran, and a budget, target or check failed (HIL budget, golden difference, benchmark target)
 *   2  usage or configuration error: bad option, unknown name, invalid preset/scenario/rig file, missing
 *      device — one line on stderr naming the file, nothing was measured
 *   3  it ran, but a figure that applies could not be measured (T30 without the dynamic range, no signal)
 *   130 stopped by SIGINT/SIGTERM before it finished (the partial report says what ran)
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unmeasurable: 3, interrupted: 130 } as const;

/** The table above as `--help` prints it (after every command's own help). */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    ok: every budget, target and check held',
  '  1    a budget, target or check failed',
  '  2    usage or configuration error (bad option, unknown name, invalid file, missing device)',
  '  3    a figure that applies could not be measured',
  '  130  interrupted by SIGINT/SIGTERM',
].join('\n');

/**
 * Errors that mean "the input or the set-up is wrong", thrown below the CLI by modules that do not know
 * about it: their message already names the file, the key and what was expected. Matched by name so
 * this file loads none of their modules.
 */
const CONFIGURATION_ERRORS = new Set(['CliError', 'ParamError', 'RigError', 'ScenarioError', 'WavError', 'JsonTextError']);

/** The exit code and one-line message for an error that is the user's to fix, or null for a bug. */
export function configurationFailure(err: unknown): { code: number; message: string } | null {
  if (!(err instanceof Error) || !CONFIGURATION_ERRORS.has(err.name)) return null;
  const own = (err as Error & { exitCode?: unknown }).exitCode;
  const code = typeof own === 'number' ? own : EXIT.usage;
  return { code, message: oneLine(err.message) };
}

/** Commander's own refusals (unknown option, missing argument, bad value) are usage; help and --version are 0. */
export function commanderExitCode(commanderExit: number): number {
  return commanderExit === 0 ? EXIT.ok : EXIT.usage;
}

/** Longest message printed; anything longer is cut with its length stated (never 128 KiB of echoed input). */
export const MAX_MESSAGE_CHARS = 2000;

/** Newlines folded, length bounded: an error is one line on stderr. */
export function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' | ');
  return flat.length <= MAX_MESSAGE_CHARS ? flat : `${flat.slice(0, MAX_MESSAGE_CHARS)}… (${flat.length} characters in all)`;
}
