import type { Command } from 'commander';
import { type BenchResult, formatBenchLine, runBenchmark } from '../../bench/benchmark.ts';
import { discoverBenchmarks } from '../../bench/discover.ts';
import { CliError } from '../cliError.ts';
import { EXIT } from '../exitCodes.ts';
import { MAX_RENDER_SECONDS, secondsOption } from '../numberOptions.ts';

export function register(program: Command): void {
  program
    .command('bench')
    .description('run benchmarks (all, or those whose names start with the given words); prints "bench <name> realtime_factor <x>"')
    .argument('[names...]', 'benchmark names or prefixes, e.g. haptic, lufs_10min_stereo')
    .option('--seconds <s>', `seconds of audio per run, for benchmarks that take a length (more than 0, at most ${MAX_RENDER_SECONDS})`, secondsOption(0, MAX_RENDER_SECONDS))
    .option('--list', 'list the benchmarks and their targets')
    .option('--json', 'print the results (or, with --list, the benchmarks and their targets) as JSON')
    .action(async (names: string[], opts: { seconds?: number; list?: boolean; json?: boolean }) => {
      const all = await discoverBenchmarks();
      const chosen = names.length ? all.filter((b) => names.some((n) => b.name === n || b.name.startsWith(n))) : all;
      if (names.length && chosen.length === 0) {
        throw new CliError(`no benchmark matches ${names.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
      }
      if (opts.list) {
        if (opts.json) {
          const list = chosen.map((b) => ({ name: b.name, description: b.description, realtimeFactorAtLeast: b.target?.realtimeFactorAtLeast ?? null, msAtMost: b.target?.msAtMost ?? null }));
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        for (const b of chosen) {
          const t = b.target?.realtimeFactorAtLeast !== undefined ? ` (target ≥ ${b.target.realtimeFactorAtLeast}× real time)` : b.target?.msAtMost !== undefined ? ` (target ≤ ${b.target.msAtMost} ms)` : '';
          process.stdout.write(`${b.name}  ${b.description}${t}\n`);
        }
        return;
      }
      const results: BenchResult[] = [];
      const notMeasured: string[] = [];
      for (const b of chosen) {
        const measured = b.measure ? await b.measure({ seconds: opts.seconds }) : runBenchmark(b, { seconds: opts.seconds });
        if ('notMeasured' in measured) {
          notMeasured.push(b.name);
          process.stderr.write(`bench ${b.name} not measured: ${measured.notMeasured}\n`);
          continue;
        }
        const r = measured;
        results.push(r);
        if (!opts.json) {
          const verdict = r.meetsTarget === undefined ? '' : r.meetsTarget ? '  # meets target' : '  # BELOW TARGET';
          process.stdout.write(`${formatBenchLine(r)}${verdict}${r.note ? ` (${r.note})` : ''}\n`);
        }
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      // A benchmark below its target is a failed target: exit 1, as a failed budget is (timings are noisy
      // on a loaded machine; rerun before believing one).
      const below = results.filter((r) => r.meetsTarget === false);
      if (below.length) {
        process.stderr.write(`rig bench: ${below.length} benchmark(s) below target: ${below.map((r) => r.name).join(', ')}\n`);
        process.exitCode = 1;
      } else if (notMeasured.length) process.exitCode = EXIT.unmeasurable;
    });
}
