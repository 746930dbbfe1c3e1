import { performance } from 'node:perf_hooks';

export interface BenchOptions {
  /** Seconds of audio per run, where the benchmark takes a length (e.g. `--seconds 60`). */
  seconds?: number;
}

/**
 * One benchmark. `setup()` does everything that is not timed and returns the timed run. A benchmark
 * that processes audio states how many seconds of it one run covers, and is reported as
 * `bench <name> realtime_factor <x>`; one that does not is reported as `bench <name> ms <x>`.
 */
export interface Benchmark {
  name: string;
  description: string;
  audioSeconds?: (options: BenchOptions) => number;
  /** Synchronous benchmarks: the untimed set-up, returning the timed run (runBenchmark times it). */
  setup?: (options: BenchOptions) => () => void;
  /**
   * Benchmarks that run elsewhere (in a browser's AudioWorklet) and time themselves: the result, or why
   * it cannot be measured on this machine (`rig bench` then exits 3, "could not be measured").
   */
  measure?: (options: BenchOptions) => Promise<BenchResult | { notMeasured: string }>;
  /** The target from the issue, for the report line: realtime factor ≥, or milliseconds ≤. */
  target?: { realtimeFactorAtLeast?: number; msAtMost?: number };
}

export interface BenchResult {
  name: string;
  medianMs: number;
  runs: number;
  realtimeFactor?: number;
  /** Median CPU time (user + system) of a run, and the realtime factor by it: steadier than wall time on a busy machine. */
  medianCpuMs: number;
  cpuRealtimeFactor?: number;
  meetsTarget?: boolean;
  /** What else the benchmark reports beside its line (e.g. the Node figure it is compared with). */
  note?: string;
}

/** Runs one warm-up, then repeats until `minSeconds` of timed work and at least `minRuns` runs; reports the median. */
export function runBenchmark(b: Benchmark, options: BenchOptions = {}, minSeconds = 1.5, minRuns = 3): BenchResult {
  if (!b.setup) throw new Error(`benchmark ${b.name} measures itself: await its measure()`);
  const run = b.setup(options);
  run();
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || performance.now() - started < minSeconds * 1000) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuTimes.push((cpu.user + cpu.system) / 1000);
    if (times.length >= 200) break;
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const medianMs = median(times);
  const medianCpuMs = median(cpuTimes);
  const result: BenchResult = { name: b.name, medianMs, medianCpuMs, runs: times.length };
  if (b.audioSeconds) {
    result.realtimeFactor = b.audioSeconds(options) / (medianMs / 1000);
    result.cpuRealtimeFactor = b.audioSeconds(options) / (medianCpuMs / 1000);
  }
  if (b.target?.realtimeFactorAtLeast !== undefined && result.realtimeFactor !== undefined) {
    result.meetsTarget = result.realtimeFactor >= b.target.realtimeFactorAtLeast;
  } else if (b.target?.msAtMost !== undefined) {
    result.meetsTarget = medianMs <= b.target.msAtMost;
  }
  return result;
}

export function formatBenchLine(r: BenchResult): string {
  return r.realtimeFactor !== undefined
    ? `bench ${r.name} realtime_factor ${r.realtimeFactor.toFixed(1)}`
    : `bench ${r.name} ms ${r.medianMs.toFixed(2)}`;
}
