import type { Samples } from '../signal/samples.ts';
import { clarityDb, definition } from './clarity.ts';
import { findDecayOnset } from './decayOnset.ts';
import { curvaturePercent, type DecayResult, EDT, fitDecay, minimumBandDecaySeconds, refuseBelow, T20, T30 } from './decayFit.ts';
import { lundebyTruncation } from './lundeby.ts';
import { estimateNoiseFloor } from './noiseFloor.ts';
import { schroederIntegral } from './schroederIntegral.ts';

export interface DecayAnalysisOptions {
  /** Truncate at Lundeby's crosspoint and add the tail energy (default true); otherwise integrate to the end. */
  lundeby?: boolean;
  /** Which reverberation times to fit (default all three). */
  which?: ReadonlyArray<'edt' | 't20' | 't30'>;
  /** Also compute C50, C80 and D50 (default true). */
  clarity?: boolean;
  /** Bandwidth of the band filter the response went through: times below 4/B are refused (minimumBandDecaySeconds). */
  bandwidthHz?: number;
}

/**
 * Decay range C50, C80 and D50 need: with less than 20 dB above the noise the "late" energy is mostly
 * noise (a steady signal would read C80 ≈ −10.6 dB), so they are not reported.
 */
export const CLARITY_REQUIRED_DB = 20;

/** Everything read from one decay (one channel, one band). Figures that cannot be measured are null, with the reason in `edt`/`t20`/`t30`. */
export interface DecayAnalysis {
  onsetSeconds: number;
  edtSeconds: number | null;
  t20Seconds: number | null;
  t30Seconds: number | null;
  edt: DecayResult | null;
  t20: DecayResult | null;
  t30: DecayResult | null;
  curvaturePercent: number | null;
  c50Db: number | null;
  c80Db: number | null;
  d50: number | null;
  /** Decay range above the background noise, dB (Infinity over digital silence). */
  dynamicRangeDb: number;
  /** Noise level re full scale, dBFS (mean square), −Infinity for digital silence. */
  noiseFloorDbfs: number;
  /** Where the Schroeder integral stopped, seconds from the start of the signal. */
  integrationEndSeconds: number;
  lundeby: { used: boolean; converged: boolean; iterations: number };
}

/**
 * How far above the background noise's mean square the onset sample must be (ISO 3382-1 A.3.4: where the signal
 * "rises significantly above the background noise"). A noise sample reaches it at 5.6σ, once in ~5e7 samples; when
 * the noise is within 35 dB of the peak sample, the 20 dB rule alone takes one (in an octave band's pre-delay it did,
 * 16 ms before the arrival: 63 Hz EDT +70 %).
 */
const ONSET_ABOVE_NOISE_DB = 15;

/** The first sample from `from` on whose square reaches `level`; `from` when none does. */
function firstAbove(h: Samples, from: number, level: number): number {
  for (let i = from; i < h.length; i++) if (h[i] * h[i] >= level) return i;
  return from;
}

const seconds = (r: DecayResult | null): number | null => (r && r.ok ? r.seconds : null);

/**
 * Reverberation times, clarity and the noise budget of one impulse response (ISO 3382-1 practice):
 * onset where h first comes within 20 dB of its peak, or later at the first sample 15 dB above the noise when
 * Lundeby read the noise past the decay and the 20 dB sample is not (then Lundeby runs again from there);
 * Schroeder integral from the onset to Lundeby's crosspoint plus the estimated tail, less the noise's mean square
 * per sample when the noise was read past the decay (or to the end without Lundeby), in double precision; EDT fits
 * 0…−10 dB, T20 −5…−25 dB, T30 −5…−35 dB and each extrapolates to 60 dB; a figure whose range plus 10 dB
 * exceeds the decay range above the noise is refused as `insufficient-dynamic-range`.
 * A silent signal gives no onset: every figure null with reason `no-decay`.
 */
export function analyzeDecay(h: Samples, sampleRate: number, options: DecayAnalysisOptions = {}): DecayAnalysis {
  const which = options.which ?? ['edt', 't20', 't30'];
  const useLundeby = options.lundeby ?? true;
  const candidate = findDecayOnset(h);
  if (candidate === null) {
    const none: DecayResult = { ok: false, reason: 'no-decay', availableDb: 0, requiredDb: 0 };
    return {
      onsetSeconds: NaN, edtSeconds: null, t20Seconds: null, t30Seconds: null,
      edt: which.includes('edt') ? none : null, t20: which.includes('t20') ? none : null, t30: which.includes('t30') ? none : null,
      curvaturePercent: null, c50Db: null, c80Db: null, d50: null, dynamicRangeDb: 0, noiseFloorDbfs: -Infinity,
      integrationEndSeconds: NaN, lundeby: { used: useLundeby, converged: false, iterations: 0 },
    };
  }
  let onset = candidate;
  const energy = schroederIntegral(h);
  let end = h.length;
  let tail = 0;
  let dynamicRangeDb: number;
  let noiseMeanSquare: number;
  let lundebyInfo = { used: useLundeby, converged: false, iterations: 0 };
  /** Noise mean square taken out of every sample up to the crosspoint (0: none). */
  let noiseToSubtract = 0;
  if (useLundeby) {
    let l = lundebyTruncation(energy, sampleRate, onset, options.bandwidthHz);
    // Only a noise read where the decay is 10 dB under it (Lundeby's rule; a recording cut before the decay
    // meets the noise has its own last 10 % read as "noise", and taking that out would cut the decay short).
    const noiseReadPastDecay = (r: typeof l): boolean =>
      r.ok && r.crosspointSample - onset + (10 / -r.lateSlopeDbPerSecond) * sampleRate <= 0.9 * (h.length - onset);
    if (l.ok && noiseReadPastDecay(l)) {
      const later = firstAbove(h, onset, l.noiseMeanSquare * 10 ** (ONSET_ABOVE_NOISE_DB / 10));
      if (later !== onset) {
        onset = later;
        l = lundebyTruncation(energy, sampleRate, onset, options.bandwidthHz);
      }
    }
    if (l.ok) {
      end = l.crosspointSample;
      tail = l.tailEnergy;
      dynamicRangeDb = l.dynamicRangeDb;
      noiseMeanSquare = l.noiseMeanSquare;
      lundebyInfo = { used: true, converged: l.converged, iterations: l.iterations };
      if (noiseReadPastDecay(l)) noiseToSubtract = l.noiseMeanSquare;
    } else {
      dynamicRangeDb = l.dynamicRangeDb;
      noiseMeanSquare = estimateNoiseFloor(energy, sampleRate, onset).noiseMeanSquare;
    }
  } else {
    const n = estimateNoiseFloor(energy, sampleRate, onset);
    dynamicRangeDb = n.dynamicRangeDb;
    noiseMeanSquare = n.noiseMeanSquare;
  }
  // EDC from the onset to the end of integration plus the compensated tail: the backward integral restarted
  // at `end`, shifted in place (the whole-signal integral is not needed after Lundeby). The noise's own energy
  // up to the crosspoint is taken out too (Chu's subtraction of the noise mean square, with Lundeby's noise
  // estimate): left in, it bends the EDC up where the decay nears the noise — T30 over a floor 46 dB down
  // read 2–3 % long (T = 1 s), a two-slope decay 6 % long. (The curve may then rise by a noise sample's
  // excess over the mean here and there, ~1e-5 of its level at −35 dB.)
  const edc = energy.subarray(onset, end);
  const offset = tail - (end < energy.length ? energy[end] : 0);
  for (let i = 0; i < edc.length; i++) edc[i] += offset - noiseToSubtract * (edc.length - i);
  const minimumSeconds = options.bandwidthHz ? minimumBandDecaySeconds(options.bandwidthHz) : 0;
  const fit = (name: 'edt' | 't20' | 't30', range: typeof EDT) => (which.includes(name) ? refuseBelow(fitDecay(edc, sampleRate, range, dynamicRangeDb), minimumSeconds) : null);
  const edt = fit('edt', EDT);
  const t20 = fit('t20', T20);
  const t30 = fit('t30', T30);
  const withClarity = (options.clarity ?? true) && dynamicRangeDb >= CLARITY_REQUIRED_DB;
  return {
    onsetSeconds: onset / sampleRate,
    edtSeconds: seconds(edt),
    t20Seconds: seconds(t20),
    t30Seconds: seconds(t30),
    edt,
    t20,
    t30,
    curvaturePercent: t20 && t30 ? curvaturePercent(t20, t30) : null,
    c50Db: withClarity ? clarityDb(edc, sampleRate, 0.05) : null,
    c80Db: withClarity ? clarityDb(edc, sampleRate, 0.08) : null,
    d50: withClarity ? definition(edc, sampleRate, 0.05) : null,
    dynamicRangeDb,
    noiseFloorDbfs: 10 * Math.log10(noiseMeanSquare),
    integrationEndSeconds: end / sampleRate,
    lundeby: lundebyInfo,
  };
}
