import type { Command } from 'commander';
import { CliError } from '../cliError.ts';
import { integerOption, millisecondsOption, secondsOption } from '../numberOptions.ts';
import { useWorkspace } from '../workspaceOptions.ts';

interface McpOptions {
  mode: string;
  engine: string;
  preset?: string;
  input?: string;
  window: number;
  oscHost: string;
  oscPort: number;
  replyPort: number;
  settleMs?: number;
  presetsDir?: string;
}

export function register(program: Command): void {
  program
    .command('mcp')
    .description(
      'serve the tuning interface as a Model Context Protocol server on stdin/stdout (tools list_presets, load_preset, set_params, ' +
        'get_params, get_metrics, get_spectrogram, describe, save_preset), offline or against rig serve; logs go to stderr. ' +
        'Runs until stdin closes or SIGINT/SIGTERM',
    )
    .option('--mode <mode>', 'offline | live', 'offline')
    .option('--engine <engine>', 'effect engine to tune first (load_preset can switch offline)', 'reverb')
    .option('--preset <name>', 'preset to start from (default: the engine defaults offline, the server state live)')
    .option('--input <input>', 'offline input: a WAV file, or noise | tone[:Hz] | impulses[:period s] (default noise)')
    .option('--window <seconds>', 'analysis window, 0.5 to 30 s (live: the snapshot length)', secondsOption(0.5, 30), 3)
    .option('--osc-host <host>', 'live: the rig server', '127.0.0.1')
    .option('--osc-port <port>', 'live: its OSC port', integerOption(1, 65535, 'a UDP port'), 9000)
    .option('--reply-port <port>', 'live: the port it replies to, 0 for any free one', integerOption(0, 65535, 'a UDP port'), 9001)
    .option('--settle-ms <ms>', 'live: wait after a change before the snapshot (default: the window plus 1 s)', millisecondsOption(0, 120_000))
    .option('--presets-dir <dir>', 'presets folder, read and saved to (default: the bundled presets/)')
    .action(async (opts: McpOptions) => {
      await useWorkspace({ presetsDir: opts.presetsDir });
      if (opts.mode !== 'offline' && opts.mode !== 'live') throw new CliError(`--mode: got ${JSON.stringify(opts.mode)}, allowed offline or live`);
      const { TunerMcpServer } = await import('../../tune/tunerMcpServer.ts');
      const { parseTunerInput } = await import('../../tune/tunerInput.ts');
      const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
      const mcp = new TunerMcpServer({
        mode: opts.mode, engine: opts.engine, preset: opts.preset, windowSeconds: opts.window,
        input: opts.input ? parseTunerInput(opts.input) : undefined,
        osc: { host: opts.oscHost, port: opts.oscPort, replyPort: opts.replyPort, settleMs: opts.settleMs },
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = resolve;
        process.stdin.once('end', resolve);
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await mcp.server.connect(transport);
      process.stderr.write(`rig mcp: tuner (${opts.mode}, ${opts.engine}) on stdio\n`);
      await closed;
      await mcp.close();
    });
}
