import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILE_NAME, readStudioRigConfig } from '../../presets/studioRigConfig.ts';
import { CliError } from '../cliError.ts';
import { MAX_SERVE_SECONDS, integerOption, millisecondsOption, secondsOption } from '../numberOptions.ts';
import { printFigures } from '../output.ts';
import { addWorkspaceOptions, useWorkspace } from '../workspaceOptions.ts';
import { untilStopped } from './serve.ts';

interface BridgeOptions {
  port: number;
  allowOrigin: string[];
  engine?: string[];
  presetsDir?: string;
  goldenDir?: string;
  maxInstances?: number;
  watchdogMs?: number;
  seconds?: number;
  json?: boolean;
  realtime: boolean;
}

/**
 * The modules of the user's engines (the config file's "engines", then --engine), as absolute paths:
 * each instance's worker loads its engine's module itself.
 */
function engineModulePaths(flags: readonly string[], cwd = process.cwd()): string[] {
  const configPath = join(cwd, CONFIG_FILE_NAME);
  const fromConfig = existsSync(configPath) ? readStudioRigConfig(configPath).engines.map((m) => resolve(dirname(configPath), m)) : [];
  return [...fromConfig, ...flags.map((m) => resolve(cwd, m))];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const command = program
    .command('bridge')
    .description('the localhost bridge: web pages process audio through the native engines over one WebSocket (protocol: src/bridge/README.md)')
    .option('--port <port>', 'port on 127.0.0.1 and [::1], 0 to 65535 (0 = any free port)', integerOption(0, 65535, 'a TCP port'), 8080)
    .option('--allow-origin <origin>', "also accept pages from this origin, e.g. https://app.example.com (repeatable); they still need the pairing token", collect, [])
    .option('--max-instances <n>', 'instances loaded at once, over all clients, 1 to 256', integerOption(1, 256, 'instances'))
    .option('--watchdog-ms <ms>', 'an instance silent this long on a chunk is stopped and unloaded, 10 to 60000 ms', millisecondsOption(10, 60_000))
    .option('--seconds <s>', `stop after this long, at most ${MAX_SERVE_SECONDS} s (default: run until SIGINT/SIGTERM)`, secondsOption(0, MAX_SERVE_SECONDS))
    .option('--no-realtime', "keep the bridge's threads at normal scheduling (default: SCHED_RR where permitted, main thread 6, instances 5)")
    .option('--json', 'print the final counters as JSON');
  addWorkspaceOptions(command).action(async (opts: BridgeOptions) => {
    await useWorkspace({ engine: opts.engine, presetsDir: opts.presetsDir, goldenDir: opts.goldenDir });
    const { normaliseOrigin } = await import('../../protocols/http/loopbackGuard.ts');
    const { BridgeServer } = await import('../../bridge/bridgeServer.ts');
    let allowOrigins: string[];
    try {
      allowOrigins = opts.allowOrigin.map(normaliseOrigin);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const bridge = new BridgeServer({
      port: opts.port, allowOrigins, realtime: opts.realtime, engineModules: engineModulePaths(opts.engine ?? []),
      limits: { ...(opts.maxInstances ? { maxInstances: opts.maxInstances } : {}), ...(opts.watchdogMs ? { watchdogMs: opts.watchdogMs } : {}) },
    });
    try {
      await bridge.start();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new CliError(`cannot start: ${e.code === 'EADDRINUSE' ? `port ${opts.port} is in use (choose another with --port)` : e.message}`);
    }
    process.stdout.write(`rig bridge: ${bridge.url} (WebSocket ${bridge.wsUrl}; listening on ${bridge.addresses.join(', ')})\n`);
    process.stdout.write(`token: ${bridge.token}\n`);
    process.stdout.write(`scheduling: ${bridge.describeScheduling()}\n`);
    await untilStopped(opts.seconds);
    const stats = bridge.stats();
    await bridge.stop();
    printFigures(stats, Boolean(opts.json));
  });
}
