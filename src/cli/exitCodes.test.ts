import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWavAtomic } from '../io/wavFile.ts';
import type { Command } from 'commander';
import { type CliRun, runInProcess, spawnRig } from './cliTestRunner.ts';
import { EXIT } from './exitCodes.ts';
import * as analyze from './commands/analyze.ts';
import * as bench from './commands/bench.ts';
import * as demo from './commands/demo.ts';
import * as golden from './commands/golden.ts';
import * as hil from './commands/hil.ts';
import * as latency from './commands/latency.ts';
import * as presets from './commands/presets.ts';
import * as render from './commands/render.ts';
import * as serve from './commands/serve.ts';

/**
 * One table of exit codes for every command family: a configuration or usage error is exit 2 with
 * exactly one line on stderr and no stack trace; a failed budget is 1; an unmeasurable figure is 3.
 * The cases marked `spawn` run bin/rig.js as a user would (main.ts's own mapping, start-up included,
 * about a second of CPU each); the others run the command in this process through the same mapping.
 */
let dir: string;
const runs = new Map<string, CliRun>();

interface Case {
  name: string;
  args: () => string[];
  code: number;
  stderr: RegExp;
  env?: NodeJS.ProcessEnv;
  spawn?: boolean;
}

const registers: Record<string, (program: Command) => void> = {
  analyze: analyze.register, bench: bench.register, demo: demo.register, golden: golden.register, hil: hil.register,
  latency: latency.register, presets: presets.register, render: render.register, serve: serve.register,
};
const registerAll = (program: Command) => Object.values(registers).forEach((r) => r(program));

const rigFile = (extra: object) => JSON.stringify({ formatVersion: 1, name: 'typo', backend: 'virtual', sampleRate: 48000, inputChannels: 32, outputChannels: 32, ...extra });

const cases: Case[] = [
  { name: 'hil: a rig file with a typo', args: () => ['hil', '--rig', join(dir, 'typo-rig.json')], code: EXIT.usage, stderr: /^rig: rig file .*typo-rig\.json: \$\.periodFrames: got nothing, expected number; \$: unknown key "periodFrame"$/, spawn: true },
  { name: 'hil: a rig file value out of range', args: () => ['hil', '--rig', join(dir, 'range-rig.json')], code: EXIT.usage, stderr: /^rig: rig file .*range-rig\.json: \$\.periodFrames: got 100000, expected a value ≤ 8192$/ },
  { name: 'hil: an unknown rig', args: () => ['hil', '--rig', 'studio'], code: EXIT.usage, stderr: /^rig: unknown rig "studio": .*known rigs: virtual, jack, jack-loopback/ },
  { name: 'hil: an unknown scenario', args: () => ['hil', '--scenario', 'panc'], code: EXIT.usage, stderr: /^rig: scenario "panc": no such scenario; known: .*panic/ },
  { name: 'hil: a scenario nested too deep', args: () => ['hil', '--scenario', join(dir, 'deep.json')], code: EXIT.usage, stderr: /^rig: .*deep\.json: invalid JSON at line 1, column \d+: nested deeper than 64 levels$/ },
  // On a 2-channel virtual rig: the 32-channel default spent most of this file's time calibrating and
  // analysing channels the scenario does not play (9 s of 10 at load 15).
  { name: 'hil: a budget that fails', args: () => ['hil', '--scenario', join(dir, 'tight.json'), '--rig', join(dir, 'two-channel-rig.json'), '--reports', join(dir, 'reports')], code: EXIT.failed, stderr: /^(\[hil\].*\n?)*$/ },
  { name: 'hil: a PortAudio device that is not there', args: () => ['hil', '--rig', join(dir, 'absent-device.json')], code: EXIT.usage, stderr: /^rig: absent: no single PortAudio device matches "No Such Interface 32"; devices: .*\(rig devices lists them all\)$/ },
  { name: 'serve: an unknown rig', args: () => ['serve', '--rig', 'nosuch', '--no-socket', '--no-osc'], code: EXIT.usage, stderr: /^rig: unknown rig "nosuch"/ },
  { name: 'serve: --seconds out of range', args: () => ['serve', '--seconds', '-1'], code: EXIT.usage, stderr: /^error: option '--seconds <s>' argument '-1' is invalid\. expected a number of seconds more than 0 and at most 86400\./ },
  { name: 'serve: --osc-port not a port', args: () => ['serve', '--osc-port', '70000'], code: EXIT.usage, stderr: /^error: option '--osc-port <port>' argument '70000' is invalid\. expected a whole number from 0 to 65535 \(a UDP port\)\./ },
  { name: 'hil: --keep 0', args: () => ['hil', '--keep', '0'], code: EXIT.usage, stderr: /^error: option '--keep <n>' argument '0' is invalid\. expected a whole number from 1 to 100000 \(runs to keep\)\./ },
  { name: 'render: a preset name that is a path', args: () => ['render', 'reverb/../../package', '--out', join(dir, 'x.wav')], code: EXIT.usage, stderr: /^rig: preset "reverb\/\.\.\/\.\.\/package": not a preset name/ },
  { name: 'render: --out missing', args: () => ['render', 'reverb/chamber'], code: EXIT.usage, stderr: /^error: required option '--out <file\.wav>' not specified/ },
  { name: 'presets: an unknown engine', args: () => ['presets', 'organ'], code: EXIT.usage, stderr: /^rig: unknown engine "organ"; known: / },
  { name: 'bench: an unknown benchmark', args: () => ['bench', 'nosuch', '--list'], code: EXIT.usage, stderr: /^rig: no benchmark matches nosuch; known: / },
  { name: 'golden: approve with CI set', args: () => ['golden', 'approve', 'reverb/chamber'], code: EXIT.usage, stderr: /^rig: CI is set/, env: { CI: 'true' } },
  { name: 'demo: --seconds out of range', args: () => ['demo', '--seconds', '0', '--out', join(dir, 'demo.wav')], code: EXIT.usage, stderr: /^error: option '--seconds <s>' argument '0' is invalid\. expected a number of seconds from 1 to 600\./ },
  { name: 'analyze: a missing file', args: () => ['analyze', join(dir, 'nothing.wav')], code: EXIT.usage, stderr: /^rig: .*nothing\.wav: cannot be read \(ENOENT\)$/ },
  { name: 'analyze: a silent file', args: () => ['analyze', join(dir, 'silent.wav')], code: EXIT.unmeasurable, stderr: /^rig: .*silent\.wav: is digitally silent/ },
  { name: 'latency: rates that differ', args: () => ['latency', join(dir, 'silent.wav'), join(dir, 'silent44.wav')], code: EXIT.usage, stderr: /^rig: sample rates differ/ },
  { name: 'an unknown option', args: () => ['presets', '--colour'], code: EXIT.usage, stderr: /^error: unknown option '--colour'\n/, spawn: true },
  { name: 'an unknown command', args: () => ['hill'], code: EXIT.usage, stderr: /^error: unknown command 'hill'/ },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rig-exit-'));
  writeFileSync(join(dir, 'typo-rig.json'), rigFile({ periodFrame: 128 }));
  writeFileSync(join(dir, 'range-rig.json'), rigFile({ periodFrames: 100_000 }));
  writeFileSync(join(dir, 'two-channel-rig.json'), rigFile({ name: 'two-channel', periodFrames: 64, inputChannels: 2, outputChannels: 2 }));
  writeFileSync(join(dir, 'absent-device.json'), rigFile({ name: 'absent', backend: 'portaudio', device: 'No Such Interface 32', periodFrames: 128 }));
  writeFileSync(join(dir, 'deep.json'), `{"formatVersion": 1, "timeline": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
  writeFileSync(join(dir, 'tight.json'), JSON.stringify({
    formatVersion: 1, durationMs: 400, timeline: [{ type: 'noteOn', atMs: 50, channel: 0, note: 60, velocity: 100 }, { type: 'noteOff', atMs: 150, channel: 0, note: 60 }],
    budgets: { latency: { p99Ms: 0.01 } },
  }));
  writeWavAtomic(join(dir, 'silent.wav'), { sampleRate: 48000, channels: [new Float32Array(4800)] });
  writeWavAtomic(join(dir, 'silent44.wav'), { sampleRate: 44100, channels: [new Float32Array(4410)] });
  const queue: Case[] = [...cases.filter((c) => c.spawn), { name: 'help', args: () => ['--help'], code: 0, stderr: /^$/ }, { name: 'hil help', args: () => ['hil', '--help'], code: 0, stderr: /^$/ }];
  // Two at a time: each start-up is about a second of CPU on this 2-core machine.
  const spawned = Promise.all(Array.from({ length: 2 }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) runs.set(c.name, await spawnRig(c.args(), { env: c.env ?? {} }));
  }));
  for (const c of cases.filter((x) => !x.spawn)) {
    const args = c.args();
    const saved = { ...process.env };
    Object.assign(process.env, c.env);
    try {
      runs.set(c.name, await runInProcess(registers[args[0]] ?? registerAll, args));
    } finally {
      process.env = saved;
    }
  }
  await spawned;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes, the same for every command', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = runs.get(c.name)!;
    expect({ code: run.code, stderr: run.stderr.trimEnd() }).toMatchObject({ code: c.code, stderr: expect.stringMatching(c.stderr) });
    expect(run.stderr).not.toMatch(/\n\s+at |Error: .*\n.*node:|Node\.js v/);
    if (c.stderr.source.startsWith('^rig: ')) expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('lists the exit codes in the program help and in every command help', () => {
    for (const name of ['help', 'hil help']) {
      const run = runs.get(name)!;
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Exit codes:\n\s+0 +ok.*\n\s+1 +a budget.*\n\s+2 +usage or configuration error.*\n\s+3 +a figure.*\n\s+130 +interrupted/);
    }
  });
});
