/**
 * Every figure a tuner reports, with its unit and what it means — one table that the metrics, the
 * description, `rig tune` and the MCP server's tool descriptions read. A figure that cannot be measured
 * is null, and `TuningMetrics.unmeasured` says why; none is ever estimated or filled in.
 */
export const TUNING_FIGURES = {
  // Decay: from the engine's impulse response (offline: rendered; live: cut from a snapshot after an impulse in the input).
  t30Seconds: { unit: 's', meaning: 'reverberation time T30: the −5…−35 dB slope of the Schroeder decay curve extrapolated to 60 dB (ISO 3382-1), mean of the output channels' },
  edtSeconds: { unit: 's', meaning: 'early decay time: the 0…−10 dB slope extrapolated to 60 dB (how long the reverb sounds at first)' },
  c50Db: { unit: 'dB', meaning: 'clarity C50: early (0–50 ms) to late energy of the impulse response (speech clarity)' },
  c80Db: { unit: 'dB', meaning: 'clarity C80: early (0–80 ms) to late energy of the impulse response (music clarity)' },
  echoDensity: { unit: '', meaning: 'normalised echo density (Abel & Huang) from 100 ms after the onset to the end of the decay; 1 = Gaussian, fully diffuse' },
  // The output over the analysis window.
  integratedLufs: { unit: 'LUFS', meaning: 'integrated loudness of the output window (ITU-R BS.1770-4, gated)' },
  shortTermMaxLufs: { unit: 'LUFS', meaning: 'largest short-term (3 s) loudness of the output window' },
  truePeakDbtp: { unit: 'dBTP', meaning: 'true peak of the output window (4× oversampled, BS.1770-4)' },
  crestFactorDb: { unit: 'dB', meaning: 'crest factor of the output window: sample peak over RMS' },
  centroidHz: { unit: 'Hz', meaning: "spectral centroid of the output's Welch spectrum (brightness)" },
  bandwidthHz: { unit: 'Hz', meaning: 'spectral bandwidth (spread about the centroid) of the output' },
  flatness: { unit: '', meaning: 'spectral flatness of the output, 0 (tonal) … 1 (white noise)' },
  // Dry versus wet over the same frames.
  centroidShiftHz: { unit: 'Hz', meaning: 'centroid of the output minus centroid of the input (negative: darker)' },
  energyRatioDb: { unit: 'dB', meaning: 'output energy over input energy, 10·log10(Σwet²/Σdry²) (positive: the effect adds energy)' },
  bandwidthChangeHz: { unit: 'Hz', meaning: 'spectral bandwidth of the output minus that of the input (negative: narrower)' },
  wetDryRatioDb: { unit: 'dB', meaning: "energy of the output's wet path over its dry path (reverb: out − (1 − wetDry)·in against (1 − wetDry)·in): how wet the mix sounds" },
  thdPlusNoiseDb: { unit: 'dB', meaning: 'THD+N of the output re its fundamental, when the input is a sine (everything the effect added that is not the tone)' },
} as const satisfies Record<string, { unit: string; meaning: string }>;

export type TuningFigure = keyof typeof TUNING_FIGURES;
export const TUNING_FIGURE_NAMES = Object.keys(TUNING_FIGURES) as TuningFigure[];
export const DECAY_FIGURES: readonly TuningFigure[] = ['t30Seconds', 'edtSeconds', 'c50Db', 'c80Db', 'echoDensity'];
