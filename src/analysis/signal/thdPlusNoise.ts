import { powerSpectrum } from '../spectral/powerSpectrum.ts';
import type { Samples } from './samples.ts';
import { fitSine } from './sineFit.ts';

/** THD+N of a sine, or why it could not be measured. */
export type ThdPlusNoiseResult =
  | {
      ok: true;
      /** Frequency of the fitted fundamental. */
      fundamentalHz: number;
      /** Fundamental amplitude re full scale, dBFS (peak). */
      fundamentalDbfs: number;
      /** 10·log10(residual power / fundamental power). */
      thdPlusNoiseDb: number;
      /** 100·√(residual power / fundamental power). */
      thdPlusNoisePercent: number;
    }
  | { ok: false; reason: 'no-fundamental' | 'too-short' };

/**
 * Total harmonic distortion plus noise of a (processed) sine: everything that is not the fundamental,
 * relative to the fundamental, THD+N = P(x − fit) / P(fit) with the fit from fitSine (four-parameter
 * least squares, so no notch filter and no window leakage limits the floor; measured −140 dB on a clean
 * double-precision sine). DC is fitted and excluded; the residual is full band (0…fs/2), not the
 * 20 Hz–20 kHz band of AES17. Without `frequencyHz` the start is the Welch spectrum's peak bin with
 * parabolic interpolation. Trim start-up transients before calling: they count as distortion.
 */
export function thdPlusNoise(x: Samples, sampleRate: number, frequencyHz?: number): ThdPlusNoiseResult {
  if (x.length < 64) return { ok: false, reason: 'too-short' };
  let startHz = frequencyHz;
  if (startHz === undefined) {
    const s = powerSpectrum([x], sampleRate);
    let k = 1;
    for (let i = 2; i < s.power.length - 1; i++) if (s.power[i] > s.power[k]) k = i;
    if (!(s.power[k] > 0)) return { ok: false, reason: 'no-fundamental' };
    const [a, b, c] = [s.power[k - 1], s.power[k], s.power[k + 1]].map((p) => Math.log(Math.max(p, 1e-300)));
    const delta = (0.5 * (a - c)) / (a - 2 * b + c || 1);
    startHz = ((k + Math.max(-0.5, Math.min(0.5, delta))) * sampleRate) / (2 * (s.power.length - 1));
  }
  const fit = fitSine(x, sampleRate, startHz);
  if (!fit || !(fit.amplitude > 0)) return { ok: false, reason: 'no-fundamental' };
  const fundamentalPower = (fit.amplitude * fit.amplitude) / 2;
  const ratio = fit.residualMeanSquare / fundamentalPower;
  return {
    ok: true,
    fundamentalHz: fit.frequencyHz,
    fundamentalDbfs: 20 * Math.log10(fit.amplitude),
    thdPlusNoiseDb: 10 * Math.log10(ratio),
    thdPlusNoisePercent: 100 * Math.sqrt(ratio),
  };
}
