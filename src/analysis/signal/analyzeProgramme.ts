import { type LoudnessOptions, type LoudnessResult, measureLoudness, truePeakDbtpOf } from '../loudness/measureLoudness.ts';
import { type PowerSpectrum, powerSpectrum } from '../spectral/powerSpectrum.ts';
import { spectralFeatures } from '../spectral/spectralFeatures.ts';
import { assertFinite } from './firstNonFinite.ts';
import { levelMetricsFromSums, levelMetricsPerChannel } from './levelMetrics.ts';
import { ProgrammeOffThread } from './programmeOffThread.ts';
import type { Samples } from './samples.ts';

/** Figures for programme material (music, a render). Null where the signal gives no meaning (silence, too short). */
export interface ProgrammeAnalysis {
  sampleRate: number;
  channelCount: number;
  durationSeconds: number;
  integratedLufs: number | null;
  momentaryMaxLufs: number | null;
  shortTermMaxLufs: number | null;
  loudnessRangeLu: number | null;
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  rmsDbfs: number | null;
  crestFactorDb: number | null;
  centroidHz: number | null;
  bandwidthHz: number | null;
  flatness: number | null;
  /** Per-channel sample peak and RMS, dBFS (null for a silent channel). */
  perChannel: { peakDbfs: number | null; rmsDbfs: number | null; crestFactorDb: number | null }[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Loudness (ITU-R BS.1770-4 / EBU R128 via measureLoudness: integrated, momentary and short-term maxima,
 * loudness range, true peak), sample peak, RMS and crest factor (over all channels and per channel), and
 * spectral centroid, bandwidth and flatness of the channels' averaged Welch spectrum (averaging power
 * spectra rather than summing channels avoids cancellation between out-of-phase channels).
 * −Infinity levels (silence, a file shorter than the 400 ms / 3 s windows) are reported as null.
 * `channelWeights`: loudness's weight per channel (e.g. channelWeightsFromMask of the file's speaker
 * positions); measureLoudness's layout defaults otherwise.
 */
export function analyzeProgramme(channels: Samples[], sampleRate: number, { channelWeights }: Pick<LoudnessOptions, 'channelWeights'> = {}): ProgrammeAnalysis {
  const levels = levelMetricsPerChannel(channels);
  const loudness = measureLoudness(channels.map((c) => (c instanceof Float32Array ? c : Float32Array.from(c))), sampleRate, { channelWeights });
  return programmeAnalysis(channels, sampleRate, levels, loudness, powerSpectrum(channels, sampleRate));
}

/**
 * The same figures, to the last bit, with the spectrum and the true peaks computed on a worker thread
 * (ProgrammeOffThread: channels on SharedArrayBuffers, as readWav gives them, and long enough to be
 * worth a thread) while this one measures levels and loudness. Pass a worker started before the file
 * was read (`ProgrammeOffThread.start()`) to overlap its start-up with the reading. A NaN or ±Infinity
 * sample throws NonFiniteSampleError.
 */
export async function analyzeProgrammeConcurrently(
  channels: Float32Array[],
  sampleRate: number,
  offThread: ProgrammeOffThread = ProgrammeOffThread.start(),
  options?: Parameters<ProgrammeOffThread['analyse']>[3],
  { channelWeights }: Pick<LoudnessOptions, 'channelWeights'> = {},
): Promise<ProgrammeAnalysis> {
  const { spectrum, truePeaksLinear, meanwhile } = await offThread.analyse(
    channels,
    sampleRate,
    ({ kWeightingPair, levelSums }) => {
      const levels = levelSums ? levelMetricsFromSums(levelSums(), channels.map((c) => c.length)) : levelMetricsPerChannel(channels);
      // Finite sums of squares mean finite samples (else NonFiniteSampleError names the first bad one, with no
      // separate pass over a good file); then the levels' peaks are the sample peaks loudness needs.
      if (!levels.perChannel.every((l) => Number.isFinite(l.rms))) assertFinite(channels);
      const samplePeaksLinear = levels.perChannel.map((l) => l.peak);
      const loudness = measureLoudness(channels, sampleRate, { truePeak: false, samplePeaksLinear, kWeightingPair, channelWeights });
      return { levels, loudness };
    },
    options,
  );
  const { levels, loudness } = meanwhile;
  return programmeAnalysis(channels, sampleRate, levels, { ...loudness, truePeakDbtp: truePeakDbtpOf(truePeaksLinear) }, spectrum);
}

function programmeAnalysis(
  channels: Samples[],
  sampleRate: number,
  { overall: levels, perChannel }: ReturnType<typeof levelMetricsPerChannel>,
  loudness: LoudnessResult,
  powerSpectrumOfChannels: PowerSpectrum,
): ProgrammeAnalysis {
  const spectrum = spectralFeatures(powerSpectrumOfChannels);
  return {
    sampleRate,
    channelCount: channels.length,
    durationSeconds: (channels[0]?.length ?? 0) / sampleRate,
    integratedLufs: loudness.integratedLufs,
    momentaryMaxLufs: finite(loudness.momentaryMaxLufs),
    shortTermMaxLufs: finite(loudness.shortTermMaxLufs),
    loudnessRangeLu: loudness.integratedLufs === null ? null : loudness.loudnessRangeLu,
    truePeakDbtp: finite(loudness.truePeakDbtp),
    samplePeakDbfs: finite(levels.peakDbfs),
    rmsDbfs: finite(levels.rmsDbfs),
    crestFactorDb: levels.crestFactorDb,
    centroidHz: spectrum.centroidHz,
    bandwidthHz: spectrum.bandwidthHz,
    flatness: spectrum.flatness,
    perChannel: perChannel.map((l) => ({ peakDbfs: finite(l.peakDbfs), rmsDbfs: finite(l.rmsDbfs), crestFactorDb: l.crestFactorDb })),
  };
}
