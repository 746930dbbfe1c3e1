import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { readWav } from '../../io/readWav.ts';
import { CliError } from '../cliError.ts';
import { readParamsFile, useWorkspace } from '../workspaceOptions.ts';
import { printFigures } from '../output.ts';
import { MAX_SERVE_SECONDS, integerOption, millisecondsOption, secondsOption } from '../numberOptions.ts';

interface ServeOptions {
  rig: string;
  oscHost: string;
  oscPort: number;
  osc: boolean;
  socket: string | false;
  midi?: string | true;
  config?: string;
  engine: string;
  prefill?: number;
  scheduleAheadMs?: number;
  seconds?: number;
  statusEvery?: number;
  json?: boolean;
  preset?: string;
  input?: string;
  tone?: number | true;
  noise?: number | true;
  inputChannels?: number[];
  replyHost: string;
  replyPort: number;
  userPresets?: string;
  snapshots?: string;
}

/** Default socket: $XDG_RUNTIME_DIR/studio-rig.sock, else <tmpdir>/studio-rig-<uid>.sock. */
export function defaultSocketPath(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'studio-rig.sock') : join(tmpdir(), `studio-rig-${process.getuid?.() ?? 0}.sock`);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run an engine in real time on a rig (the device under test): the haptic instrument fed by OSC (UDP), IPC socket frames and MIDI, or an effect (reverb, lossy) processing the rig\'s inputs, a looped WAV or a generated signal, driven by its OSC bridge')
    .option('--rig <name|file>', "rig: 'virtual' (paced real time), 'jack' (PortAudio), 'jack-native' (the native JACK client, engine in a worker) or a rig file", 'virtual')
    .option('--osc-host <host>', 'OSC listen address (loopback unless told otherwise)', '127.0.0.1')
    .option('--osc-port <port>', 'OSC UDP port, 0 to 65535 (0 = any free port)', integerOption(0, 65535, 'a UDP port'), 9000)
    .option('--no-osc', 'do not listen for OSC')
    .option('--socket <path>', 'Unix-domain socket for IPC frames', defaultSocketPath())
    .option('--no-socket', 'do not open the IPC socket')
    .option('--midi [port]', 'open a MIDI input (first port, or one whose name contains PORT); optional')
    .option('--config <file>', "the engine's parameters (JSON, validated by its schema)")
    .option('--prefill <periods>', 'PortAudio/JACK rigs: silent periods queued ahead of the engine, 0 to 16 (overrides the rig file)', integerOption(0, 16, 'periods'))
    .option('--engine <name|module>', "a registered engine ('haptic', one from studio-rig.config.json), 'click' (a one-sample click per note, for rig checks), or the path of a module exporting an engine", 'haptic')
    .option('--schedule-ahead-ms <ms>', 'margin for wall-clock timestamps, 0 to 1000 ms (default 2 periods)', millisecondsOption(0, 1000))
    .option('--seconds <s>', `stop after this long, at most ${MAX_SERVE_SECONDS} s; SIGINT/SIGTERM stop it sooner (default: run until a signal)`, secondsOption(0, MAX_SERVE_SECONDS))
    .option('--status-every <s>', `print a status line every S seconds (more than 0, at most ${MAX_SERVE_SECONDS})`, secondsOption(0, MAX_SERVE_SECONDS))
    .option('--preset <name>', "start from this preset of the engine (a user preset first, then a shipped one); not with --config")
    .option('--input <file.wav>', "effects: play this WAV in a loop as the input (the rig's sample rate)")
    .option('--tone [hz]', 'effects: a sine input, 20 to 20000 Hz (default 1000), at −12 dBFS', floatOption(20, 20000, 'Hz'))
    .option('--noise [seed]', 'effects: seeded white noise input at −12 dBFS peak (seed 0 to 4294967295, default 1)', integerOption(0, 4294967295, 'a seed'))
    .option('--input-channels <list>', "effects: the rig's input channels feeding the engine, counted from 1 as the interface labels them, comma-separated (default 1,2): the rig's inputs are the default source", channelList)
    .option('--reply-host <host>', 'effects: where OSC replies and metrics go by default', '127.0.0.1')
    .option('--reply-port <port>', 'effects: OSC reply port, 1 to 65535', integerOption(1, 65535, 'a UDP port'), 9001)
    .option('--user-presets <dir>', 'effects: the user presets folder (preset/save writes <dir>/<engine>/<name>.json; preset/load looks here first)')
    .option('--snapshots <dir>', 'effects: where request_snapshot writes its WAVs (default reports/snapshots)')
    .option('--json', 'print the final status as JSON')
    .action(async (opts: ServeOptions) => {
      await useWorkspace({});
      const { loadRig } = await import('../../../hil/rigs/loadRig.ts');
      const { preflightRig } = await import('../../../hil/rigs/preflightRig.ts');
      if ((await preflightRig(opts.rig)) !== 'virtual') {
        const { reexecWithDebianPortaudio } = await import('../../../hil/jack/portaudioLibrary.ts');
        await reexecWithDebianPortaudio();
      }
      const { RigServer } = await import('../../host/rigServer.ts');
      const rig = loadRig(opts.rig, { clock: 'realtime', prefillPeriods: opts.prefill });
      const { engine, engineSpec, entry, params } = await createEngine(opts);
      const source = engine.numInputs > 0 ? effectSource(opts, engine.numInputs, rig) : undefined;
      const { workspace } = await import('../../presets/workspace.ts');
      const { defaultUserPresetsDir } = await import('../../host/livePresets.ts');
      const server = new RigServer({
        rig, engine, engineSpec, source,
        effect: entry && engine.numInputs > 0 ? {
          entry, params, replyTo: { address: opts.replyHost, port: opts.replyPort },
          shippedPresetsDir: workspace.presetsDir, userPresetsDir: opts.userPresets ?? defaultUserPresetsDir(),
          snapshotsDir: opts.snapshots ?? join(workspace.reportsDir, 'snapshots'),
        } : undefined,
        osc: opts.osc ? { host: opts.oscHost, port: opts.oscPort } : false,
        socketPath: opts.socket,
        midi: opts.midi,
        scheduleAheadFrames: opts.scheduleAheadMs === undefined ? undefined : Math.round((opts.scheduleAheadMs * rig.sampleRate) / 1000),
      });
      try {
        await server.start();
      } catch (err) {
        throw new CliError(`cannot start: ${(err as Error).message}`);
      }
      const l = server.listening;
      const { describeSource } = await import('../../host/effectSource.ts');
      const input = source ? `; input ${describeSource(source)}; replies to ${opts.replyHost}:${opts.replyPort}` : '';
      process.stderr.write(`rig serve: ${engine.name} engine on ${rig.name} (${rig.sampleRate} Hz, ${rig.periodFrames} frames); osc ${l.osc ?? 'off'}; socket ${l.socket ?? 'off'}; midi ${l.midi ?? 'off'}${input}\n`);

      const statusTimer = opts.statusEvery ? setInterval(() => {
        const s = server.status();
        process.stderr.write(`rig serve: frame ${s.clock.frameIndex} load ${s.load.meanBlock.toFixed(3)}/${s.load.maxBlock.toFixed(3)} commands ${s.counts.commands} late ${s.counts.lateEvents} underruns ${s.counts.underruns} malformed ${s.counts.malformedOscPackets + s.counts.malformedSocketFrames + s.counts.malformedMidi}\n`);
      }, opts.statusEvery * 1000) : undefined;

      await untilStopped(opts.seconds);
      clearInterval(statusTimer);
      const final = server.status();
      await server.stop();
      const c = final.counts;
      printFigures(opts.json ? (final as unknown as Record<string, unknown>) : {
        rig: final.rig.name, frames: final.clock.frameIndex + rig.periodFrames, commands: c.commands, applied: c.applied,
        lateEvents: c.lateEvents, underruns: c.underruns, backendMessages: c.backendMessages, serverXruns: c.serverXruns,
        malformedOscPackets: c.malformedOscPackets, unknownOscAddresses: c.unknownOscAddresses,
        malformedSocketFrames: c.malformedSocketFrames, truncatedSocketFrames: c.truncatedSocketFrames,
        malformedMidi: c.malformedMidi, engineLoadMean: final.load.meanBlock, engineLoadMax: final.load.maxBlock,
      }, Boolean(opts.json));
    });
}

/**
 * Resolves on SIGINT, SIGTERM or after `seconds`, whichever comes first. The timer is cleared when a
 * signal comes first: a pending timer would keep the process alive until the N seconds were over.
 */
export function untilStopped(seconds?: number): Promise<'SIGINT' | 'SIGTERM' | 'timeout'> {
  return new Promise((resolve) => {
    // `on`, not `once`: Ctrl-C reaches a re-executed server twice (terminal and parent); the second
    // must not kill it halfway through closing the stream.
    let stopping = false;
    let timer: NodeJS.Timeout | undefined;
    const done = (why: 'SIGINT' | 'SIGTERM' | 'timeout') => {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      resolve(why);
    };
    process.on('SIGINT', () => done('SIGINT'));
    process.on('SIGTERM', () => done('SIGTERM'));
    if (seconds !== undefined) timer = setTimeout(() => done('timeout'), seconds * 1000);
  });
}

/** The engine, the same as data for a worker host (the native JACK rig renders in a worker), its entry and parsed params. */
async function createEngine(opts: ServeOptions) {
  const { createEngine: build } = await import('../../host/engineSpec.ts');
  type Spec = import('../../host/engineSpec.ts').EngineSpec;
  if (opts.engine === 'click') {
    const engineSpec: Spec = { kind: 'click' };
    return { engine: await build(engineSpec), engineSpec, entry: undefined, params: undefined };
  }
  if (opts.preset !== undefined && opts.config !== undefined) throw new CliError('--preset and --config both give the parameters; choose one');
  let config = readParamsFile('--config', opts.config);
  let source = `--config ${opts.config ?? '(defaults)'}`;
  try {
    const { engineEntry } = await import('../../presets/engineRegistry.ts');
    const isModule = /[\\/]|\.(m?js|ts)$/.test(opts.engine);
    const entry = isModule ? undefined : engineEntry(opts.engine, '--engine');
    if (opts.preset !== undefined) {
      if (!entry) throw new Error('--preset needs a registered engine name');
      const preset = await presetForServe(entry.engine, opts.preset, opts.userPresets);
      config = preset.params;
      source = `preset ${preset.file}`;
    }
    const engineSpec: Spec = { kind: 'entry', engine: opts.engine, config, source };
    const { parseParams } = await import('../../engine/params.ts');
    const params = entry ? parseParams(entry.paramsSchema, config, source) : undefined;
    return { engine: await build(engineSpec), engineSpec, entry, params };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

/** `--preset`: the user's copy first, then the shipped one; an unknown name lists the close matches. */
async function presetForServe(engine: string, name: string, userDir: string | undefined) {
  const { existsSync } = await import('node:fs');
  const { loadPreset, listPresetRefs } = await import('../../presets/presetStore.ts');
  const { defaultUserPresetsDir } = await import('../../host/livePresets.ts');
  const { closeMatches } = await import('../../presets/closeMatches.ts');
  const { workspace } = await import('../../presets/workspace.ts');
  const user = userDir ?? defaultUserPresetsDir();
  if (existsSync(join(user, engine, `${name}.json`))) return loadPreset(engine, name, user);
  const known = [...listPresetRefs(engine, user), ...listPresetRefs(engine, workspace.presetsDir)].map((r) => r.name);
  if (!known.includes(name)) {
    const near = closeMatches(name, known);
    throw new Error(`--preset ${name}: no ${engine} preset of that name; ${near.length ? `did you mean ${near.join(', ')}?` : `known: ${known.join(', ')}`}`);
  }
  return loadPreset(engine, name, workspace.presetsDir);
}

/** An effect's input from the options: --input, --tone, --noise, else the rig's inputs (--input-channels). */
function effectSource(opts: ServeOptions, inputs: number, rig: { sampleRate: number; inputChannels: number; kind: string }): import('../../host/effectSource.ts').SourceSpec {
  const sampleRate = rig.sampleRate;
  const given = [opts.input !== undefined, opts.tone !== undefined, opts.noise !== undefined].filter(Boolean).length;
  if (given > 1) throw new CliError('--input, --tone and --noise each choose the input; give one');
  const amplitude = 0.25;
  if (opts.tone !== undefined) return { kind: 'tone', frequencyHz: opts.tone === true ? 1000 : opts.tone, amplitude };
  if (opts.noise !== undefined) return { kind: 'noise', seed: opts.noise === true ? 1 : opts.noise, amplitude };
  if (opts.input !== undefined) {
    let audio: import('../../io/readWav.ts').Audio;
    try {
      audio = readWav(opts.input);
    } catch (err) {
      throw new CliError(`--input ${opts.input}: ${(err as Error).message}`);
    }
    if (audio.sampleRate !== sampleRate) throw new CliError(`--input ${opts.input}: ${audio.sampleRate} Hz, but the rig runs at ${sampleRate} Hz; resample the file`);
    if ((audio.channels[0]?.length ?? 0) === 0) throw new CliError(`--input ${opts.input}: no samples`);
    return { kind: 'loop', channels: audio.channels, name: opts.input };
  }
  if (opts.inputChannels === undefined && rig.kind === 'virtual') {
    // The virtual rig's inputs are its own outputs looped back: the effect would feed itself.
    process.stderr.write('rig serve: the virtual rig has no input of its own (it loops the outputs back); playing seeded noise (--noise 1). --input-channels uses its inputs anyway\n');
    return { kind: 'noise', seed: 1, amplitude };
  }
  const channels = opts.inputChannels ?? Array.from({ length: inputs }, (_, k) => k);
  const bad = channels.find((c) => c >= rig.inputChannels);
  if (bad !== undefined) throw new CliError(`--input-channels: the rig has ${rig.inputChannels} inputs (1…${rig.inputChannels}), got ${bad + 1}`);
  return { kind: 'rig', channels };
}

/** `--tone`'s frequency. */
function floatOption(min: number, max: number, unit: string): (text: string) => number {
  return (text) => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < min || v > max) throw new InvalidArgumentError(`expected a number from ${min} to ${max} ${unit}.`);
    return v;
  };
}

/** `--input-channels 1,2`: channels as the interface labels them (from 1), returned as 0-based indices. */
function channelList(text: string): number[] {
  const list = text.split(',').map((t) => Number(t.trim()));
  if (list.length === 0 || list.length > 64 || list.some((c) => !Number.isInteger(c) || c < 1 || c > 256)) {
    throw new InvalidArgumentError('expected channel numbers from 1 to 256 (as the interface labels them), comma-separated (e.g. 1,2).');
  }
  return list.map((c) => c - 1);
}
