import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { openTuner } from './tuner.ts';

/** Offline figures against what the engines are built to do (tolerances of the reverb's own RT60 tests). */
const LIMITS = { t30Percent: 5, thdFromTheoryDb: 1.5, thdRiseDb: 5 };

/** THD+N of a sine of peak `amplitude` through a quantiser of step 2^−(bits−1): −10·log10((A²/2)/(Δ²/12)). */
const quantisationThdDb = (bits: number, amplitude: number) => -10 * Math.log10((amplitude ** 2 / 2) / ((2 ** -(bits - 1)) ** 2 / 12));

describe('the offline tuner', () => {
  it('measures the T30 a pure-wet, frequency-flat reverb is set to, and follows a change', async () => {
    const t = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'small-room', windowSeconds: 1 });
    for (const rt60Seconds of [0.8, 1.6]) {
      await t.setParams({ wetDry: 1, rt60Seconds, rt60HighSeconds: null, preDelayMs: 0 });
      const m = await t.getMetrics();
      expect(Math.abs((m.figures.t30Seconds as number) - rt60Seconds) / rt60Seconds * 100).toBeLessThanOrEqual(LIMITS.t30Percent);
      expect(m.decaySource).toBe('wet impulse response rendered offline');
    }
    expect(t.describe(await t.getMetrics())[0]).toMatch(/^longer tail: T30 \+0\.[78]\d s$/);
  });

  it("reads the reverb's own decay whatever the mix: the dry path is taken out of the response", async () => {
    const t = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'chamber', windowSeconds: 1 });
    const decay = async (wetDry: number) => {
      const { figures: f } = (await t.setParams({ wetDry }), await t.getMetrics());
      return [f.t30Seconds, f.edtSeconds, f.c50Db, f.c80Db] as number[];
    };
    const [dryHeavy, wet] = [await decay(0.15), await decay(0.9)];
    dryHeavy.forEach((v, i) => expect(v).toBeCloseTo(wet[i], 3));
    // …while the mix itself reads wetter: the wet path's energy over the dry path's.
    expect(t.describe(await t.getMetrics())).toContainEqual(expect.stringMatching(/^wetter: wet\/dry ratio \+\d+\.\d dB$/));
  });

  it('measures the same capture again without a change, and the same figures in a new tuner', async () => {
    const a = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'vocal-booth', windowSeconds: 1 });
    const m = await a.getMetrics();
    expect(await a.getMetrics()).toBe(m);
    const b = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'vocal-booth', windowSeconds: 1 });
    expect((await b.getMetrics()).figures).toEqual(m.figures);
  });

  it('measures the distortion a lower bit depth adds to a sine, as quantisation theory predicts', async () => {
    // sampler-8bit also holds samples at 22.05 kHz: its THD+N floor (about −22 dB) hides depths above ~6 bits.
    const t = await openTuner({ mode: 'offline', engine: 'lossy', preset: 'sampler-8bit', input: { signal: 'tone', frequencyHz: 997 }, windowSeconds: 1 });
    const thd = async (bits: number) => (await t.setParams({ 'bitcrush.bitDepth': bits }), (await t.getMetrics()).figures.thdPlusNoiseDb as number);
    const fine = await thd(16);
    const coarse = await thd(4);
    expect(Math.abs(coarse - quantisationThdDb(4, 10 ** (-12 / 20)))).toBeLessThanOrEqual(LIMITS.thdFromTheoryDb);
    expect(coarse - fine).toBeGreaterThan(LIMITS.thdRiseDb);
    expect(t.describe(await t.getMetrics())).toContain(`more distorted: THD+N +${(coarse - fine).toFixed(1)} dB`);
  });

  it("draws the output's spectrogram: a narrowband codec leaves the top octaves dark", async () => {
    const topBrightness = async (preset: string) => {
      const t = await openTuner({ mode: 'offline', engine: 'lossy', preset, windowSeconds: 1 });
      const png = PNG.sync.read(Buffer.from(await t.getSpectrogram()));
      let sum = 0;
      const rows = Math.round(png.height * 0.1); // the top 10 %: about 12–24 kHz on the log axis
      for (let y = 0; y < rows; y++) for (let x = 0; x < png.width; x++) sum += png.data[(y * png.width + x) * 4];
      return sum / (rows * png.width);
    };
    expect(await topBrightness('phone-narrowband')).toBeLessThan(0.5 * (await topBrightness('stream-128kbps')));
  });

  it('refuses an instrument, an unknown engine and a bad window, naming what is allowed', async () => {
    await expect(openTuner({ mode: 'offline', engine: 'haptic' })).rejects.toThrow('engine "haptic": is an instrument; the tuner tunes effects: lossy, reverb');
    await expect(openTuner({ mode: 'offline', engine: 'organ' })).rejects.toThrow(/unknown engine "organ"; known engines: haptic, lossy, reverb/);
    await expect(openTuner({ mode: 'offline', engine: 'reverb', windowSeconds: 0.1 })).rejects.toThrow('windowSeconds: got 0.1, allowed 0.5…30');
    await expect(openTuner({ mode: 'offline', engine: 'reverb', preset: 'lossy/phone-narrowband' })).rejects.toThrow(/is not a reverb preset/);
  });
});
