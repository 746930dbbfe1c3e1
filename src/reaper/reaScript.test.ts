import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_FUZZ, python3, requirePython3 } from './fixtures/standIn.ts';
import { generateReaScript, REQUIRED_API } from './reaScript.ts';

/** Fuzz size: random documents, each compared in ~16 ways (layouts, truncations, mutations); ~0.5 s in one python3. */
const FUZZ_DOCUMENTS = 1000;
const MIN_COMPARISONS = 10 * FUZZ_DOCUMENTS;
const FUZZ_SEED = Number(process.env.REAPER_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Compiles the script and lists its imports and the RPR_ names it calls, in one python3. */
const INSPECT = `
import ast, json, py_compile, sys
py_compile.compile(sys.argv[1], doraise=True, cfile=sys.argv[1] + "c")
tree = ast.parse(open(sys.argv[1]).read())
imports = sorted(set([a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names] +
                     [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] +
                     ["__import__" for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "__import__"]))
called = sorted(set(n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                    and n.func.id in ("call", "set_checked") and n.args and isinstance(n.args[0], ast.Constant)))
print(json.dumps({"imports": imports, "called": called}))
`;

let dir: string;
let script: string;
let inspected: { imports: string[]; called: string[] };
let inspectedWatch: typeof inspected;

const fuzz = async (path: string, documents = FUZZ_DOCUMENTS) => {
  const run = await python3([JSON_FUZZ, path, String(FUZZ_SEED), String(documents)], 60_000);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { comparisons: number; failureCount: number; failures: unknown[] };
};

beforeAll(async () => {
  requirePython3();
  dir = mkdtempSync(join(tmpdir(), 'rig-reascript-'));
  script = join(dir, 'studio_rig_reaper.py');
  writeFileSync(script, generateReaScript());
  const watching = join(dir, 'studio_rig_reaper_watch.py');
  writeFileSync(watching, generateReaScript({ watch: true }));
  const [run, watchRun] = await Promise.all([python3(['-c', INSPECT, script]), python3(['-c', INSPECT, watching])]);
  for (const r of [run, watchRun]) if (r.code !== 0) throw new Error(`a generated script does not compile: ${r.stderr}`);
  inspected = JSON.parse(run.stdout);
  inspectedWatch = JSON.parse(watchRun.stdout);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the generated ReaScript', () => {
  it('compiles with python3 -m py_compile (one-shot and watching) and leaves no template token unfilled', () => {
    expect(inspected.imports.length).toBeGreaterThan(0);
    expect(generateReaScript()).not.toMatch(/\{\{|\}\}/);
    expect(generateReaScript()).toMatch(/^WATCH = False$/m);
    expect(generateReaScript({ watch: true })).toMatch(/^WATCH = True$/m);
  });

  it('imports nothing beyond os and time', () => {
    expect(inspected.imports).toEqual(['os', 'time']);
    expect(inspectedWatch.imports).toEqual(['os', 'time']);
  });

  it('calls exactly the REAPER functions it checks for before starting', () => {
    expect(inspected.called).toEqual([...REQUIRED_API].filter((n) => n !== 'GetResourcePath').sort());
  });

  it(`parses and writes JSON exactly as Python's json module does on ${FUZZ_DOCUMENTS} random documents (seed ${FUZZ_SEED}; replay: REAPER_FUZZ_SEED=${FUZZ_SEED})`, async () => {
    const report = await fuzz(script);
    expect(report.failures, `seed ${FUZZ_SEED}`).toEqual([]);
    expect(report.comparisons).toBeGreaterThan(MIN_COMPARISONS);
  });

  it('the fuzz catches a parser that does not join surrogate pairs (it can fail)', async () => {
    const broken = join(dir, 'broken.py');
    const text = generateReaScript().replace('if 0xDC00 <= low <= 0xDFFF:', 'if False:');
    expect(text).not.toBe(generateReaScript());
    writeFileSync(broken, text);
    expect((await fuzz(broken, 100)).failureCount).toBeGreaterThan(0);
  });
});
