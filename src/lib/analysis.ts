/**
 * `studio-rig/analysis` — the measurement library: room acoustics (ISO 3382-1), loudness and true peak
 * (BS.1770), delay estimation, onsets, dropouts, spectra, level and distortion figures, WAV files.
 */
export { analyzeImpulseResponse, type ImpulseResponseAnalysis, type ImpulseResponseOptions } from '../analysis/acoustics/analyzeImpulseResponse.ts';
export { octaveBands, type OctaveBand } from '../analysis/acoustics/octaveBands.ts';
export { measureLoudness, type LoudnessOptions, type LoudnessResult } from '../analysis/loudness/measureLoudness.ts';
export { samplePeakLinear, truePeakLinear } from '../analysis/loudness/truePeak.ts';
export { estimateDelay, estimateDelays, type DelayEstimate, type DelayOptions } from '../analysis/latency/estimateDelay.ts';
export { detectOnsets, onsetAfter, type Onset, type OnsetOptions } from '../analysis/onset/detectOnsets.ts';
export { detectResidualDropouts, type ResidualDetectorOptions } from '../analysis/dropouts/residualDetector.ts';
export { PilotToneDetector, detectPilotDropouts, type PilotToneOptions } from '../analysis/dropouts/pilotToneDetector.ts';
export { powerSpectrum, type PowerSpectrum } from '../analysis/spectral/powerSpectrum.ts';
export { spectralFeatures, type SpectralFeatures } from '../analysis/spectral/spectralFeatures.ts';
export { analyzeProgramme, type ProgrammeAnalysis } from '../analysis/signal/analyzeProgramme.ts';
export { compareDryWet, type DryWetComparison } from '../analysis/signal/compareDryWet.ts';
export { levelMetrics, type LevelMetrics } from '../analysis/signal/levelMetrics.ts';
export { thdPlusNoise, type ThdPlusNoiseResult } from '../analysis/signal/thdPlusNoise.ts';
export { fitSine, type SineFit } from '../analysis/signal/sineFit.ts';
export { type Audio, WavError, readWav, writeWavAtomic } from '../io/wavFile.ts';
