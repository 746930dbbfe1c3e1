import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
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
}

/** Default socket: $XDG_RUNTIME_DIR/studio-rig.sock, else <tmpdir>/studio-rig-<uid>.sock. */
export function defaultSocketPath(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime ? join(runtime, 'studio-rig.sock') : join(tmpdir(), `studio-rig-${process.getuid?.() ?? 0}.sock`);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the haptic engine in real time on a rig, taking OSC (UDP), IPC socket frames and MIDI (the device under test)')
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
      const { engine, engineSpec } = await createEngine(opts);
      const server = new RigServer({
        rig, engine, engineSpec,
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
      process.stderr.write(`rig serve: ${engine.name} engine on ${rig.name} (${rig.sampleRate} Hz, ${rig.periodFrames} frames); osc ${l.osc ?? 'off'}; socket ${l.socket ?? 'off'}; midi ${l.midi ?? 'off'}\n`);

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

/** The engine, and the same as data for a worker host (the native JACK rig renders in a worker). */
async function createEngine(opts: ServeOptions) {
  const { createEngine: build } = await import('../../host/engineSpec.ts');
  type Spec = import('../../host/engineSpec.ts').EngineSpec;
  if (opts.engine === 'click') {
    const engineSpec: Spec = { kind: 'click' };
    return { engine: await build(engineSpec), engineSpec };
  }
  const config = readParamsFile('--config', opts.config);
  const engineSpec: Spec = { kind: 'entry', engine: opts.engine, config, source: `--config ${opts.config ?? '(defaults)'}` };
  try {
    return { engine: await build(engineSpec), engineSpec };
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}
