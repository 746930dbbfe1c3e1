import type { Command } from 'commander';
import { addTunerOptions, type TunerCliOptions, tunerOptionsFrom } from './tune.ts';

interface McpOptions extends TunerCliOptions {
  engine: string;
  preset?: string;
}

export function register(program: Command): void {
  const command = program
    .command('mcp')
    .description(
      'serve the tuning interface as a Model Context Protocol server on stdin/stdout (tools list_presets, load_preset, set_params, ' +
        'get_params, get_metrics, get_spectrogram, describe, save_preset), offline or against rig serve; logs go to stderr. ' +
        'Runs until stdin closes or SIGINT/SIGTERM',
    )
    .option('--engine <engine>', 'effect engine to tune first (load_preset can switch offline)', 'reverb')
    .option('--preset <name>', 'preset to start from (default: the engine defaults offline, the server state live)');
  addTunerOptions(command).action(async (opts: McpOptions) => {
    const tunerOptions = await tunerOptionsFrom(opts);
    const { TunerMcpServer } = await import('../../tune/tunerMcpServer.ts');
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const mcp = new TunerMcpServer({ ...tunerOptions, engine: opts.engine, preset: opts.preset, log: (line) => process.stderr.write(`${line}\n`) });
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
