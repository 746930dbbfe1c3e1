import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../presets/workspace.ts';

/**
 * The package as a plain Node 20 project gets it: `npm pack` (which builds dist/ through "prepare"),
 * unpacked into a temporary project outside the repository whose other dependencies are links to this
 * repository's installed ones (no network, no native rebuild). A consumer written in JavaScript with
 * JSDoc types imports every entry point; tsc checks it (checkJs) against the packed .d.ts, and node runs
 * it without any TypeScript loader.
 */
const SUBPATHS = ['engine', 'analysis', 'conformance', 'golden', 'hil'];
let project: string;

const consumer = `// @ts-check
import { at, defineEngine, EventKind, render } from 'studio-rig/engine';
import { measureLoudness } from 'studio-rig/analysis';
import { conformanceSubject, runConformance } from 'studio-rig/conformance';
import { loadPreset, registerEngine, renderPreset } from 'studio-rig/golden';
import { loadScenario, resolveScenarios } from 'studio-rig/hil';
import { z } from 'zod';

/** @typedef {import('studio-rig/engine').Engine<{ gain: number }>} GainEngine */
/** @implements {GainEngine} */
class Gain {
  name = 'consumer-gain';
  numInputs = 1;
  numOutputs = 1;
  paramNames = ['gain'];
  gain = 1;
  /** @param {{ gain: number }} p */
  constructor(p) { this.initial = p.gain; this.gain = p.gain; }
  prepare() { this.reset(); }
  reset() { this.gain = this.initial; }
  /** @param {readonly Float32Array[]} inputs @param {Float32Array[]} outputs @param {number} frames @param {readonly import('studio-rig/engine').EngineEvent[]} events @param {number} count */
  process(inputs, outputs, frames, events, count) {
    let e = 0;
    for (let i = 0; i < frames; i++) {
      while (e < count && events[e].offsetFrames <= i) {
        if (events[e].kind === EventKind.Param) this.gain = events[e].value;
        e++;
      }
      outputs[0][i] = this.gain * inputs[0][i];
    }
  }
  getState() { return { gain: this.gain }; }
  /** @param {{ gain: number }} s */
  setState(s) { this.gain = s.gain; }
}

const entry = registerEngine(defineEngine({
  engine: 'consumer-gain', kind: 'effect', version: '1',
  paramsSchema: z.strictObject({ gain: z.number().min(0).max(4).default(0.5) }),
  create: (p) => new Gain(p),
  conformance: { events: (fs) => [at.param(Math.round(0.1 * fs) + 3, 0, 2)] },
}));
const outcomes = await runConformance(conformanceSubject(entry), { level: 2 });
const out = render(entry.create({ gain: 2 }), { sampleRate: 48000, blockFrames: 64, frames: 4, input: [Float32Array.of(0.25, 0, 0, 0)] });
const rendered = renderPreset(loadPreset('lossy', 'phone-narrowband'), { sampleRate: 48000, seconds: 0.5, input: [Float32Array.from({ length: 24000 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 1000 * i) / 48000))] });
const loudness = measureLoudness(rendered, 48000);
const scenarios = resolveScenarios(undefined, false).map((s) => s.name);
const panic = loadScenario(new URL('./node_modules/studio-rig/scenarios/panic.json', import.meta.url).pathname);
console.log(JSON.stringify({
  conformance: outcomes.map((o) => o.check + ':' + o.ok),
  firstSample: out[0][0],
  lufs: loudness.integratedLufs,
  scenarios,
  panicEvents: panic.events.length,
}));
`;

/** Type errors tsc must find: the .d.ts carry real types, not \`any\`. */
const wrong = `// @ts-check
import { measureLoudness } from 'studio-rig/analysis';
import { render } from 'studio-rig/engine';
/** @type {string} */
export const lufs = measureLoudness([new Float32Array(8)], 48000).integratedLufs;
export const r = render(null, { sampleRate: 48000 });
`;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'studio-rig-consumer-'));
  const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = (JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[])[0].filename;
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'studio-rig'), { recursive: true });
  execFileSync('tar', ['xzf', join(project, tarball), '-C', join(modules, 'studio-rig'), '--strip-components=1']);
  for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      mkdirSync(join(modules, name), { recursive: true });
      for (const sub of readdirSync(join(REPO_ROOT, 'node_modules', name))) symlinkSync(join(REPO_ROOT, 'node_modules', name, sub), join(modules, name, sub));
    } else {
      symlinkSync(join(REPO_ROOT, 'node_modules', name), join(modules, name));
    }
  }
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true, types: ['node'] },
    include: ['*.mjs'],
  }));
  writeFileSync(join(project, 'consumer.mjs'), consumer);
  writeFileSync(join(project, 'wrong.mjs'), wrong);
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package in a plain Node 20 project', () => {
  it('exports every entry point with its types; tsc finds the consumer correct and the wrong file wrong', () => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project, encoding: 'utf8' });
    const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors.filter((l) => !l.startsWith('wrong.mjs')), r.stdout).toEqual([]);
    expect(errors).toEqual([
      expect.stringMatching(/^wrong\.mjs\(5,\d+\): error TS2322: Type 'number \| null' is not assignable to type 'string'/),
      expect.stringMatching(/^wrong\.mjs\(6,\d+\): error TS2345: Argument of type 'null' is not assignable to parameter of type 'Engine/),
    ]);
    for (const sub of SUBPATHS) expect(consumer).toContain(`from 'studio-rig/${sub}'`);
  }, 120_000);

  it('runs under plain node: a user engine registered and put through the conformance suite, a bundled preset rendered and measured', () => {
    const out = execFileSync(process.execPath, ['consumer.mjs'], { cwd: project, encoding: 'utf8' });
    const r = JSON.parse(out) as { conformance: string[]; firstSample: number; lufs: number; scenarios: string[]; panicEvents: number };
    expect(r.conformance).toEqual([
      'finite-normal:true', 'finite-normal:true', 'finite-normal:true', 'determinism:true',
      'block-size-invariance:true', 'block-size-invariance:true', 'block-size-invariance:true', 'reset:true',
    ]);
    expect(r.firstSample).toBe(0.5);
    expect(r.lufs).toBeGreaterThan(-40);
    expect(r.lufs).toBeLessThan(-10);
    expect(r.scenarios).toContain('latency-probe');
    expect(r.panicEvents).toBeGreaterThan(0);
  }, 120_000);

  it('runs `rig` from its prebuilt bundle (dist/cli) under RIG_CLI=build, which refuses the TypeScript fallback', () => {
    const r = spawnSync(process.execPath, [join(project, 'node_modules', 'studio-rig', 'bin', 'rig.js'), '--help'], {
      cwd: project, encoding: 'utf8', env: { ...process.env, RIG_CLI: 'build' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/analyze/);
  }, 60_000);

  it('ships its worker bundles current (dist/workers): the installed package\'s bridge starts instances from them, rebuilding nothing', async () => {
    const pkg = join(project, 'node_modules', 'studio-rig');
    const states = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `
      const { WORKER_MODULES, workerBundleFile, workerBundleState } = await import(${JSON.stringify(join(pkg, 'src', 'host', 'workerBundle.ts'))});
      console.log(JSON.stringify(Object.keys(WORKER_MODULES).map((m) => [m, workerBundleState(workerBundleFile(${JSON.stringify(pkg)} + '/' + m))])));
    `], { cwd: project, encoding: 'utf8' });
    const modules = JSON.parse(states) as [string, string][];
    expect(modules.map(([m]) => m)).toEqual(expect.arrayContaining(['src/host/hostWorker.ts', 'src/bridge/instanceWorker.ts']));
    for (const [m, state] of modules) expect(state, m).toBe('current');

    const child = spawn(process.execPath, [join(pkg, 'bin', 'rig.js'), 'bridge', '--port', '0', '--no-realtime'], {
      cwd: project, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RIG_CLI: 'build' },
    });
    try {
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no token from rig bridge in 60 s; stderr: ${err}`)), 60_000);
        child.stdout.on('data', (d) => {
          out += d;
          if (/^token: /m.test(out)) { clearTimeout(timer); resolve(); }
        });
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`rig bridge exited ${code}; stderr: ${err}`)); });
      });
      expect(err).not.toMatch(/rebuilt the instance worker bundle|TypeScript sources/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);

  it('serves the dev page from the installed package: `rig dev` finds its built page (dist/browser) or builds it', async () => {
    const child = spawn(process.execPath, [join(project, 'node_modules', 'studio-rig', 'bin', 'rig.js'), 'dev', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL from rig dev in 60 s; stderr: ${err}`)), 60_000);
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/(?:localhost|127\.0\.0\.1):(\d+)\//.exec(out);
          if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}/`); }
        });
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`rig dev exited ${code}; stderr: ${err}`)); });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
