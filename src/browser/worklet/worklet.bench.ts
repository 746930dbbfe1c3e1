import { existsSync } from 'node:fs';
import type { Benchmark, BenchResult } from '../../bench/benchmark.ts';
import { EventKind } from '../../engine/events.ts';

/**
 * The engines' speed inside Chromium's AudioWorklet: `bench browser_<engine> realtime_factor <x>`, the
 * render time per 128-frame quantum measured inside the worklet around engine.process (EngineNode's
 * getRenderStats) while an OfflineAudioContext renders as fast as it can. Compared with the Node
 * figure of the same engine, measured in the same run, interleaved (ROUNDS × one Node benchmark, then
 * RUNS_PER_ROUND browser renders): target ≥ 0.7 × Node.
 *
 * The worklet's clock: Chromium's AudioWorkletGlobalScope has no `performance`, only Date.now() (1 ms
 * steps), and a quantum takes microseconds. So the processor runs in its bench mode (`benchRepeat`):
 * each process() call renders `repeat` quanta in a row (the same input block, as the Node benches
 * repeat theirs) and times the batch (a few ms). A difference of two Date.now() readings is an unbiased
 * estimate of the time between them (the batch starts anywhere within a millisecond), with a spread
 * of at most a tick per batch: BATCHES batches per run give ~1 s of engine time, ±1 %. The median of
 * the runs is reported (`--seconds` does not apply: the length is set by the batches).
 */
const SAMPLE_RATE = 48000;
const ROUNDS = 3;
const RUNS_PER_ROUND = 3;
const TARGET_RATIO = 0.7;
const CHROMIUM = '/usr/bin/chromium';
/** Batches per run (context quanta after the settling). */
const BATCHES = 250;

interface WorkletCase {
  engine: string;
  params: unknown;
  /** Frames rendered before timing starts (the haptic notes past their attack, as the Node bench). */
  settleFrames: number;
  /** Quanta rendered (and timed together) per process() call: a batch of a few ms. */
  repeat: number;
  /** Instruments: events at their frames; effects: a stereo noise block looped as the input. */
  events?: { kind: number; channel: number; note: number; value: number; paramIndex: number; atFrame: number }[];
  noiseBlockFrames?: number;
}

/** The haptic bench's full load (src/haptic/haptic.bench.ts): 8 travelling + 4 standing stimuli. */
function hapticFullLoadEvents(): NonNullable<WorkletCase['events']> {
  const events: NonNullable<WorkletCase['events']> = [];
  for (let ch = 0; ch < 12; ch++) {
    const travelling = ch < 8;
    events.push({ kind: EventKind.PitchBend, channel: ch, note: 0, value: ((ch % 8) - 3.5) / 4, paramIndex: 0, atFrame: ch });
    events.push({ kind: EventKind.Timbre, channel: ch, note: 0, value: (ch % 4) / 3, paramIndex: 0, atFrame: ch });
    events.push({ kind: EventKind.NoteOn, channel: ch, note: 36 + 3 * ch, value: travelling ? 40 : 90, paramIndex: 0, atFrame: ch });
  }
  return events;
}

/** Runs in the page: renders a case in an OfflineAudioContext and returns the worklet's ms per quantum after the settling. */
async function renderInPage(a: { c: WorkletCase; frames: number; sampleRate: number }): Promise<{ msPerQuantum: number; quanta: number; clockResolutionMs: number }> {
  const m = await import(`${location.origin}/engineNode.js`);
  const { c, frames, sampleRate } = a;
  const settleFrames = Math.ceil(c.settleFrames / c.repeat / 128) * 128;
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: settleFrames + frames, sampleRate });
  const engine = await m.EngineNode.create(ctx, { engine: c.engine, params: c.params, events: c.events, benchRepeat: c.repeat });
  engine.node.connect(ctx.destination);
  if (c.noiseBlockFrames) {
    let x = 12345;
    const buffer = ctx.createBuffer(2, c.noiseBlockFrames, sampleRate);
    for (let ch = 0; ch < 2; ch++) {
      const d = buffer.getChannelData(ch);
      for (let i = 0; i < d.length; i++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        d[i] = (x / 2 ** 32 - 0.5) * 0.5;
      }
    }
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.loop = true;
    source.connect(engine.node);
    source.start(0);
  }
  let before = { quanta: 0, totalMs: 0 };
  if (settleFrames > 0) {
    ctx.suspend(settleFrames / sampleRate).then(async () => {
      before = await engine.getRenderStats();
      await ctx.resume();
    });
  }
  await ctx.startRendering();
  const after = await engine.getRenderStats();
  const quanta = after.quanta - before.quanta;
  return { msPerQuantum: (after.totalMs - before.totalMs) / quanta, quanta, clockResolutionMs: after.clockResolutionMs };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

function browserBenchmark(name: string, nodeBenchmark: { file: string; name: string }, description: string, c: WorkletCase): Benchmark {
  return {
    name,
    description: `${description}; in Chromium's AudioWorklet (OfflineAudioContext, time per 128-frame quantum measured inside the worklet), target ≥ ${TARGET_RATIO} × the Node figure of ${nodeBenchmark.name}`,
    measure: async (options) => {
      if (!existsSync(CHROMIUM)) return { notMeasured: `no Chromium at ${CHROMIUM} (scripts/install-debian-packages.sh installs it)` };
      let chromium: typeof import('@playwright/test').chromium;
      try {
        ({ chromium } = await import('@playwright/test'));
      } catch {
        return { notMeasured: 'the dev dependency @playwright/test is not installed' };
      }
      const { ensureBrowserBuild, DEFAULT_BROWSER_OUT_DIR } = await import('../../../scripts/build-browser.mjs');
      const { serveDirectory } = await import('../../../e2e/staticServer.ts');
      const { runBenchmark } = await import('../../bench/benchmark.ts');
      const nodeBench = ((await import(nodeBenchmark.file)) as { benchmarks: Benchmark[] }).benchmarks.find((b) => b.name === nodeBenchmark.name);
      if (!nodeBench) throw new Error(`${name}: no Node benchmark ${nodeBenchmark.name}`);
      await ensureBrowserBuild();
      const server = await serveDirectory(DEFAULT_BROWSER_OUT_DIR);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage();
        await page.goto(`${server.url}/blank.html`);
        const frames = BATCHES * 128;
        const nodeFactors: number[] = [];
        const browserMs: number[] = [];
        let resolution = 0;
        for (let round = 0; round < ROUNDS; round++) {
          nodeFactors.push(runBenchmark(nodeBench, options).realtimeFactor ?? Number.NaN);
          for (let r = 0; r < RUNS_PER_ROUND; r++) {
            const got = await page.evaluate(renderInPage, { c, frames, sampleRate: SAMPLE_RATE });
            browserMs.push(got.msPerQuantum);
            resolution = got.clockResolutionMs;
          }
        }
        const msPerQuantum = median(browserMs);
        const realtimeFactor = (128 / SAMPLE_RATE) * 1000 / msPerQuantum;
        const nodeFactor = median(nodeFactors);
        const result: BenchResult = {
          name, runs: browserMs.length, medianMs: msPerQuantum * BATCHES * c.repeat, medianCpuMs: Number.NaN, realtimeFactor,
          meetsTarget: realtimeFactor >= TARGET_RATIO * nodeFactor,
          note: `Node ${nodeBenchmark.name} ${nodeFactor.toFixed(1)}, ratio ${(realtimeFactor / nodeFactor).toFixed(2)}, target ≥ ${TARGET_RATIO}; ${(msPerQuantum * 1000).toFixed(2)} µs per quantum in batches of ${c.repeat}, worklet clock ${resolution} ms, runs ${browserMs.map((x) => ((128 / SAMPLE_RATE) * 1000 / x).toFixed(0)).join('/')}`,
        };
        return result;
      } finally {
        await browser.close();
        await server.close();
      }
    },
  };
}

export const benchmarks: Benchmark[] = [
  browserBenchmark('browser_haptic', { file: '../../haptic/haptic.bench.ts', name: 'haptic_wasm_kernel' },
    'haptic full load (8 travelling + 4 standing stimuli, 32 transducers, 48 kHz, linear, WebAssembly SIMD kernels)',
    { engine: 'haptic', params: { interpolation: 'linear' }, settleFrames: SAMPLE_RATE, repeat: 64, events: hapticFullLoadEvents() }),
  browserBenchmark('browser_fdn16_stereo', { file: '../../reverb/fdn.bench.ts', name: 'fdn16_stereo' },
    'FDN reverb, 16 lines, Hadamard, RT60 2 s with HF damping, 48 kHz stereo noise',
    { engine: 'reverb', params: { lines: 16, rt60Seconds: 2, rt60HighSeconds: 1 }, settleFrames: 0, repeat: 1024, noiseBlockFrames: 512 }),
];
