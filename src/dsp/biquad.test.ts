import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable, measureAllocation } from '../engine/allocationProbe.ts';
import { Biquad, type BiquadType, biquadMagnitude, biquadTypes, designBiquad } from './biquad.ts';
import { fitSine } from './sineFit.ts';

const FS = 48000;

/** Gain in dB of a biquad at `frequencyHz`, measured with a sine after 4000 samples of settling. */
function measuredGainDb(type: BiquadType, f0: number, q: number, gainDb: number, frequencyHz: number): number {
  const filter = new Biquad(designBiquad(type, f0, FS, q, gainDb));
  const frames = 12000;
  const x = Float64Array.from({ length: frames }, (_, n) => Math.sin((2 * Math.PI * frequencyHz * n) / FS));
  const y = new Float64Array(frames);
  filter.process(x, y, frames);
  return 20 * Math.log10(fitSine(y, 4000, 8000, frequencyHz / FS).amplitude);
}

describe('RBJ biquads (measured with sines at 48 kHz)', () => {
  it.each<[BiquadType, number, number, number, number, number]>([
    // type, f0, Q, gainDb, test frequency, expected dB
    ['lowpass', 1000, Math.SQRT1_2, 0, 1000, -3.0103],
    ['lowpass', 1000, Math.SQRT1_2, 0, 100, 0],
    ['highpass', 1000, Math.SQRT1_2, 0, 1000, -3.0103],
    ['highpass', 1000, Math.SQRT1_2, 0, 12000, 0],
    ['bandpass', 2000, 2, 0, 2000, 0],
    ['peaking', 1000, 1, 6, 1000, 6],
    ['peaking', 1000, 1, -12, 1000, -12],
    ['lowshelf', 200, Math.SQRT1_2, 6, 20, 6],
    ['lowshelf', 200, Math.SQRT1_2, 6, 200, 3],
    ['highshelf', 5000, Math.SQRT1_2, -6, 20000, -6],
    ['highshelf', 5000, Math.SQRT1_2, -6, 5000, -3],
  ])('%s f0=%i Q=%f gain=%i dB reads %f dB at %i Hz within 0.02 dB', (type, f0, q, gainDb, f, expected) => {
    const expectedDb = [type, f0, q, gainDb, f, expected][5] as number;
    expect(Math.abs(measuredGainDb(type, f0, q, gainDb, f) - expectedDb)).toBeLessThan(0.02);
  });

  it('notch removes its centre frequency by more than 100 dB', () => {
    expect(measuredGainDb('notch', 1000, 1, 0, 1000)).toBeLessThan(-100);
  });

  it('allpass has unit magnitude (within 1e-6 dB) at several frequencies', () => {
    for (const f of [50, 700, 3000, 15000]) expect(Math.abs(measuredGainDb('allpass', 2000, 0.9, 0, f))).toBeLessThan(1e-6);
  });

  it('every type matches its designed transfer function |H(e^jω)| within 0.001 dB (lowpass 1 kHz: −42.74 dB at 10 kHz, bilinear warping)', () => {
    const evaluateDb = (type: BiquadType, f: number): number => {
      const c = designBiquad(type, 1000, FS, 1.3, 4);
      const w = (2 * Math.PI * f) / FS;
      const re = (b0: number, b1: number, b2: number): [number, number] => [b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w), -b1 * Math.sin(w) - b2 * Math.sin(2 * w)];
      const [nr, ni] = re(c.b0, c.b1, c.b2);
      const [dr, di] = re(1, c.a1, c.a2);
      return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
    };
    for (const type of biquadTypes.filter((t) => t !== 'notch')) {
      for (const f of [300, 2500, 10000]) expect(Math.abs(measuredGainDb(type, 1000, 1.3, 4, f) - evaluateDb(type, f))).toBeLessThan(0.001);
    }
    expect(measuredGainDb('lowpass', 1000, Math.SQRT1_2, 0, 10000)).toBeCloseTo(-42.74, 2);
  });

  it('clamps out-of-range frequency and Q instead of failing', () => {
    for (const type of biquadTypes) {
      const c = designBiquad(type, 40000, FS, 0, 3);
      expect(Object.values(c).every(Number.isFinite)).toBe(true);
    }
  });

  it('names the allowed types for an unknown one', () => {
    expect(() => designBiquad('comb' as never, 1000, FS)).toThrow(/unknown type "comb"; expected one of lowpass, highpass/);
  });

  it('processSample and block process agree, in place, and state round-trips', () => {
    const c = designBiquad('peaking', 3000, FS, 2, 9);
    const a = new Biquad(c);
    const b = new Biquad(c);
    const x = Float64Array.from({ length: 64 }, (_, n) => Math.sin(n * 0.7) * 0.5);
    const expected = Array.from(x, (v) => a.processSample(v));
    b.process(x, x, 64);
    expect(Array.from(x)).toEqual(expected);
    const restored = new Biquad(c);
    restored.setState(structuredClone(b.getState()));
    expect(restored.processSample(0.1)).toBe(b.processSample(0.1));
  });

  it('block process gives processSample’s bits through a decay past the 1e-30 flush, for every type, to a state of exactly 0', () => {
    // The block loop is processSample unrolled (both flush each state under 1e-30): the same outputs to the last bit,
    // also where the states cross the flush threshold (s2 = b2·x − a2·y falls under it while s1 may still be above).
    for (const type of biquadTypes) {
      for (const [f, q] of [[1000, 0.7], [9000, 5]]) {
        const c = designBiquad(type, f, FS, q, 6);
        const reference = new Biquad(c);
        const block = new Biquad(c);
        const x = new Float64Array(8000);
        x[0] = 1;
        const expected = x.map((v) => reference.processSample(v));
        block.process(x, x, x.length);
        const firstDifference = x.findIndex((v, n) => !Object.is(v, expected[n]));
        expect(firstDifference, `${type} ${f} Hz Q ${q}`).toBe(-1);
        expect(block.getState(), `${type} ${f} Hz Q ${q}`).toEqual({ s1: 0, s2: 0 });
      }
    }
  });

  it('decays to exactly 0 (no subnormals) after the input stops', () => {
    const filter = new Biquad(designBiquad('lowpass', 100, FS, 0.7));
    const buf = new Float64Array(48000);
    buf[0] = 1;
    filter.process(buf, buf, 48000);
    expect(buf[47999]).toBe(0);
  });

  it.skipIf(allocationUnmeasurable)('design with an output object and block processing allocate nothing', async () => {
    const c = designBiquad('lowshelf', 100, FS, 0.7, 3);
    const filter = new Biquad(c);
    const buf = new Float32Array(128);
    const result = await measureAllocation(() => {
      designBiquad('lowshelf', 100, FS, 0.7, 3, c);
      filter.setCoefficients(c);
      filter.process(buf, buf, 128);
    });
    expect(result.bytes).toBeLessThan(1024);
  });

  it('notch: |H| at its centre under 1e-6 (b1 = −2·cos ω0); allpass: |H| = 1 within 1e-12 at every frequency', () => {
    const notch = designBiquad('notch', 3000, FS, 2);
    expect(biquadMagnitude(notch, 3000, FS)).toBeLessThan(1e-6);
    // and passes DC and Nyquist at unity: (2 ∓ 2cos ω0)/(2 ∓ 2cos ω0) = 1 (0.5 Hz under it, as the sines above measure).
    for (const f of [0, FS / 2]) expect(Math.abs(biquadMagnitude(notch, f, FS) - 1)).toBeLessThan(1e-9);
    const allpass = designBiquad('allpass', 3000, FS, 2);
    for (const f of [50, 1000, 3000, 9000, 20000]) expect(Math.abs(biquadMagnitude(allpass, f, FS) - 1)).toBeLessThan(1e-12);
    // …and is an allpass, not a wire: its numerator is the denominator mirrored (b0 = a2, b1 = a1, b2 = 1), with a2 ≠ 1.
    expect([allpass.b0 - allpass.a2, allpass.b1 - allpass.a1, allpass.b2].map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0, 0, 1]);
    expect(allpass.a2).toBeLessThan(0.9);
  });

  it('clamps a centre frequency under 1e-6·fs up to it (0 Hz designs as 0.048 Hz at 48 kHz)', () => {
    expect(designBiquad('lowpass', 0, FS)).toEqual(designBiquad('lowpass', 1e-6 * FS, FS));
    expect(designBiquad('lowpass', 1e-7 * FS, FS)).toEqual(designBiquad('lowpass', 1e-6 * FS, FS));
    expect(designBiquad('lowpass', 0, FS)).not.toEqual(designBiquad('lowpass', 2e-6 * FS, FS));
  });

  it('process writes output[0, frames) only and leaves the state exactly 0 (flushed) once the input has stopped; reset clears it', () => {
    const filter = new Biquad(designBiquad('lowpass', 1000, FS, 0.7));
    const impulse = new Float64Array(20000);
    impulse[0] = 1;
    const out = new Float64Array(20001).fill(777);
    filter.process(impulse, out, 20000);
    expect(out[20000]).toBe(777);
    expect(filter.getState()).toEqual({ s1: 0, s2: 0 });
    filter.process(Float64Array.of(1), out, 1);
    expect(filter.getState()).not.toEqual({ s1: 0, s2: 0 });
    filter.reset();
    expect(filter.getState()).toEqual({ s1: 0, s2: 0 });
  });
});
