import { analyzeImpulseResponse } from '../analysis/acoustics/analyzeImpulseResponse.ts';
import { measureLoudness } from '../analysis/loudness/measureLoudness.ts';
import { powerSpectrum } from '../analysis/spectral/powerSpectrum.ts';
import { spectralFeatures } from '../analysis/spectral/spectralFeatures.ts';
import type { GoldenRenderSettings } from './goldenSettings.ts';

/** The key figures recorded in a golden's sidecar and compared on a mismatch. Null = not measurable. */
export interface GoldenMetrics {
  /** T30 of the impulse-response segment, broadband, mean over channels. */
  rt60Seconds: number | null;
  /** T30 per octave band (nominal centre Hz → seconds), mean over channels. */
  rt60BandsSeconds: Record<string, number | null>;
  edtSeconds: number | null;
  c80Db: number | null;
  /** Power-weighted spectral centroid of the whole render, all channels. */
  centroidHz: number | null;
  integratedLufs: number | null;
  samplePeakDbfs: number | null;
  truePeakDbtp: number | null;
}

function meanOf(values: (number | null)[]): number | null {
  const ok = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return ok.length === values.length && ok.length > 0 ? ok.reduce((a, b) => a + b, 0) / ok.length : null;
}

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/**
 * Measures a render with the project's analysis library: ISO 3382-1 figures (T30, EDT, C80, octave
 * bands; src/analysis/acoustics) on the impulse-response segment of an effect render, the spectral
 * centroid (Welch spectrum) and BS.1770 loudness and peaks (src/analysis/loudness) on the whole render.
 */
export function goldenMetrics(channels: Float32Array[], settings: GoldenRenderSettings): GoldenMetrics {
  const { sampleRate } = settings;
  const metrics: GoldenMetrics = {
    rt60Seconds: null, rt60BandsSeconds: {}, edtSeconds: null, c80Db: null,
    centroidHz: null, integratedLufs: null, samplePeakDbfs: null, truePeakDbtp: null,
  };
  if (settings.input === 'test-signal' && settings.irSeconds) {
    const irFrames = Math.min(channels[0].length, Math.round(settings.irSeconds * sampleRate));
    const ir = channels.map((c) => c.subarray(0, irFrames));
    const analysis = analyzeImpulseResponse(ir, sampleRate, { bands: true });
    metrics.rt60Seconds = meanOf(analysis.channels.map((c) => c.t30Seconds));
    metrics.edtSeconds = meanOf(analysis.channels.map((c) => c.edtSeconds));
    metrics.c80Db = meanOf(analysis.channels.map((c) => c.c80Db));
    const nominals = analysis.channels[0]?.bands?.map((b) => b.nominalHz) ?? [];
    for (const [i, hz] of nominals.entries()) {
      metrics.rt60BandsSeconds[String(hz)] = meanOf(analysis.channels.map((c) => c.bands?.[i]?.t30Seconds ?? null));
    }
  }
  metrics.centroidHz = finiteOrNull(spectralFeatures(powerSpectrum(channels, sampleRate)).centroidHz);
  const loudness = measureLoudness(channels, sampleRate);
  metrics.integratedLufs = finiteOrNull(loudness.integratedLufs);
  metrics.samplePeakDbfs = finiteOrNull(loudness.samplePeakDbfs);
  metrics.truePeakDbtp = finiteOrNull(loudness.truePeakDbtp);
  return metrics;
}
