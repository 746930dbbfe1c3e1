import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './benchmark.ts';

/** Every benchmark in src/ and hil/ (the harness's analysis): each `*.bench.ts` file, beside what it measures, exports `benchmarks`. */
export async function discoverBenchmarks(): Promise<Benchmark[]> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const all: Benchmark[] = [];
  for (const dir of ['src', 'hil'].map((d) => join(root, d))) {
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.bench.ts')).sort();
    for (const f of files) {
      const mod = (await import(join(dir, f))) as { benchmarks?: Benchmark[] };
      all.push(...(mod.benchmarks ?? []));
    }
  }
  return all;
}
