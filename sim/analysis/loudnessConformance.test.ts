import { describe, expect, it } from 'vitest';
import { measureLoudness } from '../../src/analysis/loudness/measureLoudness.ts';
import { toneSegments, type ToneSegment } from '../../src/analysis/loudness/toneSegments.ts';

/**
 * EBU Tech 3341 (meter) and Tech 3342 (loudness range) test cases, generated here from the
 * specification's description (1 kHz sines, dBFS = peak level) rather than read from the EBU files.
 * Limits are the specification's: ±0.1 LU for loudness, ±1 LU for loudness range.
 */
const RATES = [44100, 48000, 96000];
const seg = (levelDbfs: number, seconds: number): ToneSegment => ({ levelDbfs, seconds });

/** Each stereo case is measured once per file (the fault test below reuses the 48 kHz −36/−23/−36 case). */
const measured = new Map<string, ReturnType<typeof measureLoudness>>();
function stereo(rate: number, segments: ToneSegment[]) {
  const key = `${rate} ${JSON.stringify(segments)}`;
  let r = measured.get(key);
  if (r === undefined) {
    const x = toneSegments(rate, segments);
    r = measureLoudness([x, x], rate, { truePeak: false });
    measured.set(key, r);
  }
  return r;
}

describe.each(RATES)('EBU Tech 3341 at %i Hz', (rate) => {
  it.each([-23, -33])('reads a %i dBFS stereo sine of 20 s at that level ±0.1 LUFS: momentary, short-term and integrated', (level) => {
    const r = stereo(rate, [seg(level, 20)]);

    expect(Math.abs(r.integratedLufs! - level)).toBeLessThan(0.1);
    expect(Math.abs(r.momentaryMaxLufs - level)).toBeLessThan(0.1);
    expect(Math.abs(r.shortTermMaxLufs - level)).toBeLessThan(0.1);
    expect(Math.abs(r.momentaryLufs[r.momentaryLufs.length >> 1] - level)).toBeLessThan(0.1);
    expect(Math.abs(r.shortTermLufs[r.shortTermLufs.length >> 1] - level)).toBeLessThan(0.1);
  });

  it.each([
    ['−36/−23/−36 dBFS for 10/60/10 s', [seg(-36, 10), seg(-23, 60), seg(-36, 10)]],
    ['−72/−36/−23/−36/−72 dBFS for 10/10/60/10/10 s', [seg(-72, 10), seg(-36, 10), seg(-23, 60), seg(-36, 10), seg(-72, 10)]],
    ['−26/−20/−26 dBFS for 20/20.1/20 s', [seg(-26, 20), seg(-20, 20.1), seg(-26, 20)]],
  ] as [string, ToneSegment[]][])('gates the sequence %s to −23.0 ±0.1 LUFS integrated', (_name, segments) => {
    const r = stereo(rate, segments);

    expect(Math.abs(r.integratedLufs! + 23)).toBeLessThan(0.1);
  });

  it('reads a 5.0 sine (L, R, C at −28 dBFS, Ls, Rs at −30 dBFS, 20 s) at the BS.1770 sum (−24.2 LUFS) ±0.1 LU', () => {
    const front = toneSegments(rate, [seg(-28, 20)]);
    const surround = toneSegments(rate, [seg(-30, 20)]);
    // A sine's mean square is half its peak², so l = 10·log10 Σ Gᵢ·10^(Lᵢ/10)/2 (the K-weighting's 1 kHz
    // gain cancels the −0.691) → −24.21 LUFS for these levels with G = 1, 1, 1, 1.41, 1.41.
    const expectedLufs = 10 * Math.log10((3 * Math.pow(10, -2.8) + 2 * 1.41 * Math.pow(10, -3)) / 2);

    const r = measureLoudness([front, front, front, surround, surround], rate, { truePeak: false });

    expect(Math.abs(r.integratedLufs! - expectedLufs)).toBeLessThan(0.1);
  });

  it('reads the Tech 3341 5.0 case (L, R at −28, C at −24, Ls, Rs at −30 dBFS, 1 kHz, 20 s) at −23.0 ±0.1 LUFS', () => {
    const lr = toneSegments(rate, [seg(-28, 20)]);
    const centre = toneSegments(rate, [seg(-24, 20)]);
    const surround = toneSegments(rate, [seg(-30, 20)]);

    const r = measureLoudness([lr, lr, centre, surround, surround], rate, { truePeak: false });

    expect(Math.abs(r.integratedLufs! + 23)).toBeLessThan(0.1);
  });
});

describe('EBU Tech 3342 loudness range at 48 kHz', () => {
  it.each([
    ['−20/−30 dBFS, 20 s each', 10, [seg(-20, 20), seg(-30, 20)]],
    ['−20/−15 dBFS, 20 s each', 5, [seg(-20, 20), seg(-15, 20)]],
    ['−40/−20 dBFS, 20 s each', 20, [seg(-40, 20), seg(-20, 20)]],
    ['−50/−35/−20/−35/−50 dBFS, 20 s each', 15, [seg(-50, 20), seg(-35, 20), seg(-20, 20), seg(-35, 20), seg(-50, 20)]],
  ] as [string, number, ToneSegment[]][])('reads %s at %d LU ±1', (_name, expectedLu, segments) => {
    const r = stereo(48000, segments);

    expect(Math.abs(r.loudnessRangeLu - expectedLu)).toBeLessThan(1);
  });
});

describe('measurement on injected faults (the limits can fail)', () => {
  it('notices a 0.2 dB level error that the ±0.1 LU limit must catch', () => {
    const r = stereo(48000, [seg(-23.2, 20)]);

    expect(Math.abs(r.integratedLufs! + 23)).toBeGreaterThan(0.1);
  });

  it('notices a missing relative gate: the −36 dBFS segments would pull an ungated mean below −23.1', () => {
    const r = stereo(48000, [seg(-36, 10), seg(-23, 60), seg(-36, 10)]);
    const ungatedLufs = 10 * Math.log10((10 * Math.pow(10, -3.6) * 2 + 60 * Math.pow(10, -2.3)) / 80);

    expect(ungatedLufs).toBeLessThan(-23.1);
    expect(r.integratedLufs! - ungatedLufs).toBeGreaterThan(0.1);
  });
});
