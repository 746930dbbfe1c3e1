#!/usr/bin/env node
// Our engine benchmarks side by side with their peers on this machine (dev only; the peers' tools
// come from scripts/install-peer-tools.sh):
//   fdn8_stereo, fdn16_stereo  vs  Faust re.fdnrev0 (src/bench/peers/fdn*.dsp), g++ -O3 and -O3 -march=native
//   haptic                     vs  the block-structured C reference (src/bench/peers/hapticPeer.c), gcc -O3 -march=native
//                                  (and the same at 128-bit vectors without FMA contraction, WebAssembly SIMD's width);
//                                  `haptic` runs the engine's default kernels (native C where the install built them),
//                                  haptic_wasm_kernel the WebAssembly ones
// Runs interleave (ours, peer, ours, peer, ...) for --rounds rounds; each run reports the median of
// its repeats, and the table gives the median over rounds of the real-time factor by CPU time (steadier
// on a shared machine) and by wall time, the ratio ours / peer, and the load average before and after.
// Usage: node scripts/bench-peers.mjs [--rounds 5] [--seconds 20] [--only fdn8|fdn16|haptic]
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const peers = join(root, 'src/bench/peers');
const { values: opts } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '20' }, only: { type: 'string' } },
});
const rounds = Number(opts.rounds);
const seconds = Number(opts.seconds);
const build = join(tmpdir(), 'studio-rig-peers');
mkdirSync(build, { recursive: true });

// The project's PATH lookup (src/io/onPath.ts), not a shell per question.
const { onPath } = await import('../src/io/onPath.ts');
const has = (tool) => onPath(tool) !== undefined;
const missing = ['faust', 'g++', 'gcc'].filter((t) => !has(t));
if (missing.length) {
  process.stdout.write(`MISSING: ${missing.join(', ')} — the peers that need them are skipped; install with scripts/install-peer-tools.sh (Debian packages faust, g++)\n`);
}

/** Builds a peer binary (once per invocation); returns its path, or null when a tool is missing. */
function buildPeer(name, steps) {
  try {
    for (const [tool, ...args] of steps) {
      if (!has(tool)) return null;
      execFileSync(tool, args, { cwd: build, stdio: ['ignore', 'ignore', 'inherit'] });
    }
    return join(build, name);
  } catch (error) {
    process.stdout.write(`build of ${name} failed: ${error.message}\n`);
    return null;
  }
}

function faustPeer(dsp, flags, name) {
  return buildPeer(name, [
    ['faust', '-I', peers, '-a', join(peers, 'faustBench.cpp'), join(peers, `${dsp}.dsp`), '-o', `${dsp}.cpp`],
    ['g++', ...flags, '-o', name, `${dsp}.cpp`],
  ]);
}

const { discoverBenchmarks } = await import('../src/bench/discover.ts');
const { runBenchmark } = await import('../src/bench/benchmark.ts');
const all = await discoverBenchmarks();

const pairs = [
  { ours: 'fdn8_stereo', peer: 'faust fdnrev0 N=8, g++ -O3', bin: () => faustPeer('fdn8', ['-O3'], 'fdn8_O3') },
  { ours: 'fdn8_stereo', peer: 'faust fdnrev0 N=8, g++ -O3 -march=native', bin: () => faustPeer('fdn8', ['-O3', '-march=native'], 'fdn8_native') },
  { ours: 'fdn16_stereo', peer: 'faust fdnrev0 N=16, g++ -O3', bin: () => faustPeer('fdn16', ['-O3'], 'fdn16_O3') },
  { ours: 'fdn16_stereo', peer: 'faust fdnrev0 N=16, g++ -O3 -march=native', bin: () => faustPeer('fdn16', ['-O3', '-march=native'], 'fdn16_native') },
  {
    ours: 'haptic', peer: 'C block-structured, gcc -O3 -march=native',
    bin: () => buildPeer('hapticPeer_native', [['gcc', '-O3', '-march=native', '-o', 'hapticPeer_native', join(peers, 'hapticPeer.c'), '-lm']]),
  },
  // Our WebAssembly kernels (what a browser runs) against the same peer.
  {
    ours: 'haptic_wasm_kernel', peer: 'C block-structured, gcc -O3 -march=native',
    bin: () => buildPeer('hapticPeer_native', [['gcc', '-O3', '-march=native', '-o', 'hapticPeer_native', join(peers, 'hapticPeer.c'), '-lm']]),
  },
  // The same C at WebAssembly SIMD's width and arithmetic (128-bit vectors, no FMA contraction): on an
  // AVX-512 machine -march=native runs 16 float lanes where ours has 4.
  {
    ours: 'haptic', peer: 'C, -march=native, 128-bit vectors, no FMA',
    bin: () => buildPeer('hapticPeer_128', [['gcc', '-O3', '-march=native', '-mprefer-vector-width=128', '-ffp-contract=off', '-o', 'hapticPeer_128', join(peers, 'hapticPeer.c'), '-lm']]),
  },
].filter((p) => !opts.only || p.ours.startsWith(opts.only));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();
const rows = [];
for (const pair of pairs) {
  const bin = pair.bin();
  const benchmark = all.find((b) => b.name === pair.ours);
  const ours = { cpu: [], wall: [] };
  const peer = { cpu: [], wall: [] };
  for (let r = 0; r < rounds; r++) {
    const result = runBenchmark(benchmark, { seconds });
    ours.cpu.push(result.cpuRealtimeFactor);
    ours.wall.push(result.realtimeFactor);
    if (bin) {
      const line = execFileSync(bin, [String(seconds), '5', pair.peer], { encoding: 'utf8' });
      const [, wall, cpu] = /realtime_factor ([\d.]+) cpu_realtime_factor ([\d.]+)/.exec(line);
      peer.cpu.push(Number(cpu));
      peer.wall.push(Number(wall));
    }
  }
  rows.push({ pair, ours, peer, bin });
  const o = median(ours.cpu);
  if (bin) {
    const p = median(peer.cpu);
    process.stdout.write(`${pair.ours.padEnd(13)} ${o.toFixed(0).padStart(6)}x cpu (${median(ours.wall).toFixed(0)}x wall) | ${pair.peer.padEnd(42)} ${p.toFixed(0).padStart(6)}x cpu (${median(peer.wall).toFixed(0)}x wall) | ratio ${(o / p).toFixed(2)} cpu, ${(median(ours.wall) / median(peer.wall)).toFixed(2)} wall\n`);
  } else {
    process.stdout.write(`${pair.ours.padEnd(13)} ${o.toFixed(0).padStart(6)}x cpu (${median(ours.wall).toFixed(0)}x wall) | ${pair.peer}: NOT RUN (tool missing or build failed)\n`);
  }
}
process.stdout.write(`rounds ${rounds} x ${seconds} s of audio, interleaved; load average (1, 5, 15 min) before ${loadBefore}, after ${load()}\n`);
