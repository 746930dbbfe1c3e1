/**
 * What the render worker of a worker host (the native JACK strategy) allocates in its steady state, on
 * the JavaScript cycle source (no JACK), under load (src/host/workerAllocation.ts), paced at the stream's
 * rate by the wall clock: bytes per minute of the young generation and of the whole heap, the collections
 * the worker ran and their longest pause, and with --sample the sampling heap profiler's sites.
 *   npx tsx scripts/renderWorkerAllocation.ts haptic 60 [--sample] [--fast]
 *   (engines: haptic, fdn16, lossy; --fast: as fast as the worker renders, not paced; --warm=N: live periods before the first mark, default 2000;
 *   --windows=N: read the periods in N windows and print each window's young bytes)
 */
import { type LoadEngineName, LOAD_ENGINES, measureWorkerAllocation } from '../src/host/workerAllocation.ts';

const args = process.argv.slice(2);
const engine = (args[0] ?? 'haptic') as LoadEngineName;
if (!(engine in LOAD_ENGINES)) throw new Error(`engine must be one of ${Object.keys(LOAD_ENGINES).join(', ')}`);
const seconds = Number(args[1] ?? 60);
const periodFrames = 64;
const periods = Math.round((seconds * 48000) / periodFrames);
const windows = Number(args.find((a) => a.startsWith('--windows='))?.slice(10) ?? 1);
const r = await measureWorkerAllocation({
  engine, periodFrames, windows, warmUpPeriods: Number(args.find((a) => a.startsWith('--warm='))?.slice(7) ?? 2000), periods, realTime: !args.includes('--fast'), sampleAllocations: args.includes('--sample'),
});
const perMinute = (bytes: number) => Math.round((bytes / r.seconds) * 60);
console.log(JSON.stringify({
  engine, periodFrames, periods: r.periods, seconds: +r.seconds.toFixed(1), commands: r.commands, applied: r.applied,
  youngBytesPerMinute: perMinute(r.reading.youngBytes), heapBytesPerMinute: perMinute(r.reading.heapBytes),
  youngBytesPerPeriod: +(r.reading.youngBytes / r.periods).toFixed(2),
  scavenges: r.reading.scavenges, markCompacts: r.reading.markCompacts,
  gcPauseMaxMs: +r.reading.gcPauseMaxMs.toFixed(2), gcPauseSumMs: +r.reading.gcPauseSumMs.toFixed(2), render: r.render,
  ...(windows > 1 ? { windowYoungBytes: r.windows.map((w) => Math.round(w.youngBytes)) } : {}),
}, null, 1));
if (r.sites.length > 0) {
  // Sampled bytes per site, as a share of the sampled total, scaled to the measured young bytes per minute.
  const total = r.sites.reduce((a, s) => a + s.bytes, 0);
  for (const s of r.sites.slice(0, 25)) {
    console.log(`${String(perMinute((s.bytes / total) * r.reading.youngBytes)).padStart(10)} B/min  ${s.functionName || '(anonymous)'} ${s.url.replace(/^.*\/(src|node:)/, '$1')}:${s.line}  <- ${s.stack.join(' <- ')}`);
  }
}
