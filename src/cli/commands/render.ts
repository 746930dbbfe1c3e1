import { resolve } from 'node:path';
import type { Command } from 'commander';
import { goldenTestSignal } from '../../golden/testSignal.ts';
import { renderPreset } from '../../golden/renderPreset.ts';
import { readWav, writeWavAtomic } from '../../io/wavFile.ts';
import { engineRegistry } from '../../presets/engineRegistry.ts';
import type { WorkspaceOptions } from '../../presets/studioRigConfig.ts';
import { type Preset, loadPreset, resolvePresetRef } from '../../presets/presetStore.ts';
import { CliError } from '../cliError.ts';
import { printFigures } from '../output.ts';
import { MAX_RENDER_SECONDS, secondsOption } from '../numberOptions.ts';
import { addWorkspaceOptions, useWorkspace } from '../workspaceOptions.ts';

interface RenderOptions extends WorkspaceOptions {
  out: string;
  input?: string;
  impulse?: boolean;
  wetOnly?: boolean;
  seconds?: number;
  sampleRate?: number;
  json?: boolean;
}

/** Seconds of tail after the input ends: the preset's RT60 (target or parameter) for a reverb, else 0.1 s. */
function tailSeconds(params: unknown, rt60Target: number | undefined): number {
  const rt60 = rt60Target ?? (params as { rt60Seconds?: unknown }).rt60Seconds;
  return typeof rt60 === 'number' ? Math.min(30, 1.2 * rt60) : 0.1;
}

/** The preset with its wet/dry mix at 1 (wet alone); only presets with a `wetDry` parameter have one. */
function wetOnly(preset: Preset): Preset {
  const params = preset.params as Record<string, unknown>;
  if (typeof params?.wetDry !== 'number') throw new CliError(`--wet-only: ${preset.engine}/${preset.name} has no wet/dry mix (only reverb presets do)`);
  return { ...preset, params: { ...params, wetDry: 1 } };
}

export function register(program: Command): void {
  addWorkspaceOptions(program
    .command('render')
    .description('render a preset offline to a float32 WAV: an effect processes --input, an --impulse or (by default) the golden test signal; an instrument plays its performance')
    .argument('<preset>', 'engine/name, or a name only one engine has')
    .requiredOption('--out <file.wav>', 'output WAV (required; 32-bit float, written atomically)')
    .option('--input <file.wav>', 'input signal for an effect preset')
    .option('--impulse', 'render the impulse response (a unit impulse on every input)')
    .option('--wet-only', 'the wet signal alone (wet/dry mix 1): with --impulse, the response `rig analyze --ir` measures against the preset\'s RT60 targets')
    .option('--seconds <s>', `render length, more than 0 and at most ${MAX_RENDER_SECONDS} s (default: input + tail, or the performance length)`, secondsOption(0, MAX_RENDER_SECONDS))
    .option('--sample-rate <hz>', 'sample rate (default 48000, or the input file\'s)', Number)
    .option('--json', 'print the figures as JSON'))
    .action(async (name: string, opts: RenderOptions) => {
      await useWorkspace(opts);
      const ref = resolvePresetRef(name);
      const loaded = loadPreset(ref.engine, ref.name);
      const preset = opts.wetOnly ? wetOnly(loaded) : loaded;
      const entry = engineRegistry[preset.engine];
      if (opts.input && opts.impulse) throw new CliError('give --input or --impulse, not both');
      if (opts.sampleRate !== undefined && !(Number.isInteger(opts.sampleRate) && opts.sampleRate >= 8000 && opts.sampleRate <= 384000)) {
        throw new CliError(`--sample-rate must be a whole number of Hz in 8000…384000, got ${opts.sampleRate}`);
      }
      let sampleRate = opts.sampleRate ?? 48000;
      let input: Float32Array[] | undefined;
      let seconds = opts.seconds;
      let source: string;
      if (entry.kind === 'instrument') {
        if (opts.input || opts.impulse) throw new CliError(`${preset.engine} presets play their performance; --input and --impulse are for effect presets`);
        seconds ??= preset.performance?.seconds ?? 1;
        source = 'performance';
      } else if (opts.input) {
        let audio: ReturnType<typeof readWav>;
        try {
          audio = readWav(opts.input);
        } catch (e) {
          throw new CliError((e as Error).message);
        }
        if (opts.sampleRate !== undefined && opts.sampleRate !== audio.sampleRate) {
          throw new CliError(`${opts.input} is at ${audio.sampleRate} Hz but --sample-rate is ${opts.sampleRate}; this command does not resample`);
        }
        sampleRate = audio.sampleRate;
        input = audio.channels.length === 1 ? [audio.channels[0], audio.channels[0]] : audio.channels;
        seconds ??= audio.channels[0].length / sampleRate + tailSeconds(preset.params, preset.targets?.rt60Seconds);
        source = opts.input;
      } else if (opts.impulse) {
        const mix = (preset.params as { wetDry?: unknown }).wetDry;
        if (typeof mix === 'number' && mix < 1) process.stderr.write(`rig render: the response includes the dry impulse (wetDry ${mix}); add --wet-only for the response analyze --ir measures against the preset's RT60 targets\n`);
        const impulse = new Float32Array(1);
        impulse[0] = 1;
        input = [impulse, impulse];
        seconds ??= Math.max(1, tailSeconds(preset.params, preset.targets?.rt60Seconds));
        source = 'impulse';
      } else {
        seconds ??= 1.5;
        input = goldenTestSignal(sampleRate, 0.25, seconds);
        source = 'golden test signal';
      }
      const channels = renderPreset(preset, { sampleRate, seconds, input });
      const out = resolve(opts.out);
      try {
        writeWavAtomic(out, { sampleRate, channels });
      } catch (e) {
        throw new CliError(`cannot write ${opts.out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      let peak = 0;
      for (const ch of channels) for (let i = 0; i < ch.length; i++) peak = Math.max(peak, Math.abs(ch[i]));
      printFigures({
        preset: `${preset.engine}/${preset.name}`, input: source, wetOnly: Boolean(opts.wetOnly), out, sampleRate, channels: channels.length,
        frames: channels[0]?.length ?? 0, seconds: (channels[0]?.length ?? 0) / sampleRate,
        samplePeakDbfs: peak > 0 ? 20 * Math.log10(peak) : -Infinity,
      }, opts.json ?? false);
    });
}
