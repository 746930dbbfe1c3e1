/**
 * Randomized differential sweep of analyzeDecay (EDT, T20, T30, C50, C80, D50) against the same figures read
 * straight from the noise-free response (its Schroeder integral to 200 dB down, least squares over the ISO ranges,
 * written here), on exponentially decaying Gaussian noise: one or two slopes (30 %: T2 = 1.5-4 T1, knee 10-30 dB),
 * pre-delay 0-0.2 s, a direct spike 0-12 dB, a noise floor (none, -95..-30 dB), the recording 0.4-2.5 T2 long,
 * 44.1/48 kHz. Flags T/EDT off by > 5 %, C50/C80 by > 1 dB, D50 by > 0.05; prints each figure's error spread.
 * Session 27, 1200 responses (seeds 1-3 x 400): 35 flagged before the EDC's noise subtraction, 6 after (5 of them
 * C50/C80 of 23-49 dB, one two-slope T20 whose late slope has ~10 dB above the noise); T30 p95 0.3-0.4 %.
 *
 * BANDS=1: each octave band's EDT/T20/T30 (analyzeImpulseResponse, bands) against the same analysis of the clean
 * response (> 5 % flagged), which isolates the noise handling per band. Session 27, 80 responses: 22 -> 14 flagged
 * with the noise subtraction, T30 p95 4.4 -> 1.8 %; left: low bands (63/125 Hz) where Lundeby's late fit follows the
 * band noise's fluctuations (ONLY=51: 63 Hz T20 1.29 s for 0.378 s, the integral run to the end) and recordings cut
 * before the noise (ONLY=4: 125 Hz T20 0.50 s for 1.06 s).
 * Session 28 (BANDS=1, 80 responses, seeds 1-9): band Lundeby in blocks of at least 2/B (the iteration's, the range's
 * peak block) with three blocks at least in the late fit, and an onset 15 dB above the noise: flagged responses
 * 14/12/10/9/12/12/6/14/7 -> 12/10/7/9/10/11/5/12/6, flagged figures 144 -> 111, figures > 20 % off 17 -> 6 (seed 1
 * #51 now within 5 %), 0.7 % fewer band figures given (refused over too little range). Left: ONLY=56 seed 2 (500/1000
 * Hz T20 -23/-27 %, less than 1 dB over the range limit), two-slope decays cut at 0.5-0.8 T2 (seed 4 #50 125 Hz EDT
 * -21 %, seed 5 #77 63 Hz EDT -26 %), seed 8 #65 63 Hz EDT +32 % and #10 125 Hz EDT -22 %. Broadband unchanged (1/6/1).
 *
 *   npx tsx scripts/decaySweep.ts [cases=300] [seed=1]     (ONLY=n one case, BANDS=1 per octave band; with both,
 *   every band's onset, range, integration end and figures, noisy | clean)
 */
import { analyzeImpulseResponse } from '../src/analysis/acoustics/analyzeImpulseResponse.ts';
import { analyzeDecay } from '../src/analysis/acoustics/decayAnalysis.ts';
import { sweepRandom } from './sweepRandom.ts';

const CASES = Number(process.argv[2] ?? 300);
const SEED = Number(process.argv[3] ?? 1);
const ONLY = process.env.ONLY ? Number(process.env.ONLY) : undefined;

const rng = sweepRandom;

// reference: EDC of the clean response from its onset, LS fit between the range ends (closed range, as ISO)
function refFigures(clean: Float64Array, onset: number, fs: number) {
  const n = clean.length - onset;
  const edc = new Float64Array(n);
  let acc = 0;
  for (let i = n - 1; i >= 0; i--) { acc += clean[onset + i] ** 2; edc[i] = acc; }
  const fit = (fromDb: number, toDb: number) => {
    const hi = edc[0] * 10 ** (-fromDb / 10), lo = edc[0] * 10 ** (-toDb / 10);
    let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
    for (let i = 0; i < n; i++) {
      if (edc[i] > hi) continue;
      if (edc[i] < lo) break;
      const x = i / fs, y = 10 * Math.log10(edc[i] / edc[0]);
      sx += x; sy += y; sxx += x * x; sxy += x * y; m++;
    }
    const slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
    return -60 / slope;
  };
  const c = (te: number) => { const k = Math.round(te * fs); return 10 * Math.log10((edc[0] - edc[k]) / edc[k]); };
  const k50 = Math.round(0.05 * fs);
  return { edt: fit(0, 10), t20: fit(5, 25), t30: fit(5, 35), c50: c(0.05), c80: c(0.08), d50: (edc[0] - edc[k50]) / edc[0] };
}

interface Ir { fs: number; h: Float32Array; clean: Float64Array; desc: string; onsetClean: number; noiseDb: number }
function makeIr(seed: number): Ir {
  const r = rng(seed * 7919 + SEED * 104729);
  const fs = r.pick([44100, 48000]);
  const T1 = Math.exp(r.uni(Math.log(0.08), Math.log(3)));
  const twoSlope = r.next() < 0.3;
  const T2 = twoSlope ? T1 * r.uni(1.5, 4) : T1;
  const kneeDb = r.uni(10, 30);
  const preDelay = r.next() < 0.5 ? r.uni(0, 0.2) : 0;
  const spikeDb = r.next() < 0.3 ? r.uni(0, 12) : -Infinity;
  const noiseDb = r.pick([-Infinity, r.uni(-95, -30), r.uni(-75, -45), r.uni(-75, -45)]);
  // how long the recording runs past the decay start: from 0.4·T2 (cut early) to 2.5·T2, at least 0.3 s
  const lengthS = preDelay + Math.max(0.3, T2 * r.uni(0.4, 2.5));
  const n = Math.round(lengthS * fs);
  // the clean response runs on until it is 200 dB down
  const tKnee = (kneeDb / 60) * T1;
  const decayDb = (t: number) => (t < tKnee ? (60 * t) / T1 : kneeDb + (60 * (t - tKnee)) / T2);
  let cleanLen = n;
  const d0 = Math.round(preDelay * fs);
  while (decayDb((cleanLen - d0) / fs) < 200) cleanLen += fs;
  const clean = new Float64Array(cleanLen);
  for (let i = d0; i < cleanLen; i++) clean[i] = r.gauss() * 10 ** (-decayDb((i - d0) / fs) / 20);
  if (spikeDb > -Infinity) clean[d0] = 4 * 10 ** (spikeDb / 20);
  const h = new Float32Array(n);
  const noiseAmp = 10 ** (noiseDb / 20); // re the decay's start RMS (1)
  for (let i = 0; i < n; i++) h[i] = clean[i] + (noiseDb > -Infinity ? r.gauss() * noiseAmp : 0);
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, clean[i] ** 2);
  let onsetClean = 0;
  while (clean[onsetClean] ** 2 < peak / 100) onsetClean++;
  const desc = `fs=${fs} T1=${T1.toFixed(3)}${twoSlope ? ` T2=${T2.toFixed(3)} knee=${kneeDb.toFixed(1)}dB` : ''} pre=${preDelay.toFixed(3)} spike=${spikeDb.toFixed(1)} noise=${noiseDb.toFixed(1)} len=${(n / fs).toFixed(2)}s(${((n - d0) / fs / T2).toFixed(2)}T)`;
  return { fs, h, clean, desc, onsetClean, noiseDb };
}

let bad = 0, measured = 0;
const errs: Record<string, number[]> = {};
const note = (name: string, e: number) => { (errs[name] ??= []).push(e); };
const counts: Record<string, number> = {};
for (let k = 0; k < CASES && process.env.BANDS; k++) {
  if (ONLY !== undefined && k !== ONLY) continue;
  const ir = makeIr(k);
  const bands = analyzeImpulseResponse([ir.h], ir.fs, { bands: true }).channels[0].bands ?? [];
  const cleanBands = analyzeImpulseResponse([Float32Array.from(ir.clean)], ir.fs, { bands: true }).channels[0].bands ?? [];
  const issues: string[] = [];
  if (ONLY !== undefined) {
    // one case: every band's onset, range, integration end and figures, noisy | clean
    const f = (x: number | null) => (x === null ? '  -  ' : x.toFixed(3));
    const row = (b: (typeof bands)[number]) =>
      `onset ${b.onsetSeconds.toFixed(4)} range ${b.dynamicRangeDb.toFixed(1)} end ${b.integrationEndSeconds.toFixed(3)} (${b.lundeby.iterations}${b.lundeby.converged ? '' : ' not converged'}) EDT ${f(b.edtSeconds)} T20 ${f(b.t20Seconds)} T30 ${f(b.t30Seconds)}`;
    bands.forEach((b, i) => console.log(`   ${String(b.nominalHz).padStart(5)} Hz ${row(b)} | clean ${row(cleanBands[i])}`));
  }
  bands.forEach((b, i) => {
    for (const key of ['edtSeconds', 't20Seconds', 't30Seconds'] as const) {
      const p = b[key], q = cleanBands[i][key];
      if (p === null || q === null) continue;
      measured++;
      const e = 100 * (p / q - 1);
      note(`${key} (bands)`, e);
      if (Math.abs(e) > 5) issues.push(`${b.nominalHz} Hz ${key} ${p.toFixed(3)} clean ${q.toFixed(3)} (${e.toFixed(1)} %)`);
    }
  });
  if (issues.length) { bad++; console.log(`#${k} ${ir.desc}\n   !! ${issues.join(' | ')}`); }
}
for (let k = 0; k < CASES && !process.env.BANDS; k++) {
  if (ONLY !== undefined && k !== ONLY) continue;
  const ir = makeIr(k);
  const a = analyzeDecay(ir.h, ir.fs);
  const ref = refFigures(ir.clean, ir.onsetClean, ir.fs);
  const issues: string[] = [];
  const rel = (p: number | null, q: number, name: string, tol: number) => {
    if (p === null) return;
    measured++;
    const e = p / q - 1;
    note(name, 100 * e);
    if (Math.abs(e) > tol) { issues.push(`${name} ${p.toFixed(4)} ref ${q.toFixed(4)} (${(100 * e).toFixed(1)} %)`); counts[name] = (counts[name] ?? 0) + 1; }
  };
  const abs = (p: number | null, q: number, name: string, tol: number) => {
    if (p === null) return;
    measured++;
    note(name, p - q);
    if (Math.abs(p - q) > tol) { issues.push(`${name} ${p.toFixed(3)} ref ${q.toFixed(3)}`); counts[name] = (counts[name] ?? 0) + 1; }
  };
  if (Math.round(a.onsetSeconds * ir.fs) !== ir.onsetClean) issues.push(`onset ${a.onsetSeconds * ir.fs} vs ${ir.onsetClean}`);
  rel(a.edtSeconds, ref.edt, 'EDT', 0.05);
  rel(a.t20Seconds, ref.t20, 'T20', 0.05);
  rel(a.t30Seconds, ref.t30, 'T30', 0.05);
  abs(a.c50Db, ref.c50, 'C50', 1);
  abs(a.c80Db, ref.c80, 'C80', 1);
  abs(a.d50, ref.d50, 'D50', 0.05);
  const line = `#${k} ${ir.desc} | range ${a.dynamicRangeDb.toFixed(1)} dB end ${a.integrationEndSeconds.toFixed(3)} | EDT ${a.edtSeconds?.toFixed(3)}/${ref.edt.toFixed(3)} T20 ${a.t20Seconds?.toFixed(3)}/${ref.t20.toFixed(3)} T30 ${a.t30Seconds?.toFixed(3)}/${ref.t30.toFixed(3)} C80 ${a.c80Db?.toFixed(2)}/${ref.c80.toFixed(2)}`;
  if (issues.length) { bad++; console.log(`${line}\n   !! ${issues.join(' | ')}`); } else console.log(line);
}
for (const [name, v] of Object.entries(errs)) {
  const a = v.map(Math.abs).sort((x, y) => x - y);
  const mean = v.reduce((x, y) => x + y, 0) / v.length;
  console.log(`${name}: n=${v.length} mean ${mean.toFixed(3)} median|e| ${a[a.length >> 1].toFixed(3)} p95|e| ${a[Math.floor(a.length * 0.95)].toFixed(3)} max|e| ${a[a.length - 1].toFixed(3)} (${/^(T|EDT|edt|t)/.test(name) ? '%' : name === 'D50' ? '' : 'dB'})`);
}
console.log(`\n${bad} of ${ONLY !== undefined ? 1 : CASES} responses have a figure off; ${measured} figures given`, counts);
