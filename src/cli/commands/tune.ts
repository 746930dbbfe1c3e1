import type { Command } from 'commander';
import writeFileAtomic from 'write-file-atomic';
import { ParamError } from '../../engine/params.ts';
import { resolvePresetRef } from '../../presets/presetStore.ts';
import { DEFAULT_REPLY_TIMEOUT_MS } from '../../tune/oscClient.ts';
import { CliError } from '../cliError.ts';
import { EXIT } from '../exitCodes.ts';
import { integerOption, millisecondsOption, secondsOption } from '../numberOptions.ts';
import { formatNumber } from '../output.ts';
import { useWorkspace } from '../workspaceOptions.ts';

/** The options `rig tune` and `rig mcp` share: mode, input, window, the live server and the presets folder. */
export interface TunerCliOptions {
  mode: string;
  input?: string;
  window: number;
  oscHost: string;
  oscPort: number;
  replyPort: number;
  settleMs?: number;
  replyTimeoutMs?: number;
  presetsDir?: string;
  userPresets?: string;
  snapshots?: string;
}

interface TuneOptions extends TunerCliOptions {
  preset: string;
  set: string[];
  json?: boolean;
  spectrogram?: string;
  save?: string;
  force?: boolean;
}

/** Adds the shared tuner options to a command. */
export function addTunerOptions(command: Command): Command {
  return command
    .option('--mode <mode>', 'offline | live', 'offline')
    .option('--input <input>', 'offline input: a WAV file, or noise | tone[:Hz] | impulses[:period s] (default noise; live: what rig serve plays)')
    .option('--window <seconds>', 'analysis window, 0.5 to 30 s (live: the snapshot length)', secondsOption(0.5, 30), 3)
    .option('--osc-host <host>', 'live: the rig server', '127.0.0.1')
    .option('--osc-port <port>', 'live: its OSC port', integerOption(1, 65535, 'a UDP port'), 9000)
    .option('--reply-port <port>', "live: the port it replies to (rig serve --reply-port), 0 for any free one", integerOption(0, 65535, 'a UDP port'), 9001)
    .option('--settle-ms <ms>', 'live: wait after a change before the snapshot (default: the window plus the last T30, at least 1 s)', millisecondsOption(0, 120_000))
    .option('--reply-timeout-ms <ms>', 'live: how long to wait for each reply of the server (a snapshot gets its writing time more)', millisecondsOption(50, 120_000), DEFAULT_REPLY_TIMEOUT_MS)
    .option('--presets-dir <dir>', 'shipped presets folder, <dir>/<engine>/<name>.json (default: the bundled presets/)')
    .option('--snapshots <dir>', "live: rig serve's --snapshots folder, the only one a snapshot reply may name files in (default reports/snapshots, as rig serve's)")
    .option('--user-presets <dir>', 'offline: where presets are saved and looked for first, as rig serve --user-presets (default: $XDG_CONFIG_HOME/studio-rig/presets)');
}

/** Checks the shared options and turns them into TunerOptions (engine and preset are the caller's). */
export async function tunerOptionsFrom(opts: TunerCliOptions) {
  await useWorkspace({ presetsDir: opts.presetsDir });
  if (opts.mode !== 'offline' && opts.mode !== 'live') throw new CliError(`--mode: got ${JSON.stringify(opts.mode)}, allowed offline or live`);
  if (opts.mode === 'live' && opts.input) throw new CliError('--input: a live tuner analyses what rig serve plays; give the input to rig serve (--input, --tone, --noise)');
  const { parseTunerInput } = await import('../../tune/tunerInput.ts');
  return {
    mode: opts.mode as 'offline' | 'live', windowSeconds: opts.window, userPresetsDir: opts.userPresets, snapshotsDir: opts.snapshots,
    input: opts.input ? parseTunerInput(opts.input) : undefined,
    osc: { host: opts.oscHost, port: opts.oscPort, replyPort: opts.replyPort, settleMs: opts.settleMs, timeoutMs: opts.replyTimeoutMs },
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `--set name=value` pairs → values (numbers, or null). The value is left as the user typed it when it
 * is not a number, so the tuner's check names it: `wetDry: got "lots", allowed 0…1`.
 */
export function parseSetOptions(pairs: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ParamError(`--set ${JSON.stringify(pair.slice(0, 60))}`, ['expected name=value, e.g. --set wetDry=0.4']);
    const name = pair.slice(0, eq);
    const text = pair.slice(eq + 1).trim();
    const number = Number(text);
    values[name] = text === 'null' ? null : text !== '' && Number.isFinite(number) ? number : text;
  }
  return values;
}

export function register(program: Command): void {
  const command = program
    .command('tune')
    .description(
      'measure an effect preset the way the tuner does — offline (renders the input through the engine) or live (rig serve over OSC, ' +
        'analysing its snapshots) — and print the figures (T30, EDT, C50/C80, echo density, loudness, true peak, crest factor, spectrum, ' +
        'dry-vs-wet) and their description. Exit 3 when a figure that applies could not be measured (the others are still printed)',
    )
    .requiredOption('--preset <preset>', 'preset to start from: name or engine/name (reverb and lossy presets; `rig presets`)')
    .option('--set <name=value>', 'set a parameter before measuring (repeatable): wetDry=0.4, rt60Seconds=2.5, bitcrush.bitDepth=8 …', collect, [])
    .option('--spectrogram <file.png>', "write the output's spectrogram as a PNG")
    .option('--save <name>', 'save the parameters as a preset of that name afterwards')
    .option('--force', 'with --save: save over a shipped preset (your copy shadows it)')
    .option('--json', 'print everything as one JSON document');
  addTunerOptions(command).action(async (opts: TuneOptions) => {
    const tunerOptions = await tunerOptionsFrom(opts);
    const set = parseSetOptions(opts.set);
    const ref = resolvePresetRef(opts.preset);
    const { openTuner } = await import('../../tune/tuner.ts');
    const { TUNING_FIGURES } = await import('../../tune/tuningFigures.ts');
    const tuner = await openTuner({ ...tunerOptions, engine: ref.engine, preset: ref.name }).catch((e: Error) => { throw e.name === 'OscReplyError' ? new CliError(e.message) : e; });
    try {
      if (Object.keys(set).length) await tuner.setParams(set);
      const params = await tuner.getParams();
      const metrics = await tuner.getMetrics();
      const description = tuner.describe(metrics);
      if (opts.spectrogram) await writeFileAtomic(opts.spectrogram, Buffer.from(await tuner.getSpectrogram()));
      const saved = opts.save ? await tuner.savePreset(opts.save, { force: opts.force }) : undefined;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ mode: opts.mode, engine: ref.engine, preset: ref.name, params, metrics, description, ...(saved ? { saved } : {}) }, null, 2)}\n`);
      } else {
        process.stdout.write(`${ref.engine}/${ref.name} (${opts.mode}) ${Object.entries(params).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
        const measured = Object.entries(metrics.figures).filter(([, v]) => v !== null) as [keyof typeof TUNING_FIGURES, number][];
        const width = Math.max(...measured.map(([k]) => k.length));
        for (const [k, v] of measured) process.stdout.write(`  ${k.padEnd(width)}  ${formatNumber(v)}${TUNING_FIGURES[k].unit ? ` ${TUNING_FIGURES[k].unit}` : ''}\n`);
        for (const l of description) process.stdout.write(`${l}\n`);
        if (saved) process.stdout.write(`saved ${saved}\n`);
      }
      const missing = Object.keys(metrics.unmeasured).filter((f) => !metrics.notApplicable.includes(f as keyof typeof TUNING_FIGURES));
      if (missing.length) {
        process.stderr.write(`rig tune: ${missing.length} figure${missing.length > 1 ? 's' : ''} not measurable: ${missing.map((f) => `${f} (${metrics.unmeasured[f as keyof typeof TUNING_FIGURES]})`).join('; ')}\n`);
        process.exitCode = EXIT.unmeasurable;
      }
    } catch (e) {
      throw (e as Error).name === 'OscReplyError' ? new CliError((e as Error).message) : e;
    } finally {
      await tuner.close();
    }
  });
}
