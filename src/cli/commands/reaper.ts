import { type Command, CommanderError } from 'commander';
import { writeTextAtomic } from '../../io/atomicText.ts';
import { installReaScript, registrationSteps } from '../../reaper/installScript.ts';
import { ProtocolVersionError } from '../../reaper/protocolVersionError.ts';
import { generateReaScript } from '../../reaper/reaScript.ts';
import { checkCommandPaths, CommandError, readCommandFile } from '../../reaper/reaperCommand.ts';
import { type ReaperResult, ResultFormatError } from '../../reaper/reaperResult.ts';
import { compareRenderLoudness, type LoudnessPair, type RenderLoudness } from '../../reaper/renderLoudness.ts';
import { runReaperCommand } from '../../reaper/runReaperCommand.ts';
import { CliError } from '../cliError.ts';

/** Exit code when REAPER answered error, never answered, or the FX differ. */
export const EXIT_REAPER_FAILED = 1;
/** Exit code for a bad command file, option or resource folder (and a script of another protocol version). */
export const EXIT_USAGE = 2;

/** Protocol and configuration errors become one line on stderr with their exit code; anything else is a bug. */
async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof CommandError || e instanceof ProtocolVersionError) throw new CliError(e.message, EXIT_USAGE);
    if (e instanceof ResultFormatError) throw new CliError(e.message, EXIT_REAPER_FAILED);
    throw e;
  }
}

/** A positive number of seconds from an option, or a usage error naming the option. */
function positiveSeconds(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new CliError(`${option}: got ${JSON.stringify(text)}, expected seconds > 0`, EXIT_USAGE);
  return v;
}

function pollIntervalMs(text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1 || v > 10_000) throw new CliError(`--poll-interval: got ${JSON.stringify(text)}, expected whole milliseconds from 1 to 10000`, EXIT_USAGE);
  return v;
}

/** Writes an --out file atomically; a failure is a usage error naming the option and the file. */
async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeTextAtomic(file, text);
  } catch (e) {
    throw new CliError(`--out: ${file} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, EXIT_USAGE);
  }
}

const lufsText = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)} LUFS`);
const luText = (v: number | null): string => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(2)} LU`);
const pairText = (p: LoudnessPair): string => `REAPER ${lufsText(p.reaperLufs)}   rig ${lufsText(p.rigLufs)}   difference ${luText(p.differenceLu)}`;

function printText(result: ReaperResult, loudness: RenderLoudness | null): void {
  const lines: [string, string][] = [
    ['status', result.status],
    ['message', result.message],
    ['request', result.request_id],
    ['tracks verified', String(result.tracks_verified)],
    ['fx errors', result.fx_errors.length ? String(result.fx_errors.length) : 'none'],
  ];
  for (const e of result.fx_errors) {
    lines.push(['', `track ${e.track_index} fx ${e.fx_index}: expected ${JSON.stringify(e.expected)}, found ${e.name === null ? 'nothing' : JSON.stringify(e.name)}`]);
  }
  if (loudness) {
    lines.push(['render', loudness.renderPath], ['integrated', pairText(loudness.integrated)], ['short-term max', pairText(loudness.shortTermMax)]);
    if (loudness.rigProblem) lines.push(['', `rig meter: ${loudness.rigProblem}`]);
  }
  for (const [k, v] of lines) process.stdout.write(`${k.padEnd(15)} ${v}\n`);
}

function runCommand(parent: Command): void {
  parent
    .command('run')
    .description(
      'write <command.json> into REAPER\'s resource folder (atomically, after removing an earlier run\'s files), wait for the Studio Rig ' +
        'script\'s answer and print status, FX errors and loudness — REAPER\'s figures beside our meter\'s on the render. ' +
        `Exit ${EXIT_REAPER_FAILED} when REAPER answered error, did not answer in time or the FX differ; ${EXIT_USAGE} for a bad command file or option`,
    )
    .argument('<command.json>', 'the command: {"action": "calibrate" | "verify_fx" | "render", "rpp_path", "render_path", "timeout", "track_calibration", "expected_fx"}')
    .requiredOption('--resource-path <dir>', "REAPER's resource folder (Options → Show REAPER resource path)")
    .option('--timeout <seconds>', "how long to wait for REAPER's answer (default: the command's timeout)")
    .option('--poll-interval <ms>', 'time between reads of the result file', '50')
    .option('--out <result.json>', 'also write the result and the loudness comparison to this file (atomically)')
    .option('--json', 'print the result and the loudness comparison as one JSON document')
    .action((file: string, opts: { resourcePath: string; timeout?: string; pollInterval: string; out?: string; json?: boolean }) =>
      asCliErrors(async () => {
        const timeoutSeconds = positiveSeconds('--timeout', opts.timeout);
        const intervalMs = pollIntervalMs(opts.pollInterval);
        const command = readCommandFile(file);
        checkCommandPaths(command, file);
        const { result } = await runReaperCommand(command, { resourceDir: opts.resourcePath, timeoutSeconds, pollIntervalMs: intervalMs });
        const loudness = result.status === 'ok' && command.action === 'render' && command.render_path ? compareRenderLoudness(command.render_path, result) : null;
        const doc = { command: file, result, loudness };
        if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
        else printText(result, loudness);
        if (opts.out) await writeOut(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
        if (result.status !== 'ok') throw new CliError(`${file}: REAPER ${result.status === 'timeout' ? 'did not answer' : 'answered error'}: ${result.message}`, EXIT_REAPER_FAILED);
      }),
    );
}

export function register(program: Command): void {
  const reaper = program
    .command('reaper')
    .description('drive REAPER through a JSON file pair in its resource folder: verify FX, calibrate tracks, render and read loudness')
    // Commander's own usage errors (a missing --resource-path, an unknown subcommand) exit 2 like every other
    // usage error here: 1 means REAPER failed. The subcommands below inherit this.
    .exitOverride((err) => {
      throw err.exitCode === 0 ? err : new CommanderError(EXIT_USAGE, err.code, err.message);
    });
  runCommand(reaper);

  reaper
    .command('script')
    .description('write the Python ReaScript that answers `rig reaper run` inside REAPER (imports only os and time)')
    .option('--out <file.py>', 'write it here (atomically) instead of to stdout')
    .option('--watch', 'keep running inside REAPER (RPR_defer) and answer every command that appears, instead of the pending one once')
    .action((opts: { out?: string; watch?: boolean }) =>
      asCliErrors(async () => {
        const text = generateReaScript({ watch: Boolean(opts.watch) });
        if (!opts.out) {
          process.stdout.write(text);
          return;
        }
        await writeOut(opts.out, text);
        process.stdout.write(`wrote ${opts.out}\n`);
      }),
    );

  reaper
    .command('install')
    .description('write the generated scripts (watching and one-shot) into <resource>/Scripts/ and print how to register them as REAPER actions')
    .requiredOption('--resource-path <dir>', "REAPER's resource folder")
    .option('--json', 'print the installed path as JSON')
    .action((opts: { resourcePath: string; json?: boolean }) =>
      asCliErrors(async () => {
        const installed = await installReaScript(opts.resourcePath);
        if (opts.json) process.stdout.write(`${JSON.stringify({ installed }, null, 2)}\n`);
        else process.stdout.write([`installed ${installed.watch}`, `      and ${installed.oneShot}`, ...registrationSteps(installed)].join('\n') + '\n');
      }),
    );
}
