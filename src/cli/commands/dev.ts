import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { integerOption, MAX_SERVE_SECONDS, secondsOption } from '../numberOptions.ts';
import { readParamsFile, useWorkspace } from '../workspaceOptions.ts';
import { untilStopped } from './serve.ts';

interface DevOptions {
  port: number;
  attach?: string | true;
  config?: string;
  saveDir?: string;
  seconds?: number;
  replyPort?: number;
  snapshots?: string;
}

/** Where `savePreset` writes by default: $XDG_DATA_HOME/studio-rig/presets (never the shipped presets). */
export function defaultSaveDir(): string {
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'studio-rig', 'presets');
}

/** `host:port` of a rig server's OSC listener (`[::1]:9000` for IPv6); loopback names only. */
export function parseAttachTarget(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port < 1 || port > 65535) throw new CliError(`--attach ${JSON.stringify(text)}: expected host:port of a running \`rig serve\`'s OSC listener, e.g. 127.0.0.1:9000`);
  const host = m[1] ?? m[2];
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new CliError(`--attach ${JSON.stringify(text)}: expected a loopback address (127.0.0.1, localhost or [::1]): the dev server talks to a rig on this machine`);
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

export function register(program: Command): void {
  program
    .command('dev')
    .description('the development server: the engines in the browser (AudioWorklet), parameters and meters over a WebSocket, and with --attach the live dashboard of a running `rig serve`')
    .option('--port <port>', 'HTTP and WebSocket port on 127.0.0.1, 0 to 65535 (0 = any free port)', integerOption(0, 65535, 'a TCP port'), 8787)
    .option('--attach [osc-host:port]', 'show the live dashboard of a running `rig serve` (its OSC address; default 127.0.0.1:9000)')
    .option('--config <file>', 'the haptic configuration the attached server runs (its `rig serve --config`): transducer positions and MPE range')
    .option('--reply-port <port>', 'with --attach to a live effect: the UDP port its replies and metrics come to (the server\'s --reply-port; default 9001, any free port when taken)', integerOption(1, 65535, 'a UDP port'))
    .option('--snapshots <dir>', 'with --attach to a live effect: the server\'s --snapshots folder, the only one a spectrogram\'s snapshot is read from (default reports/snapshots)')
    .option('--save-dir <dir>', `where savePreset writes (default ${defaultSaveDir()})`)
    .option('--seconds <s>', `stop after this long, at most ${MAX_SERVE_SECONDS} s (default: until SIGINT/SIGTERM)`, secondsOption(0, MAX_SERVE_SECONDS))
    .action(async (opts: DevOptions) => {
      await useWorkspace({});
      const { parseHapticConfig } = await import('../../haptic/hapticConfig.ts');
      const { startDevServer } = await import('../../browser/devServer/devServer.ts');
      const { ensurePageBuilt } = await import('../../browser/devServer/buildPage.ts');
      const log = (line: string) => process.stderr.write(`rig dev: ${line}\n`);
      let attach: Parameters<typeof startDevServer>[0]['attach'];
      if (opts.attach !== undefined) {
        const target = parseAttachTarget(opts.attach === true ? '127.0.0.1:9000' : opts.attach);
        let config: ReturnType<typeof parseHapticConfig>;
        try {
          config = parseHapticConfig(readParamsFile('--config', opts.config), `--config ${opts.config ?? '(defaults)'}`);
        } catch (err) {
          throw new CliError((err as Error).message);
        }
        const { workspace } = await import('../../presets/workspace.ts');
        attach = {
          ...target, config, replyPort: opts.replyPort ?? 9001, anyPortIfTaken: opts.replyPort === undefined,
          snapshotsDir: opts.snapshots ?? join(workspace.reportsDir, 'snapshots'),
        };
      }
      await ensurePageBuilt(undefined, log);
      let server: Awaited<ReturnType<typeof startDevServer>>;
      try {
        server = await startDevServer({ port: opts.port, userPresetsDir: opts.saveDir ?? defaultSaveDir(), attach, log });
      } catch (err) {
        throw new CliError(`cannot start on 127.0.0.1:${opts.port}: ${(err as Error).message}`);
      }
      process.stdout.write(`${server.url}${attach ? `\n${server.url}dashboard  (attached to rig serve at ${attach.host}:${attach.port})` : ''}\n`);
      await untilStopped(opts.seconds);
      await server.close();
    });
}
