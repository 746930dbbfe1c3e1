import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelayLine } from '../../src/dsp/delayLine.ts';
import { createInterpolator } from '../../src/dsp/interpolators/createInterpolator.ts';
import type { FirInterpolator, InterpolatorKind } from '../../src/dsp/interpolators/interpolator.ts';
import { fitSine, wrapPhase } from '../../src/dsp/sineFit.ts';

const SETTLE = 400;
const MEASURE = 3000;

/** Runs x through a fresh DelayLine (write then read(delay) per sample) and returns y. */
function throughDelayLine(kind: InterpolatorKind, x: ArrayLike<number>, delaySamples: number | ((n: number) => number)): Float64Array {
  const line = new DelayLine(kind);
  line.prepare(256);
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n++) {
    line.write(x[n]);
    y[n] = line.read(typeof delaySamples === 'number' ? delaySamples : delaySamples(n));
  }
  return y;
}

/** Gain (dB) and phase (rad) of the delay line at `cyclesPerSample`, measured with a cosine after settling. */
function response(kind: InterpolatorKind, delaySamples: number, cyclesPerSample: number): { gainDb: number; phaseRad: number } {
  const x = Float64Array.from({ length: SETTLE + MEASURE }, (_, n) => Math.cos(2 * Math.PI * cyclesPerSample * n));
  const fit = fitSine(throughDelayLine(kind, x, delaySamples), SETTLE, MEASURE, cyclesPerSample);
  return { gainDb: 20 * Math.log10(fit.amplitude), phaseRad: fit.phaseRad };
}

/** Phase delay (samples) near `expected`, resolving the 2π ambiguity around it. */
function phaseDelay(kind: InterpolatorKind, delaySamples: number, cyclesPerSample: number): number {
  const w = 2 * Math.PI * cyclesPerSample;
  return delaySamples + wrapPhase(-response(kind, delaySamples, cyclesPerSample).phaseRad - w * delaySamples) / w;
}

/** Group delay −dφ/dω (samples) by a central difference of measured phases. */
function groupDelay(kind: InterpolatorKind, delaySamples: number, cyclesPerSample: number): number {
  const h = 1e-4;
  const lo = response(kind, delaySamples, cyclesPerSample - h).phaseRad;
  const hi = response(kind, delaySamples, cyclesPerSample + h).phaseRad;
  return -wrapPhase(hi - lo) / (2 * Math.PI * 2 * h);
}

const signal = fc.array(fc.integer({ min: -1000, max: 1000 }).map((v) => v / 1000), { minLength: 1, maxLength: 300 });

describe('delay line properties (measured through DelayLine)', () => {
  it.each(['none', 'linear', 'cubic', 'thiran'] as const)('%s: an integer delay reproduces the input exactly delayed', (kind) => {
    fc.assert(
      fc.property(signal, fc.integer({ min: 1, max: 200 }), (x, delay) => {
        const y = throughDelayLine(kind, x, delay);
        for (let n = 0; n < x.length; n++) expect(y[n]).toBe(n >= delay ? x[n - delay] : 0);
      }),
      { numRuns: 40 },
    );
  });

  it.each(['none', 'linear', 'cubic', 'thiran'] as const)('%s: an integer delay has a unit impulse as its impulse response', (kind) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (delay) => {
        const impulse = new Float64Array(256);
        impulse[0] = 1;
        const y = throughDelayLine(kind, impulse, delay);
        expect(Array.from(y).map((v, n) => (n === delay ? v - 1 : v)).every((v) => v === 0)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('linear at fraction 0.5 measures −3.010 dB at fs/4 and −0.436 dB at fs/10', () => {
    expect(response('linear', 0.5, 0.25).gainDb).toBeCloseTo(-3.0103, 3);
    expect(response('linear', 0.5, 0.1).gainDb).toBeCloseTo(-0.4359, 3);
  });

  it('linear at fraction 0.5 has magnitude |cos(πf/fs)| (within 1e-6 dB) and group delay 0.5 sample (within 1e-6) at any frequency', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.45, noNaN: true }), fc.integer({ min: 0, max: 100 }), (f, whole) => {
        const delay = whole + 0.5;
        expect(Math.abs(response('linear', delay, f).gainDb - 20 * Math.log10(Math.cos(Math.PI * f)))).toBeLessThan(1e-6);
        expect(Math.abs(groupDelay('linear', 0.5, f) - 0.5)).toBeLessThan(1e-6);
        expect(Math.abs(phaseDelay('linear', delay, f) - delay)).toBeLessThan(1e-6);
      }),
      { numRuns: 15 },
    );
  });

  it('cubic at delay 1.5 has the impulse response [−1/16, 9/16, 9/16, −1/16], −1.072 dB at fs/4 and −0.031 dB at fs/10', () => {
    const impulse = new Float64Array(8);
    impulse[0] = 1;
    expect(Array.from(throughDelayLine('cubic', impulse, 1.5).subarray(0, 5))).toEqual([-1 / 16, 9 / 16, 9 / 16, -1 / 16, 0]);
    expect(response('cubic', 1.5, 0.25).gainDb).toBeCloseTo(-1.0721, 3);
    expect(response('cubic', 1.5, 0.1).gainDb).toBeCloseTo(-0.0307, 3);
    expect(Math.abs(groupDelay('cubic', 1.5, 0.1) - 1.5)).toBeLessThan(1e-6);
  });

  it.each(['none', 'linear', 'cubic'] as const)('%s: taps sum to 1 for any fraction (taps() and the DC gain through the delay line)', (kind) => {
    const interp = createInterpolator(kind) as FirInterpolator;
    const taps = new Float64Array(interp.inputLength);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 100 }), (fraction, whole) => {
        interp.taps(fraction, taps);
        expect(Math.abs(taps.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-14);
        const y = throughDelayLine(kind, new Float64Array(110).fill(1), whole + fraction);
        expect(Math.abs(y[109] - 1)).toBeLessThan(1e-14);
      }),
      { numRuns: 100 },
    );
  });

  it('thiran allpass has unit magnitude within 0.01 dB (measured after settling) and phase delay Δ at low frequency', () => {
    let worstDb = 0;
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 40, noNaN: true }), fc.double({ min: 0.005, max: 0.48, noNaN: true }), (delay, f) => {
        const gainDb = response('thiran', delay, f).gainDb;
        worstDb = Math.max(worstDb, Math.abs(gainDb));
        expect(Math.abs(gainDb)).toBeLessThan(0.01);
      }),
      { numRuns: 40 },
    );
    expect(worstDb).toBeLessThan(1e-6);
    expect(Math.abs(phaseDelay('thiran', 7.3, 0.002) - 7.3)).toBeLessThan(0.01);
  });
});

/** Largest |y[n] − y[n−1]| past `from`. */
function maxStep(y: Float64Array, from: number): number {
  let worst = 0;
  for (let n = from + 1; n < y.length; n++) worst = Math.max(worst, Math.abs(y[n] - y[n - 1]));
  return worst;
}

describe('modulated delay reads', () => {
  const frames = 4000;
  const modulated = fc.record({
    kind: fc.constantFrom<InterpolatorKind>('linear', 'cubic'),
    f: fc.double({ min: 0.001, max: 0.02, noNaN: true }),
    centre: fc.double({ min: 20, max: 120, noNaN: true }),
    depth: fc.double({ min: 0, max: 15, noNaN: true }),
    rate: fc.double({ min: 1e-5, max: 2e-3, noNaN: true }),
  });

  it('stay bounded (|y| ≤ 1.01 for a unit sine) and continuous (step ≤ the input slope × (1 + |dDelay/dn|) + 1 %)', () => {
    fc.assert(
      fc.property(modulated, ({ kind, f, centre, depth, rate }) => {
        const x = Float64Array.from({ length: frames }, (_, n) => Math.sin(2 * Math.PI * f * n));
        const y = throughDelayLine(kind, x, (n) => centre + depth * Math.sin(2 * Math.PI * rate * n));
        const slope = 2 * Math.PI * f * (1 + 2 * Math.PI * rate * depth);
        expect(Math.max(...Array.from(y, Math.abs))).toBeLessThanOrEqual(1.01);
        expect(maxStep(y, 200)).toBeLessThanOrEqual(slope * 1.01 + 1e-3);
      }),
      { numRuns: 30 },
    );
  });

  it('the continuity check catches a delay that jumps by 5 samples (the detector can fail)', () => {
    const f = 0.01;
    const x = Float64Array.from({ length: frames }, (_, n) => Math.sin(2 * Math.PI * f * n));
    const y = throughDelayLine('linear', x, (n) => (n < 2000 ? 50 : 55));
    expect(maxStep(y, 200)).toBeGreaterThan(2 * Math.PI * f * 1.01 + 1e-3);
  });
});
