import { describe, expect, it } from 'vitest';
import { delayedCapture } from '../testSignals/delayedCapture.ts';
import { fractionalDelay } from '../testSignals/fractionalDelay.ts';
import { programmeLike } from '../testSignals/programmeLike.ts';
import { addGaussianNoise, addNoiseAtSnr, gaussianNoise } from '../testSignals/seededRandom.ts';
import { zeroPhase } from '../testSignals/zeroPhase.ts';
import type { BiquadType } from '../../dsp/biquad.ts';
import { estimateDelay, estimateDelays } from './estimateDelay.ts';

const FRAMES = 12000;

describe('estimateDelay', () => {
  const reference = gaussianNoise(FRAMES, 0.1, 11);

  it('recovers a fractional delay of 37.3 samples within 0.05 sample at 40 dB SNR', () => {
    const capture = delayedCapture(reference, 37.3, 40, 1);
    const r = estimateDelay(reference, capture);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Math.abs(r.delaySamples - 37.3)).toBeLessThan(0.05);
      expect(r.inverted).toBe(false);
      expect(r.confidence).toBeGreaterThan(0.99);
      expect(r.snrDb).toBeGreaterThan(35);
    }
  });

  it('reports an inverted path as inverted with the right delay', () => {
    const capture = delayedCapture(reference, 250.5, 40, 2).map((v) => -v);
    const r = estimateDelay(reference, capture);
    expect(r.ok && r.inverted).toBe(true);
    if (r.ok) expect(Math.abs(r.delaySamples - 250.5)).toBeLessThan(0.05);
  });

  it('finds a capture that leads the reference when negative delays are searched', () => {
    const capture = delayedCapture(reference, 0, 40, 3).subarray(20);
    const r = estimateDelay(reference, capture, { minDelaySamples: -100, maxDelaySamples: 100 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(Math.abs(r.delaySamples + 20)).toBeLessThan(0.05);
  });

  it('gives no measurement, with a reason, for a capture 10 dB below the noise', () => {
    const r = estimateDelay(reference, delayedCapture(reference, 37.3, -10, 4));
    expect(r).toMatchObject({ ok: false, reason: 'no-coherent-signal' });
  });

  it('gives no measurement for unrelated noise', () => {
    const r = estimateDelay(reference, gaussianNoise(FRAMES, 0.1, 99));
    expect(r).toMatchObject({ ok: false, reason: 'no-coherent-signal' });
  });

  it('gives no measurement for a capture of pure DC (a dead input with an offset), which explains 0 % of it (confidence 0, not NaN)', () => {
    // Over a whole FFT window of a constant every bin but DC is exactly 0, so the band's cross-spectrum is 0: no peak
    // to refine (a flat correlation), no delay, confidence exactly 0.
    const r = estimateDelay(reference, new Float32Array(17000).fill(0.1), { maxDelaySamples: 100 });

    expect(r).toMatchObject({ ok: false, reason: 'no-coherent-signal' });
    expect(r.ok ? '' : r.detail).toContain('explains only 0.0 % of the capture\'s energy (confidence 0.000 < 0.65)');
  });

  it('claims no polarity it has not measured: with minConfidence 0, the pure-DC capture reads confidence 0, gain 0, not inverted', () => {
    // A caller may ask for every estimate (minConfidence 0). With no cross-spectrum in the band the correlation is 0 at
    // every lag: nothing is negative, so nothing says the path is inverted.
    const r = estimateDelay(reference, new Float32Array(17000).fill(0.1), { maxDelaySamples: 100, minConfidence: 0 });

    expect(r).toMatchObject({ ok: true, confidence: 0, inverted: false });
    expect(Math.abs(r.ok ? r.gain : Number.NaN)).toBe(0);
  });

  it('gives no measurement for a silent capture, a silent reference and non-finite samples, each with its reason, none clipped', () => {
    expect(estimateDelay(reference, new Float32Array(FRAMES))).toMatchObject({ ok: false, reason: 'capture-silent', detail: 'the capture is silent (all zeros)', clipped: false });
    expect(estimateDelay(new Float32Array(FRAMES), reference)).toMatchObject({ ok: false, reason: 'reference-silent', detail: 'the reference holds no signal', clipped: false });
    const bad = reference.slice();
    bad[5] = Number.NaN;
    expect(estimateDelay(reference, bad)).toMatchObject({ ok: false, reason: 'not-finite', detail: 'the reference or the capture holds NaN or infinite samples', clipped: false });
  });

  it('measures a capture that stops before the delayed reference ends (a recording cut short)', () => {
    const capture = delayedCapture(reference, 37.3, 40, 9).subarray(0, FRAMES - 2000);
    const r = estimateDelay(reference, capture);
    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - 37.3)).toBeLessThan(0.05);
  });

  it('finds the delay of a haptic-like programme (three low tones 12 dB over a noise bed) within 0.05 sample at 30 dB SNR', () => {
    // The tones' own correlation repeats every period (4–16 ms): the whitened (PHAT) correlation picks the lag, not them.
    const programme = programmeLike(FRAMES, 48000, 5);
    const capture = delayedCapture(programme, 211.4, 30, 10);
    const r = estimateDelay(programme, capture, { maxDelaySamples: 2000 });
    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - 211.4)).toBeLessThan(0.05);
  });

  // The haptic-like programme near the noise: measured over 20 noise seeds × delays 211.1, 211.3 … 211.9 (100 cases
  // each), the error's rms and largest are 0.044 and 0.106 sample at 3 dB SNR, 0.030 and 0.071 at 6 dB; the limits are
  // ~3.4 times the rms, above every case measured. At so low an SNR the four Newton steps do not reach the fixed point
  // from anywhere within ±1 sample, so the start matters: from the coarse peak alone (no parabola) the error reached
  // 0.21–0.25 sample at 211.5, from half a sample to either side of it 0.38–0.59; a distorted parabola or PHAT weight
  // 0.16–0.56 in the rows below.
  it.each([
    { snrDb: 3, seed: 2, delaySamples: 211.1, limit: 0.15 },
    { snrDb: 3, seed: 2, delaySamples: 211.3, limit: 0.15 },
    { snrDb: 3, seed: 2, delaySamples: 211.5, limit: 0.15 },
    { snrDb: 3, seed: 2, delaySamples: 211.7, limit: 0.15 },
    { snrDb: 3, seed: 1, delaySamples: 211.5, limit: 0.15 },
    { snrDb: 3, seed: 1, delaySamples: 211.9, limit: 0.15 },
    { snrDb: 3, seed: 3, delaySamples: 211.1, limit: 0.15 },
    { snrDb: 6, seed: 6, delaySamples: 211.9, limit: 0.1 },
  ])('finds the delay of the haptic-like programme at $snrDb dB SNR within $limit sample ($delaySamples samples, noise seed $seed)', ({ snrDb, seed, delaySamples, limit }) => {
    const programme = programmeLike(FRAMES, 48000, 5);
    const capture = delayedCapture(programme, delaySamples, snrDb, seed);

    const r = estimateDelay(programme, capture, { maxDelaySamples: 2000 });

    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - delaySamples)).toBeLessThan(limit);
  });

  // A long delay near the noise: 4096.3 samples (a quarter of the 16 384-point transform) at 3 dB SNR, searched up to
  // 8000. Measured over 40 noise seeds each at 4096.3 and 4095.8: error rms 0.039, largest 0.093 sample (as at 211
  // samples above), so the same 0.15 limit. At this lag the phase turns by π/2 from one bin to the next, so a PHAT
  // weight whose imaginary part lands in its neighbour's slot (a distorted coarse correlation) moves the seed enough
  // to read 0.19–0.39 sample off on every one of those seeds at 4096.3.
  it.each([1, 2, 3, 4])('finds a delay of 4096.3 samples of the haptic-like programme at 3 dB SNR within 0.15 sample (noise seed %i)', (seed) => {
    const programme = programmeLike(FRAMES, 48000, 5);
    const capture = delayedCapture(programme, 4096.3, 3, seed, { extraFrames: 4700 });

    const r = estimateDelay(programme, capture, { maxDelaySamples: 8000 });

    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - 4096.3)).toBeLessThan(0.15);
  });

  it('gives each capture of estimateDelays the answer estimateDelay gives it alone also near the noise, where the coarse peak decides it', () => {
    // The eight cases above in one call (two captures per transform: the second of each pair is read from the
    // transform's imaginary part). At 3 dB the answer depends on where the coarse peak and its parabola start the
    // Newton steps (the rows above), so a pair's second capture read one lag off would answer differently; alone and
    // paired, the cross-spectra differ only by the pair's rounding.
    const programme = programmeLike(FRAMES, 48000, 5);
    const cases = [
      [3, 2, 211.1], [3, 2, 211.3], [3, 2, 211.5], [3, 2, 211.7], [3, 1, 211.5], [3, 1, 211.9], [3, 3, 211.1], [6, 6, 211.9],
    ] as const;
    const captures = cases.map(([snrDb, seed, delaySamples]) => delayedCapture(programme, delaySamples, snrDb, seed));

    const many = estimateDelays(programme, captures, { maxDelaySamples: 2000 });

    captures.forEach((c, i) => {
      const one = estimateDelay(programme, c, { maxDelaySamples: 2000 });
      const [, , delaySamples] = cases[i];
      if (!many[i].ok || !one.ok) throw new Error(`case ${i}: no measurement`);
      expect(Math.abs(many[i].delaySamples - one.delaySamples), `case ${i}`).toBeLessThan(1e-6);
      expect(Math.abs(many[i].delaySamples - delaySamples), `case ${i}`).toBeLessThan(0.15);
    });
  });

  it('measures a delay at the last lag searched as well as any other: the haptic-like programme at 6 dB SNR, 211.9 and 212 samples, search up to 212', () => {
    // The range [minDelay, maxDelay] is searched inclusively. At 6 dB the Newton steps do not converge from a sample
    // away (the rows above), so the coarse peak must be able to land on the last lag itself: measured errors ≤ 0.04
    // sample over these 6 cases; a search that stopped one lag short read 0.31–0.42 sample early.
    const programme = programmeLike(FRAMES, 48000, 5);
    for (const seed of [1, 2, 3]) {
      for (const delaySamples of [211.9, 212]) {
        const capture = delayedCapture(programme, delaySamples, 6, seed);

        const r = estimateDelay(programme, capture, { maxDelaySamples: 212 });

        expect(r.ok, `seed ${seed}, ${delaySamples}`).toBe(true);
        expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - delaySamples), `seed ${seed}, ${delaySamples}`).toBeLessThan(0.1);
      }
    }
  });

  it('analyses only the band asked for: a two-way path whose woofer (below 0.2·fs) lags 500 samples and tweeter (above 0.35·fs) 30', () => {
    // Zero-phase crossover filters (16th order).
    const delayed = delayedCapture(reference, 0, Number.POSITIVE_INFINITY, 0, { extraFrames: 1200 });
    const woofer = zeroPhase('lowpass', 0.2, fractionalDelay(delayed, 500));
    const tweeter = zeroPhase('highpass', 0.35, fractionalDelay(delayed, 30));
    const capture = Float32Array.from(woofer, (v, i) => v + tweeter[i]);
    addNoiseAtSnr(capture, 40, 13);

    const high = estimateDelay(reference, capture, { maxDelaySamples: 1000, bandCyclesPerSample: [0.37, 0.45] });
    const low = estimateDelay(reference, capture, { maxDelaySamples: 1000, bandCyclesPerSample: [0.01, 0.15] });

    expect(Math.abs((high.ok ? high.delaySamples : Number.NaN) - 30)).toBeLessThan(0.05);
    expect(Math.abs((low.ok ? low.delaySamples : Number.NaN) - 500)).toBeLessThan(0.05);
  });

  it('drops the bins where the reference carries nothing: loud noise outside a narrow-band reference moves the delay by < 1e-4 sample', () => {
    // The reference: noise band-passed around 0.025·fs (zero-phase, 16 sections) over a white floor 50 dB down (about
    // −76 dB a bin against its strongest: under the −60 dB mask), delayed by 37.25 samples. The capture adds noise
    // high-passed above 0.1·fs, as loud as the reference (ρ ≈ 0.74): in its bins the reference holds only its floor, so
    // the cross-spectrum there is noise, at the band's largest ω; counted in the phase-slope fit it would bend it.
    const frames = 12000;
    const rms = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x, (v) => v * v).reduce((a, v) => a + v, 0) / x.length);
    const narrow = zeroPhase('bandpass', 0.025, gaussianNoise(frames, 1, 31), 4, 8);
    const gain = 0.1 / rms(narrow);
    const floor = gaussianNoise(frames, 0.1 * 10 ** (-50 / 20), 33);
    const reference = Float32Array.from(narrow, (v, i) => gain * v + floor[i]);
    const clean = delayedCapture(reference, 37.25, Number.POSITIVE_INFINITY, 0);
    const interference = zeroPhase('highpass', 0.1, gaussianNoise(clean.length, 1, 34), 0.7);
    const interferenceGain = 0.1 / rms(interference);
    const capture = Float32Array.from(clean, (v, i) => v + interferenceGain * interference[i]);
    const options = { minDelaySamples: -50, maxDelaySamples: 200 };

    const alone = estimateDelay(reference, clean, options);
    const r = estimateDelay(reference, capture, options);

    if (!alone.ok || !r.ok) throw new Error('no measurement');
    expect(r.confidence).toBeGreaterThan(0.65);
    expect(Math.abs(alone.delaySamples - 37.25)).toBeLessThan(1e-4);
    expect(Math.abs(r.delaySamples - alone.delaySamples)).toBeLessThan(1e-4);
  });

  it('weighs only the bins where the reference carries something in the coarse search: a narrow-band reference (0.2·fs, Q 64) at 20 dB SNR, searched over 4000 lags', () => {
    // The PHAT gives every bin it keeps the same weight. Outside the reference's narrow band the capture holds only its
    // noise: weighted there too, the many unit-weight noise bins outweigh the band's coherent ones at some lag of the
    // 4000 (the mask ignored in the PHAT: no coherent signal for both delays, measured; 2e-4 sample off with it).
    const narrow = Float32Array.from(zeroPhase('bandpass', 0.2, reference, 64));
    for (const delaySamples of [30.2, 130.7]) {
      const r = estimateDelay(narrow, delayedCapture(narrow, delaySamples, 20, 1, { extraFrames: 4100 }), { maxDelaySamples: 4000 });
      expect(r.ok ? Math.abs(r.delaySamples - delaySamples) : Number.NaN, `${delaySamples}`).toBeLessThan(0.001);
    }
  });

  it('fits the band’s top bin: a tone on it, the reference’s strongest bin, reads 37.3 samples with rms error < 1e-3 sample at 20 dB SNR (8 noise seeds)', () => {
    // The band asked is [0, 3000/16384] and the transform 16384 long (12 000 frames, 200 lags): the tone sits on bin
    // kHi = 3000, the band's last, over a white floor 40 dB down. Measured: rms 6.2e-4 over these 8 seeds, 7.5e-4 over
    // 40 (largest 2.0e-3); with the top bin left out of the fit 1.6e-3 (its share of the tone's in-band energy lost).
    const frames = 12000, bin = 3000, M = 16384;
    const floor = gaussianNoise(frames, 0.01, 41);
    const tone = Float32Array.from(floor, (v, n) => Math.sin((2 * Math.PI * bin * n) / M) + v);
    const errors = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const r = estimateDelay(tone, delayedCapture(tone, 37.3, 20, seed), { maxDelaySamples: 200, bandCyclesPerSample: [0, bin / M] });
      return r.ok ? r.delaySamples - 37.3 : Number.NaN;
    });
    expect(Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length)).toBeLessThan(1e-3);
  });

  it('never fits the Nyquist bin, whose phase a real signal cannot carry: a loud tone at Nyquist moves no delay by 1e-6 sample, with the band asked up to 0.5', () => {
    // The capture covers the whole FFT window from lag 0 (16 384 frames), so the tone (−1)ⁿ lies in bin M/2 alone.
    // Counted, that bin's cross-spectrum is real (phase 0 or π whatever the delay) and the tone makes it the loudest:
    // the fit then gives no measurement. Measured: the same delay to 4e-10 sample with and without the tone.
    const padded = new Float32Array(17000);
    padded.set(reference);
    const clean = fractionalDelay(padded, 20.25);
    addNoiseAtSnr(clean, 40, 14);
    const toned = clean.map((v, i) => v + (i % 2 ? -0.1 : 0.1));
    const options = { maxDelaySamples: 100, bandCyclesPerSample: [0, 0.5] as [number, number] };

    const a = estimateDelay(reference, clean, options);
    const b = estimateDelay(reference, toned, options);

    if (!a.ok || !b.ok) throw new Error('no measurement');
    expect(Math.abs(b.delaySamples - a.delaySamples)).toBeLessThan(1e-6);
  });

  it('searches each capture of estimateDelays up to its own length: a long capture\'s delay beyond a short one\'s length is found', () => {
    const captures = [delayedCapture(reference, 30.5, 40, 11).subarray(0, 4000), delayedCapture(reference, 5000.5, 40, 12, { extraFrames: 5600 })];
    // (The short one holds a third of the reference: too little for a measurement, which is not what this checks.)
    const long = estimateDelays(reference, captures)[1];
    expect(long.ok).toBe(true);
    expect(Math.abs((long.ok ? long.delaySamples : Number.NaN) - 5000.5)).toBeLessThan(0.05);
  });

  it('flags a clipped capture and still measures its delay', () => {
    const capture = delayedCapture(reference, 12.25, 40, 5).map((v) => Math.max(-0.15, Math.min(0.15, v * 8)) / 0.15);
    const r = estimateDelay(reference, capture);
    expect(r.ok && r.clipped).toBe(true);
    if (r.ok) expect(Math.abs(r.delaySamples - 12.25)).toBeLessThan(0.1);
  });

  it('gives each channel of estimateDelays the same answer as estimateDelay alone', () => {
    const delays = [3.5, 77.25, 140.75];
    const captures = delays.map((d, i) => delayedCapture(reference, d, 40, 20 + i));
    const many = estimateDelays(reference, captures, { maxDelaySamples: 300 });
    captures.forEach((c, i) => {
      const one = estimateDelay(reference, c, { maxDelaySamples: 300 });
      expect(many[i].ok && one.ok).toBe(true);
      if (many[i].ok && one.ok) {
        expect(Math.abs(many[i].delaySamples - one.delaySamples)).toBeLessThan(1e-6);
        expect(Math.abs(many[i].delaySamples - delays[i])).toBeLessThan(0.05);
      }
    });
  });

  it('accumulates segments over a long reference without losing accuracy', () => {
    const long = gaussianNoise(60000, 0.1, 12);
    const r = estimateDelay(long, delayedCapture(long, 1234.56, 40, 6, { extraFrames: 2000 }), { maxDelaySamples: 2000 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(Math.abs(r.delaySamples - 1234.56)).toBeLessThan(0.05);
  });

  it.each([0, 0.25, 0.5, 0.9])('recovers a clean fractional delay of %f samples within 1e-4 sample at 60 dB SNR', (delaySamples) => {
    // Measured error ≤ 7e-6 sample at 60 dB (the 64-tap windowed-sinc delay itself is good to < 1e-6; the Cramér–Rao
    // bound for 12 000 samples of white noise at 60 dB is ~3e-6), so 1e-4 is a bound with room, and a bias of 0.01
    // sample (the claim of the doc comment) is a hundred times it. A Newton refinement stopped after its first step
    // misses it.
    const capture = delayedCapture(reference, delaySamples, 60, 30);

    const r = estimateDelay(reference, capture, { minDelaySamples: -50, maxDelaySamples: 200 });

    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - delaySamples)).toBeLessThan(1e-4);
  });

  describe('a reference whose power lies high in the band (its correlation a carrier under a wide envelope)', () => {
    // Zero-phase filtered noise (4 sections forward, then backward). The coarse search compares whole lags only: a
    // lobe of the carrier sampled at its crest beat the true peak sampled between two lags, and the refinement then
    // climbed that lobe. Measured before the fix (40 dB SNR): high-passed at 0.2·fs, 30.5 read 32.18, inverted,
    // confidence 0.84; at 0.35·fs every delay read 1.25 sample off, inverted, confidence 0.98; band-passed at 0.42·fs
    // (Q 8), 30.5 read 28.12 — a whole carrier period off, the right polarity, confidence 0.9997. After: ≤ 1.4e-4 sample.
    const filtered = (type: BiquadType, cyclesPerSample: number, q: number): Float32Array => Float32Array.from(zeroPhase(type, cyclesPerSample, reference, q));
    const references = { 'high-passed at 0.2·fs': filtered('highpass', 0.2, 1), 'high-passed at 0.35·fs': filtered('highpass', 0.35, 1), 'band-passed at 0.42·fs, Q 8': filtered('bandpass', 0.42, 8) };

    it.each(Object.keys(references).flatMap((name) => [30.25, 30.5, 30.75].flatMap((delaySamples) => [false, true].map((inverted) => [name, delaySamples, inverted] as const))))(
      '%s: %f samples (inverted: %s) within 0.001 sample, with its polarity, at 40 dB SNR',
      (name, delaySamples, inverted) => {
        const high = references[name as keyof typeof references];
        const capture = delayedCapture(high, delaySamples, 40, 1).map((v) => (inverted ? -v : v));

        const r = estimateDelay(high, capture, { maxDelaySamples: 200 });

        if (!r.ok) throw new Error(r.detail);
        expect(Math.abs(r.delaySamples - delaySamples)).toBeLessThan(0.001);
        expect(r.inverted).toBe(inverted);
        expect(r.confidence).toBeGreaterThan(0.999);
      },
    );

    it('walks as many lobes as the envelope holds: band-passed at 0.2·fs with Q 64, 30.2 samples (4 lobes from the whole-lag peak)', () => {
      // The hop count comes from the masked band's width (here ~0.05 cycles/sample: up to ~12 hops); 3 hops read
      // 30.2 one lobe off, so a count from a wrong width (the band from bin 1, or a fixed 2) stays a lobe away.
      const narrow = filtered('bandpass', 0.2, 64);
      const r = estimateDelay(narrow, delayedCapture(narrow, 30.2, 40, 1), { maxDelaySamples: 200 });

      expect(r.ok ? Math.abs(r.delaySamples - 30.2) : Number.NaN).toBeLessThan(0.001);
    });

    it('refines the lobe a period on also when its seed reads low: two bands (0.05 and 0.35·fs, Q 8), 30.5 and 31.4 samples', () => {
      // Two carriers: the centroid's period lands the seed a period on between their crests (under half of the crest),
      // and the true crest lies within the Newton steps' reach of it. Refined only when its seed read over half of the
      // crest, the walk stopped 2.84 samples off, confidence 0.90 (measured); refined, 1e-4 off, confidence 1.0000.
      const second = zeroPhase('bandpass', 0.35, gaussianNoise(FRAMES, 0.1, 12), 8);
      const twoBands = Float32Array.from(zeroPhase('bandpass', 0.05, reference, 8), (v, i) => v + second[i]);

      for (const delaySamples of [30.5, 31.4]) {
        const r = estimateDelay(twoBands, delayedCapture(twoBands, delaySamples, 40, 1), { maxDelaySamples: 200 });
        expect(r.ok ? Math.abs(r.delaySamples - delaySamples) : Number.NaN, `${delaySamples}`).toBeLessThan(0.001);
      }
    });

    /** Noise band-passed at each of `centres` (cycles/sample, zero phase), summed: the first band from `reference`. */
    const bands = (centres: readonly number[], q: number): Float32Array => {
      const sum = new Float32Array(FRAMES);
      centres.forEach((f, j) => zeroPhase('bandpass', f, j === 0 ? reference : gaussianNoise(FRAMES, 0.1, 12 + j), q).forEach((v, i) => (sum[i] += v)));
      return sum;
    };

    it.each([
      { centres: [0.08, 0.4], q: 16, snrDb: 40, delays: [30.25, 30.5, 30.75, 31.4], within: 0.001 },
      { centres: [0.159, 0.31], q: 8, snrDb: 20, delays: [30.5, 90.3], within: 0.002 },
    ])('finds the highest crest where two carriers meet: bands at $centres·fs (Q $q), $snrDb dB SNR', ({ centres, q, snrDb, delays, within }) => {
      // Their crests stand where the carriers' periods meet, not a centroid's half period apart: the walk from the
      // whole-lag peak stopped on a crest higher than its neighbours, 6.25 samples off and inverted (0.08/0.4·fs,
      // confidence 0.9995) or 6.42 samples early (0.159/0.31·fs, 0.986) — measured; the quarter-sample grid finds the
      // true crest, higher than both.
      const reference = bands(centres, q);
      for (const delaySamples of delays) {
        const r = estimateDelay(reference, delayedCapture(reference, delaySamples, snrDb, 1), { maxDelaySamples: 200 });
        if (!r.ok) throw new Error(r.detail);
        expect(Math.abs(r.delaySamples - delaySamples), `${delaySamples}`).toBeLessThan(within);
        expect(r.inverted, `${delaySamples}`).toBe(false);
      }
    });

    it('finds the highest crest where two carriers meet also through an inverted path: bands at 0.08 and 0.4·fs (Q 16), 30.25 samples', () => {
      // The true crest reads negative on the grid: refined there with the grid's polarity. Refined as a crest of +C (from
      // its trough, where the gradient is 0) it stays low, and the walk's crest 6.25 samples off is kept (measured).
      const reference = bands([0.08, 0.4], 16);
      const r = estimateDelay(reference, delayedCapture(reference, 30.25, 40, 1).map((v) => -v), { maxDelaySamples: 200 });

      expect(r.ok ? Math.abs(r.delaySamples - 30.25) : r.detail).toBeLessThan(0.001);
      expect(r.ok && r.inverted).toBe(true);
    });

    /** Band-passed at 0.2·fs with Q 64 over a white floor `floorDb` under its RMS (the floor's bins straddle the −60 dB mask). */
    const narrowOverFloor = (() => {
      const narrow = zeroPhase('bandpass', 0.2, reference, 64);
      const rms = Math.sqrt(narrow.reduce((s, v) => s + v * v, 0) / narrow.length);
      const floor = gaussianNoise(FRAMES, 0.1, 23);
      return (floorDb: number) => Float32Array.from(narrow, (v, i) => v + (rms / 0.1) * 10 ** (floorDb / 20) * floor[i]);
    })();

    it('walks to the true lobe also when a weak white floor widens the mask: band-passed at 0.2·fs with Q 64 over a floor 35 dB down, 30.45–30.55 samples', () => {
      // The floor brings most of the band over the mask's −60 dB (its bins are ~58 dB under the peak's), so the hop count
      // comes from a span of ~0.45 cycles/sample: ⌈1/(B·T/2)⌉ + 1 = 2 hops, while the whole-lag peak lies one lobe off
      // (measured: one hop taken for 30.4–30.6). A count of 0 hops read them 2.5 samples late (a half carrier period).
      const overFloor = narrowOverFloor(-35);

      for (const delaySamples of [30.45, 30.5, 30.55]) {
        const r = estimateDelay(overFloor, delayedCapture(overFloor, delaySamples, 40, 1), { maxDelaySamples: 200 });
        expect(r.ok ? Math.abs(r.delaySamples - delaySamples) : Number.NaN, `${delaySamples}`).toBeLessThan(0.001);
      }
    });

    /**
     * Over a floor 36.5–37 dB down the envelope is flat with ripples: its crests lie 1e-4 apart, and the floor leaves the
     * other polarity's crests about 2e-6 under their neighbours, so a walk that looked only half a period either side
     * stopped a carrier period (5 samples) off — 30.15 read as 25.15 and 30.25 as 35.25, confidence 0.9998 (6 of 2640
     * delays over 0.1–0.42·fs, Q 8–64, two seeds: scripts/estimateDelayNarrowBandSweep.ts). It also looks a period on.
     */
    it.each([
      [-37, [30.15, 30.2]],
      [-36.5, [30.25, 30.65]],
    ])('finds the crest of the envelope, not one a carrier period off, with the floor %d dB down', (floorDb, delays) => {
      const overFloor = narrowOverFloor(floorDb);
      for (const delaySamples of delays) {
        const r = estimateDelay(overFloor, delayedCapture(overFloor, delaySamples, 40, 1), { maxDelaySamples: 200 });
        expect(r.ok ? Math.abs(r.delaySamples - delaySamples) : Number.NaN, `${delaySamples} samples`).toBeLessThan(0.001);
      }
    });

    it('measures half a sample past either end of the lags searched and says out of range beyond: −0.3 and 200.3 read, −1.2 and 200.7 not (0 … 200); 130.5 read searched from −50', () => {
      // A capture leading the reference (negative delay): the reference delayed by 10 + d, its first 10 frames cut.
      const narrow = references['band-passed at 0.42·fs, Q 8'];
      const at = (delaySamples: number) => estimateDelay(narrow, delayedCapture(narrow, 10 + delaySamples, 40, 1).subarray(10), { maxDelaySamples: 200 });

      for (const d of [-0.3, 200.3]) {
        const r = at(d);
        expect(r.ok ? Math.abs(r.delaySamples - d) : Number.NaN, `${d}`).toBeLessThan(0.001);
      }
      for (const d of [-1.2, 200.7]) expect(at(d), `${d}`).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
      // The range in lag indices is max − min: searched from −50, a delay of 130.5 lies at index 180.5.
      const fromBelow = estimateDelay(narrow, delayedCapture(narrow, 130.5, 40, 1), { minDelaySamples: -50, maxDelaySamples: 200 });
      expect(fromBelow.ok ? Math.abs(fromBelow.delaySamples - 130.5) : Number.NaN).toBeLessThan(0.001);
    });

    it('says a delay beyond the lags searched is out of range, never the edge\'s lobe: band-passed at 0.42·fs, 201.2 samples searched up to 200', () => {
      // Before: 200.01 samples, inverted, confidence 0.9999 — the lobe at the edge of the range, a wrong answer that
      // looked certain. 199.5, inside the range, is measured (before: 197.12, two carrier periods off).
      const narrow = references['band-passed at 0.42·fs, Q 8'];

      const beyond = estimateDelay(narrow, delayedCapture(narrow, 201.2, 40, 1), { maxDelaySamples: 200 });
      const inside = estimateDelay(narrow, delayedCapture(narrow, 199.5, 40, 1), { maxDelaySamples: 200 });

      expect(beyond).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
      expect(beyond.ok ? '' : beyond.detail).toContain('a higher crest at about 201.2 samples');
      expect(inside.ok ? Math.abs(inside.delaySamples - 199.5) : Number.NaN).toBeLessThan(0.001);
    });
  });

  it('says a white-noise delay just beyond the lags searched is out of range (before: no coherent signal at confidence 0.22); unrelated noise has no coherent signal, whatever lies beyond', () => {
    const beyond = estimateDelay(reference, delayedCapture(reference, 201.2, 40, 1), { maxDelaySamples: 200 });
    // Unrelated noise searched over a few lags: a random crest beyond them is higher in 3 of these 20 (seeds 125 and
    // 128), which is no delay out of range, only no coherent signal.
    const unrelated = [120, 121, 122, 123, 124, 125, 126, 127, 128, 129].flatMap((seed) =>
      [2, 5].map((maxDelaySamples) => estimateDelay(reference, gaussianNoise(FRAMES, 0.1, seed), { maxDelaySamples })),
    );

    expect(beyond).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
    expect(new Set(unrelated.map((r) => (r.ok ? 'ok' : r.reason)))).toEqual(new Set(['no-coherent-signal']));
  });
});

describe('estimateDelay: a delay beyond the lags searched, where a crest within them stands higher than the edge\'s', () => {
  // The grid's search finds the highest crest among the lags searched; when the delay lies beyond them that crest is
  // unrelated (a programme's self-similarity) or the edge's, and only a higher crest beyond says so. Measured before
  // (the walk's check reached only crests near the one it started from): the programme 230 samples late read 197.13,
  // confidence 0.81, and 201.2 at 10 dB read 200.87 (0.96); low-passed noise 201.2 read 199.97 (0.97) — measurements
  // of a delay that was not searched. The programme 201.2 at 40 dB was "no coherent signal" (the edge's crest); the
  // grid's search without the check beyond read 174.0 (an unrelated crest, confidence 0.85).
  const programme = programmeLike(FRAMES, 48000, 3);
  const lowPassed = Float32Array.from(zeroPhase('lowpass', 0.05, gaussianNoise(FRAMES, 0.1, 11)));
  /** Noise band-passed at 0.2·fs with Q 64: its crests, a carrier period (5 samples) apart, stand within 1e-4 of each other. */
  const q64 = Float32Array.from(zeroPhase('bandpass', 0.2, gaussianNoise(6000, 0.1, 1), 64));

  it('says where a delay below the lags searched lies: white noise 30.2 samples late, searched from 100 to 300', () => {
    // The crest lies in the period's wrapped lags (lag index −69.8, at M − 69.8 in the transform's output): reported
    // with its own position, not M samples on. Before: no coherent signal (the walk reached no crest that far).
    const white = gaussianNoise(FRAMES, 0.1, 11);
    const r = estimateDelay(white, delayedCapture(white, 30.2, 40, 1), { minDelaySamples: 100, maxDelaySamples: 300 });

    expect(r).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
    expect(r.ok ? '' : r.detail).toContain('a higher crest at about 30.2 samples');
  });

  it('names the highest crest beyond the lags searched, not the first the walk meets: low-passed noise 230 samples late, searched to 200', () => {
    // The walk from the edge met higher crests past it (202.5, 201.4, 210.3 in the 432 references' cases) before the
    // delay's own; the grid's search beyond finds the highest. Before the grid's went first,
    // the 10 dB capture here named 234.4 ("the delay lies there or further": it lies before), and the 432 references'
    // low-passed noise 230 samples late read "no coherent signal" (the walk's crest under the confidence limit).
    for (const snrDb of [40, 10]) {
      const r = estimateDelay(lowPassed, delayedCapture(lowPassed, 230, snrDb, 3), { maxDelaySamples: 200 });
      expect(r).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
      expect(r.ok ? '' : r.detail).toContain('a higher crest at about 230.0 samples');
    }
  });

  it('names the highest crest beyond among crests nearly as high: noise band-passed at 0.2·fs (Q 64) 9.4 samples late, searched from 10', () => {
    // Near the delay the crests stand within 1e-5 of each other; the one at the delay is the highest. While the search
    // beyond kept the first crest found higher than the one in hand, it named 6.9 in 14 of 48 such captures (40 and
    // 20 dB, both polarities, noise seeds 1–12), these 4 among them; now 0.
    for (const [snrDb, sign, seed] of [[40, 1, 1], [40, -1, 4], [20, 1, 8], [20, -1, 10]]) {
      const capture = delayedCapture(q64, 9.4, snrDb, seed).map((v) => sign * v);
      const r = estimateDelay(q64, capture, { minDelaySamples: 10, maxDelaySamples: 210 });
      expect(r).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
      expect(r.ok ? '' : r.detail).toContain('a higher crest at about 9.4 samples');
    }
  });

  it('measures a narrow band 0.45 sample past either end of the lags searched and refuses it 0.55 past: Q 64 at 0.2·fs, searched 10 … 210', () => {
    // Its crests stand within 1e-4 of each other: the walk's seeds half a period either side, each of its own polarity,
    // and the crest it goes on to beyond an end (when the grid's point for it lies within half a lag of the end) decide
    // these; with either broken, 9.55 read out of range or 210.55 as 208.05. At 10 dB the noise outweighs those 1e-4:
    // the code itself reads 210.45 as 207.94 or 210.55 as 208.05 with some noise seeds.
    for (const snrDb of [40, 20]) {
      for (const sign of [1, -1]) {
        for (const seed of [1, 2, 3]) {
          const read = (d: number) => estimateDelay(q64, delayedCapture(q64, d, snrDb, seed).map((v) => sign * v), { minDelaySamples: 10, maxDelaySamples: 210 });
          for (const d of [9.55, 210.45]) {
            const r = read(d);
            expect(r.ok ? Math.abs(r.delaySamples - d) : r.detail, `${d} at ${snrDb} dB, ${sign}, seed ${seed}`).toBeLessThan(0.01);
          }
          for (const d of [9.45, 210.55]) {
            const r = read(d);
            expect(r, `${d} at ${snrDb} dB, ${sign}, seed ${seed}`).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
            // …naming where the delay lies (the walk stopping at the first higher crest past the end named 213.0).
            const at = Number((r.ok ? '' : (r.detail ?? '')).match(/crest at about (-?[\d.]+)/)?.[1]);
            expect(Math.abs(at - d), `${d} at ${snrDb} dB, ${sign}, seed ${seed}: named ${at}`).toBeLessThanOrEqual(0.15);
          }
        }
      }
    }
  });

  it('searches the grid over every lag searched when the search starts below 0: two bands (0.08, 0.4·fs, Q 16) 180.25 samples late, searched from −50', () => {
    const centres = [0.08, 0.4];
    const twoBands = new Float32Array(FRAMES);
    centres.forEach((f, j) => zeroPhase('bandpass', f, j === 0 ? gaussianNoise(FRAMES, 0.1, 11) : gaussianNoise(FRAMES, 0.1, 12 + j), 16).forEach((v, i) => (twoBands[i] += v)));

    const r = estimateDelay(twoBands, delayedCapture(twoBands, 180.25, 40, 1), { minDelaySamples: -50, maxDelaySamples: 200 });

    expect(r.ok ? Math.abs(r.delaySamples - 180.25) : r.detail).toBeLessThan(0.001);
  });

  it.each([
    ['a programme', 230, 40, programme],
    ['a programme', 201.2, 40, programme],
    ['a programme', 201.2, 10, programme],
    ['low-passed noise', 201.2, 40, lowPassed],
    ['low-passed noise', 201.2, 10, lowPassed],
  ] as const)('%s delayed %f samples at %i dB SNR, searched up to 200: out of range', (_, delaySamples, snrDb, reference) => {
    const r = estimateDelay(reference, delayedCapture(reference, delaySamples, snrDb, 3), { maxDelaySamples: 200 });

    expect(r).toMatchObject({ ok: false, reason: 'delay-out-of-range' });
  });
});

describe('estimateDelay: confidence, SNR and gain against their definitions', () => {
  const reference = gaussianNoise(FRAMES, 0.1, 11);
  /** g·reference delayed by 20.5 samples, plus white noise `snrDb` below it (span SNR), from `seed`. */
  const scaledCapture = (g: number, snrDb: number, seed: number): Float32Array => {
    const padded = new Float32Array(FRAMES + 600);
    padded.set(reference);
    const y = fractionalDelay(padded, 20.5).map((v) => g * v);
    return addGaussianNoise(y, Math.abs(g) * 0.1 * 10 ** (-snrDb / 20), seed);
  };

  it.each([
    { snrDb: 0, gain: 0.5 },
    { snrDb: 10, gain: -0.5 },
    { snrDb: 20, gain: 2 },
  ])('reads ρ = √(SNR/(1 + SNR)) within 0.01, snrDb within 0.3 dB and the gain within 1 % at $snrDb dB SNR, gain $gain', ({ snrDb, gain }) => {
    const snr = 10 ** (snrDb / 10);

    const r = estimateDelay(reference, scaledCapture(gain, snrDb, 40 + snrDb), { maxDelaySamples: 100 });

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.confidence - Math.sqrt(snr / (1 + snr)))).toBeLessThan(0.01);
    expect(Math.abs(r.snrDb - snrDb)).toBeLessThan(0.3);
    expect(Math.abs(r.gain / gain - 1)).toBeLessThan(0.01);
    expect(r.inverted).toBe(gain < 0);
  });

  it('counts a tone at Nyquist, outside the band, as neither signal nor noise: ρ within 0.01 and snrDb within 0.3 dB of the SNR at 10 dB', () => {
    // A one-sided power spectrum holds bins 1 … M/2 − 1 for two bins each and DC and Nyquist for one: the capture's
    // band share must count those two at half weight. Counted whole, a Nyquist tone 3 dB over the noise read ρ = 1 and
    // snrDb = 60 (its share of the capture doubled, the in-band energy halved). The tone covers exactly the span the
    // delayed reference covers (frames 21 … 12 020), where ρ's capture energy is measured.
    const snr = 10;
    const capture = scaledCapture(1, 10, 50).map((v, i) => (i >= 21 && i < 21 + FRAMES ? v + (i % 2 ? -0.045 : 0.045) : v));

    const r = estimateDelay(reference, capture, { maxDelaySamples: 100 });

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.confidence - Math.sqrt(snr / (1 + snr)))).toBeLessThan(0.01);
    expect(Math.abs(r.snrDb - 10)).toBeLessThan(0.3);
  });

  it('reads the gain and ρ of a clean capture within 1e-3 in a band of 33 bins (0.01–0.012 cycles/sample), its edges included', () => {
    // r(d), E_ref and E_cap are sums over the same bins kLo … kHi; a band this narrow shows a bin missing from one of
    // them (about 3 % of the band's energy). Measured: gain 1 + 1.4e-5, ρ 1 (capped), the delay within 3.2e-5 sample.
    const r = estimateDelay(reference, scaledCapture(1, Number.POSITIVE_INFINITY, 1), { maxDelaySamples: 100, bandCyclesPerSample: [0.01, 0.012] });

    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Math.abs(r.gain - 1)).toBeLessThan(1e-3);
    expect(Math.abs(r.confidence - 1)).toBeLessThan(1e-3);
    expect(Math.abs(r.delaySamples - 20.5)).toBeLessThan(1e-3);
  });

  it('caps the SNR of a noiseless capture at 60 dB', () => {
    const r = estimateDelay(reference, scaledCapture(1, Number.POSITIVE_INFINITY, 1), { maxDelaySamples: 100 });
    expect(r.ok && r.snrDb).toBe(60);
  });

  it('reports a delay whose confidence equals minConfidence, and none just above it (with the reason)', () => {
    const capture = scaledCapture(1, 0, 7);
    const r = estimateDelay(reference, capture, { maxDelaySamples: 100 });
    const confidence = r.ok ? r.confidence : Number.NaN;

    expect(estimateDelay(reference, capture, { maxDelaySamples: 100, minConfidence: confidence }).ok).toBe(true);
    const above = estimateDelay(reference, capture, { maxDelaySamples: 100, minConfidence: confidence + 1e-9 });
    expect(above).toMatchObject({ ok: false, reason: 'no-coherent-signal' });
    expect(above.ok ? '' : above.detail).toContain(`confidence ${confidence.toFixed(3)} < ${confidence + 1e-9}`);
    // ρ² is the fraction of the capture's energy the delayed, scaled reference explains: 50 % at 0 dB SNR.
    expect(Math.abs(confidence ** 2 - 0.5)).toBeLessThan(0.02);
    expect(above.ok ? '' : above.detail).toContain(`explains only ${(100 * confidence ** 2).toFixed(1)} % of the capture's energy`);
  });

  it('searches a single lag when maxDelaySamples equals minDelaySamples, and rejects a maximum below the minimum', () => {
    const r = estimateDelay(reference, scaledCapture(1, 40, 8), { minDelaySamples: 20, maxDelaySamples: 20 });
    expect(r.ok).toBe(true);
    expect(Math.abs((r.ok ? r.delaySamples : Number.NaN) - 20.5)).toBeLessThan(0.05);
    expect(() => estimateDelay(reference, scaledCapture(1, 40, 8), { minDelaySamples: 20, maxDelaySamples: 19 })).toThrow(
      new RangeError('estimateDelay: maxDelaySamples (19) < minDelaySamples (20)'),
    );
  });
});
