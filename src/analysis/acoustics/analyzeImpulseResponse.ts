import type { Samples } from '../signal/samples.ts';
import { analyzeDecay, type DecayAnalysis } from './decayAnalysis.ts';
import { echoDensityProfile, mixingTimeSeconds } from './echoDensity.ts';
import { multirateOctaveFilterBank, splitOctaveBands } from './octaveBands.ts';

export interface ImpulseResponseOptions {
  /** Also analyse each octave band 63 Hz – 8 kHz (16 kHz at 96 kHz); default false. */
  bands?: boolean;
  /** Lundeby truncation and tail compensation (default true). */
  lundeby?: boolean;
}

/** Figures for one octave band of one channel. */
export interface BandAnalysis extends DecayAnalysis {
  nominalHz: number;
  centreHz: number;
}

/** Figures for one channel. */
export interface ChannelImpulseAnalysis extends DecayAnalysis {
  /** Mean normalised echo density over the first 100 ms after the onset (Abel & Huang 2006). */
  echoDensityEarly: number | null;
  /** Mean normalised echo density from 100 ms after the onset to the integration end. */
  echoDensityLate: number | null;
  /** Time after the onset at which the echo density first reaches 1; null if never. */
  mixingTimeSeconds: number | null;
  bands?: BandAnalysis[];
}

export interface ImpulseResponseAnalysis {
  sampleRate: number;
  durationSeconds: number;
  channels: ChannelImpulseAnalysis[];
}

function meanBetween(times: Float64Array, values: Float64Array, fromSeconds: number, toSeconds: number): number | null {
  let acc = 0;
  let n = 0;
  for (let k = 0; k < times.length; k++) if (times[k] >= fromSeconds && times[k] < toSeconds) { acc += values[k]; n++; }
  return n ? acc / n : null;
}

/**
 * Everything ISO 3382-1 reads from a measured impulse response, per channel: onset, EDT, T20, T30 with
 * their non-linearity ξ and the curvature C, C50, C80, D50, the noise floor and the available decay
 * range, echo density and mixing time; with `bands`, the decay figures per octave band
 * (6th-order Butterworth, time-reversed filtering, bands up to fs/16 decimated by 4; see octaveBands.ts). Figures that the decay range
 * cannot support are null with an explicit reason, never a guess.
 */
export function analyzeImpulseResponse(channels: Samples[], sampleRate: number, options: ImpulseResponseOptions = {}): ImpulseResponseAnalysis {
  const bank = options.bands ? multirateOctaveFilterBank(sampleRate) : [];
  return {
    sampleRate,
    durationSeconds: (channels[0]?.length ?? 0) / sampleRate,
    channels: channels.map((h) => {
      const broadband = analyzeDecay(h, sampleRate, { lundeby: options.lundeby });
      const profile = echoDensityProfile(h, sampleRate);
      const onset = Number.isFinite(broadband.onsetSeconds) ? broadband.onsetSeconds : 0;
      const result: ChannelImpulseAnalysis = {
        ...broadband,
        echoDensityEarly: meanBetween(profile.timesSeconds, profile.echoDensity, onset, onset + 0.1),
        echoDensityLate: meanBetween(profile.timesSeconds, profile.echoDensity, onset + 0.1, broadband.integrationEndSeconds),
        mixingTimeSeconds: mixingTimeSeconds(profile, onset),
      };
      if (options.bands) {
        result.bands = splitOctaveBands(h, sampleRate, bank).map(({ filter: f, signal, sampleRate: rate }) => ({
          nominalHz: f.nominalHz,
          centreHz: f.centreHz,
          ...analyzeDecay(signal, rate, { lundeby: options.lundeby, bandwidthHz: f.upperHz - f.lowerHz }),
        }));
      }
      return result;
    }),
  };
}
