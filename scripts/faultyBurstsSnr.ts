/**
 * faultyBursts (varied) at a chosen SNR: the residual dropout detector's events against the injected faults, per run.
 * The capture's noise at SNR_DB (default 40; faultyBursts' own is 60).
 *   SNR_DB=40 SECONDS=20 SEEDS=1,2,3,4,5,6 LATENCIES=300,300.37 npx tsx scripts/faultyBurstsSnr.ts
 * A fault is "right" when exactly one event starts within 48 frames of it and it is of its kind (zeroed; a repeat or an
 * insert: inserted by its length; a drop: dropped by its length); every other event is counted "spurious".
 * Measured 2026-12-07 (20 s, seeds 1–6, latency 300 and 300.37): at 40 dB 72–105 events (32–65 glitches), 35 of 40
 * right, before the 6 dB rule counted over the noise and the search took its valley's bottom; 40 events, no glitch,
 * 37–39 right after (the rest one event each, of its kind, up to 2605 frames late or 57 early: low tones). 60 dB: 40,
 * 0, 40 of 40, every run, both.
 */
import { detectResidualDropouts } from '../src/analysis/dropouts/residualDetector.ts';
import { faultyBursts } from '../src/analysis/testSignals/faultyBursts.ts';

const FS = 48000;
const snrDb = Number(process.env.SNR_DB ?? 40);
const seconds = Number(process.env.SECONDS ?? 20);
const seeds = (process.env.SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const latencies = (process.env.LATENCIES ?? '300,300.37').split(',').map(Number);
const verbose = process.env.VERBOSE === '1';

for (const latencySamples of latencies) {
  for (const seed of seeds) {
    const { expected, capture, faults } = faultyBursts(seconds, { sampleRate: FS, latencySamples, seed, varied: true, snrDb });
    const t0 = performance.now();
    const events = detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples });
    const ms = performance.now() - t0;
    let growth = 0;
    const used = new Set<number>();
    let right = 0;
    const wrong: string[] = [];
    for (const f of faults) {
      const at = f.atFrame + Math.ceil(latencySamples) + growth;
      growth += f.kind === 'repeated' || f.kind === 'inserted' ? f.lengthFrames : f.kind === 'dropped' ? -f.lengthFrames : 0;
      const near = events.map((e, i) => ({ e, i })).filter(({ e }) => Math.abs(e.startFrame - at) <= 48);
      for (const { i } of near) used.add(i);
      const want = f.kind === 'zeroed' ? 'zeroed' : f.kind === 'dropped' ? 'dropped' : 'inserted';
      const shift = f.kind === 'zeroed' ? undefined : f.kind === 'dropped' ? -f.lengthFrames : f.lengthFrames;
      if (near.length === 1 && near[0].e.kind === want && near[0].e.shiftFrames === shift) right++;
      else wrong.push(`${f.kind} ${f.lengthFrames}@${at} (${(65 * 2 ** ((Math.floor((f.atFrame - 2400) / Math.round(0.0617 * FS)) % 49) / 12)).toFixed(0)} Hz, ${f.atFrame - 2400 - Math.floor((f.atFrame - 2400) / Math.round(0.0617 * FS)) * Math.round(0.0617 * FS)} frames into the burst): ${near.map(({ e }) => `${e.kind}${e.shiftFrames ?? ''}@${e.startFrame}+${e.lengthFrames}`).join(' ') || 'none'}`);
    }
    const spurious = events.filter((_, i) => !used.has(i));
    const glitches = events.filter((e) => e.kind === 'glitch').length;
    process.stdout.write(`L ${latencySamples} seed ${seed} ${snrDb} dB: ${events.length} events (${glitches} glitches) for ${faults.length} faults; ${right} right, ${spurious.length} spurious; ${ms.toFixed(0)} ms\n`);
    if (verbose) {
      for (const w of wrong) process.stdout.write(`  wrong: ${w}\n`);
      for (const e of spurious) process.stdout.write(`  spurious: ${e.kind}${e.shiftFrames ?? ''}@${e.startFrame}+${e.lengthFrames}\n`);
    }
  }
}
