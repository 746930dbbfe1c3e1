import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.ts';

/** Every benchmark in src/: each `*.bench.ts` file, beside what it measures, exports `benchmarks`. */
export async function discoverBenchmarks(): Promise<Benchmark[]> {
  const srcDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const files = (readdirSync(srcDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.bench.ts')).sort();
  const all: Benchmark[] = [];
  for (const f of files) {
    const mod = (await import(join(srcDir, f))) as { benchmarks?: Benchmark[] };
    all.push(...(mod.benchmarks ?? []));
  }
  return all;
}
