import { describe, expect, it } from 'vitest';
import { seededRandom } from '../analysis/testSignals/seededRandom.ts';
import { designAbsorptionInto } from './absorptionDesign.ts';
import { delayLengthsSamples } from './delayLengths.ts';
import { FdnCore } from './fdnCore.ts';
import { LineCoefficientDesign } from './lineCoefficientDesign.ts';
import { LineCoefficients } from './lineCoefficients.ts';
import { P_FEEDBACK, P_RT60, P_RT60_HIGH, P_RT60_LOW } from './reverbParamIndex.ts';
import { RT60_HIGH_HZ, RT60_LOW_HZ, RT60_MID_HZ, REVERB_PARAM_NAMES, reverbParamsSchema } from './reverbParams.ts';
import { designShelvedInto } from './threeAnchorAbsorption.ts';

const SEED = 20261205;
const DESIGNS_PER_CASE = 60;
/** Networks × rates × modes; every case designs DESIGNS_PER_CASE random parameter sets, at once and ramped. */
const CASES = [
  { lines: 8, sampleRate: 48000, decayMode: 'rt60', shelved: false },
  { lines: 8, sampleRate: 48000, decayMode: 'rt60', shelved: true },
  { lines: 16, sampleRate: 44100, decayMode: 'rt60', shelved: false },
  { lines: 16, sampleRate: 96000, decayMode: 'rt60', shelved: true },
  { lines: 3, sampleRate: 48000, decayMode: 'rt60', shelved: true },
  { lines: 6, sampleRate: 44100, decayMode: 'manual', shelved: false },
] as const;

/** The design in JavaScript, as LineCoefficientDesign did it before it moved to WebAssembly: the reference. */
function referenceDesign(values: Float64Array, delays: readonly number[], sampleRate: number, rt60Mode: boolean, damping: Float64Array, shelved: boolean, c: LineCoefficients, rampFrames: number): void {
  const feedback = values[P_FEEDBACK];
  const rt60 = values[P_RT60];
  const high = Number.isNaN(values[P_RT60_HIGH]) ? rt60 : values[P_RT60_HIGH];
  const out = new Float64Array(6);
  for (let i = 0; i < delays.length; i++) {
    if (shelved) {
      designShelvedInto(Float64Array.of(delays[i], sampleRate, rt60, RT60_MID_HZ, high, RT60_HIGH_HZ, values[P_RT60_LOW], RT60_LOW_HZ), out);
      [c.b0Target[i], c.poleTarget[i], c.shelfTarget[0][i], c.shelfTarget[1][i], c.shelfTarget[2][i]] = [feedback * out[0], out[1], out[2], out[3], out[4]];
    } else if (rt60Mode) {
      designAbsorptionInto(Float64Array.of(delays[i], sampleRate, rt60, RT60_MID_HZ, high, RT60_HIGH_HZ), out);
      [c.b0Target[i], c.poleTarget[i]] = [feedback * out[0], out[1]];
    } else {
      [c.b0Target[i], c.poleTarget[i]] = [feedback * (1 - damping[i]), damping[i]];
    }
  }
  c.startRamp(rampFrames);
}

/** Every array of the coefficients as raw bits (so −0 ≠ 0 and NaN payloads count). */
function bits(c: LineCoefficients): string[] {
  const arrays = [c.b0, c.pole, c.b0Target, c.poleTarget, c.b0Step, c.poleStep, ...c.shelf, ...c.shelfTarget, ...c.shelfStep];
  return arrays.map((a) => Array.from(new BigUint64Array(Float64Array.from(a).buffer), (b) => b.toString(16)).join(','));
}

describe('LineCoefficientDesign (the design in WebAssembly)', () => {
  it.each(CASES)('gives every coefficient, target and step bit for bit as the JavaScript design: $lines lines at $sampleRate Hz, $decayMode, shelved $shelved', (cfg) => {
    const rng = seededRandom(SEED + cfg.lines * 7 + cfg.sampleRate);
    const logUniform = (lo: number, hi: number) => lo * (hi / lo) ** rng.next();
    const damping = Array.from({ length: cfg.lines }, () => 0.99 * rng.next());
    const params = reverbParamsSchema.parse({ lines: cfg.lines, matrix: cfg.lines === 8 || cfg.lines === 16 ? 'hadamard' : 'householder', decayMode: cfg.decayMode, damping });
    const delays = delayLengthsSamples(cfg.lines, cfg.sampleRate, params.delayMinMs, params.delayMaxMs);
    const design = new LineCoefficientDesign(params, cfg.sampleRate, delays);
    const core = new FdnCore(delays, params.matrix, 1, 'cubic', undefined, design.alloc);
    design.bind(core.coefficients);
    core.setShelved(cfg.shelved);
    const reference = new LineCoefficients(cfg.lines);
    const values = new Float64Array(REVERB_PARAM_NAMES.length);
    let fallbacks = 0;
    for (let k = 0; k < DESIGNS_PER_CASE; k++) {
      const rt60 = logUniform(0.1, 30);
      values[P_FEEDBACK] = k % 4 === 0 ? 1 : rng.next();
      values[P_RT60] = rt60;
      // NaN (follows mid), equal to mid (a flat decay: pole 0), longer than mid (beyond a one-pole), or shorter.
      values[P_RT60_HIGH] = [Number.NaN, rt60, rt60 * (1 + 2 * rng.next()), logUniform(0.05, rt60)][k % 4];
      values[P_RT60_LOW] = k % 3 === 0 ? rt60 * (0.55 + rng.next()) : logUniform(0.1, 30); // near mid: the shelf meets it
      const rampFrames = k % 2 === 0 ? 0 : 1 + rng.int(2000);
      design.apply(values, core, rampFrames);
      referenceDesign(values, delays, cfg.sampleRate, cfg.decayMode === 'rt60', Float64Array.from(damping), cfg.shelved, reference, rampFrames);
      expect(bits(core.coefficients), `design ${k} (seed ${SEED})`).toEqual(bits(reference));
      expect(core.coefficients.remainingFrames).toBe(reference.remainingFrames);
      if (cfg.shelved && reference.shelfTarget[0][0] === 1 && reference.shelfTarget[1][0] === 0) fallbacks++;
      // Move the present coefficients on, as rendering would, so the next ramp starts elsewhere.
      for (const [present, target] of [[core.coefficients.b0, reference.b0], [core.coefficients.pole, reference.pole]]) {
        for (let i = 0; i < cfg.lines; i++) target[i] = present[i] = 0.5 * present[i] + 0.25 * rng.next();
      }
    }
    // Both branches of the three-anchor design were compared: met (a shelf) and the two-anchor fallback.
    if (cfg.shelved) expect(fallbacks > 0 && fallbacks < DESIGNS_PER_CASE, `${fallbacks} fallbacks of ${DESIGNS_PER_CASE}`).toBe(true);
  });

  it('refuses coefficients it did not allocate', () => {
    const params = reverbParamsSchema.parse({});
    const delays = delayLengthsSamples(8, 48000, params.delayMinMs, params.delayMaxMs);
    expect(() => new LineCoefficientDesign(params, 48000, delays).bind(new LineCoefficients(8))).toThrow(/were not made with this design's alloc/);
  });
});
