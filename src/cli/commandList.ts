import type { Command } from 'commander';

/** A command's module: `register(program)` adds the command with its options, help and action. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every `rig` command: its name, the arguments its help line shows, a one-line summary for `rig --help`
 * and how to load its module. Only the command being run is loaded (the engines, analysis and report
 * modules behind all of them take ~1 s to load from TypeScript); `rig --help` loads none. A new command
 * is a file in ./commands and a line here (commandList.test.ts checks that the two agree).
 */
export interface CommandEntry {
  name: string;
  args: string;
  summary: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'analyze', args: '<file>', summary: 'loudness, peaks, spectrum; RT60 with --ir', load: () => import('./commands/analyze.ts') },
  { name: 'bench', args: '[names...]', summary: 'run benchmarks, printing each realtime factor', load: () => import('./commands/bench.ts') },
  { name: 'bridge', args: '', summary: 'localhost bridge: engines for web pages', load: () => import('./commands/bridge.ts') },
  { name: 'conformance', args: '[engine]', summary: 'the engine contract suite on any engine', load: () => import('./commands/conformance.ts') },
  { name: 'demo', args: '', summary: 'render the haptic demo to a 32-channel WAV', load: () => import('./commands/demo.ts') },
  { name: 'dev', args: '', summary: 'the engines in the browser; live dashboard', load: () => import('./commands/dev.ts') },
  { name: 'devices', args: '', summary: 'PortAudio and JACK devices, channels, rates', load: () => import('./commands/devices.ts') },
  { name: 'golden', args: '', summary: 'review and approve the golden renders', load: () => import('./commands/golden.ts') },
  { name: 'hil', args: '', summary: 'the main job: HIL scenarios on a rig', load: () => import('./commands/hil.ts') },
  { name: 'latency', args: '<reference> <capture>', summary: 'sub-sample delay of a capture', load: () => import('./commands/latency.ts') },
  { name: 'mcp', args: '', summary: 'the tuner as an MCP server over stdio', load: () => import('./commands/mcp.ts') },
  { name: 'presets', args: '[engine]', summary: 'list presets with their targets', load: () => import('./commands/presets.ts') },
  { name: 'reaper', args: '', summary: 'REAPER: verify FX, calibrate, render', load: () => import('./commands/reaper.ts') },
  { name: 'render', args: '<preset>', summary: 'render a preset offline to a float32 WAV', load: () => import('./commands/render.ts') },
  { name: 'serve', args: '', summary: 'the haptic engine live (device under test)', load: () => import('./commands/serve.ts') },
  { name: 'tune', args: '', summary: 'measure an effect preset, offline or live', load: () => import('./commands/tune.ts') },
];
