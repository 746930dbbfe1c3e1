/**
 * Test fixture run in a worker thread (a fresh V8 isolate: no other test has generalised the field
 * representations or filled the type feedback it checks): drives the render path's rarely taken branches
 * after V8 has optimised the common ones, and posts which of the watched functions lost their optimised code
 * (renderPathBranches.test.ts).
 */
import { parentPort } from 'node:worker_threads';
import { finishBackgroundCompiles } from '../engine/allocationProbe.ts';
import { AudioHost } from './audioHost.ts';
import { ClickEngine } from './clickEngine.ts';
import { watchRenderTiers } from './renderTiers.ts';
import type { HostClock } from './hostClock.ts';
import { StreamClockEstimate } from './streamClockEstimate.ts';
import type { ThreadCpuClock } from './threadCpuClock.ts';

export interface RenderPathBranchesResult {
  /** Per part: the watched functions optimised before its rare branch, and those of them that lost their code after it. */
  parts: { name: string; optimizedBefore: string[]; lost: string[] }[];
}

const methods = (proto: object, names: readonly string[]) => names.map((name) => [name, (proto as Record<string, unknown>)[name]] as const);

function watch(name: string, watched: readonly (readonly [string, unknown])[], common: () => void, rare: () => void): RenderPathBranchesResult['parts'][number] {
  common();
  finishBackgroundCompiles();
  const tiers = watchRenderTiers(watched);
  rare();
  const { optimizedAtStart, lostDuringStream } = tiers.end();
  return { name, optimizedBefore: optimizedAtStart, lost: lostDuringStream };
}

const parts: RenderPathBranchesResult['parts'] = [];

// The clock map: a host clock that runs faster than the stream (the drift stays 0, as in the render worker's
// warm-up, where the cycles come faster than real time) and steps forward now and then (as the warm-up's does),
// then one that drifts slower (a dummy driver under load).
{
  const estimate = new StreamClockEstimate(512);
  let sample = 1000;
  const push = (step: number) => { sample += step; estimate.cell[0] = sample; estimate.push(); };
  parts.push(watch('clock map: the first drift', methods(StreamClockEstimate.prototype, ['push', 'measureSlope', 'envelope']),
    () => { for (let n = 0; n < 20_000; n++) push(n % 2000 === 1999 ? 100 : -0.1); },
    () => { for (let n = 0; n < 600; n++) push(0.013); }));
}

// The late-block record: chains unknown (the warm-up's: no cycle waited for), then known (the live thread's), whose
// own work the thread's CPU since the input then bounds more tightly.
{
  const P = 64;
  const chain = new Int32Array([-1, -1, -1, -1, -1, -1]);
  const clock: HostClock = { ms: new Float64Array([0]), read() {}, kind: 'performance' };
  // A thread CPU clock that advances 10 µs a read: with a known chain of 3 ms of CPU, its bound is the lower one.
  const threadCpu: ThreadCpuClock = { ms: new Float64Array([0]), read() { this.ms[0] += 0.01; } };
  const host = new AudioHost({ engine: new ClickEngine(1), sampleRate: 48000, periodFrames: P, clock, sinceIdle: (out) => out.set(chain), threadCpu });
  const outputs = [new Float32Array(P)];
  let frame = 0;
  // Each period's input began 5 ms before the clock reads its end: past its deadline, so a late block is recorded.
  const period = () => {
    clock.ms[0] += 1.3;
    host.processPeriod({ inputs: [], outputs, frames: P, frameIndex: frame, outputFrameIndex: frame + 2 * P, hostTimeMs: clock.ms[0] - 5, flags: 0 });
    frame += P;
  };
  parts.push(watch('late-block record: the first known chain', methods(AudioHost.prototype, ['processPeriod', 'idleSplit']),
    () => { for (let n = 0; n < 20_000; n++) period(); },
    () => { chain.set([3000, 1200, 3000, 100, 700, 2]); for (let n = 0; n < 50; n++) period(); }));
}

parentPort?.postMessage({ parts } satisfies RenderPathBranchesResult);
