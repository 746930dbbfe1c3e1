import type { Preset } from '../presets/presetStore.ts';
import { engineRegistry } from '../presets/engineRegistry.ts';

/** Version of the golden sidecar format. */
export const GOLDEN_FORMAT_VERSION = 1;
/** Version of the fixed test input (testSignal.ts); bump when the signal changes (every golden goes stale). */
export const TEST_SIGNAL_VERSION = 'impulse+sweep+noise/1';

/**
 * How a golden is rendered. Recorded in the sidecar and hashed with the preset, so a change here
 * marks goldens stale instead of comparing renders made differently.
 */
export interface GoldenRenderSettings {
  sampleRate: number;
  blockFrames: number;
  /** Effects: the test input (see testSignal.ts); instruments: the preset's performance. */
  input: 'test-signal' | 'performance';
  testSignal?: string;
  /** Effects: the impulse-response segment (an impulse at frame 0), before the excitation starts. */
  irSeconds?: number;
  /** Effects: length of the excitation after the impulse-response segment. */
  excitationSeconds?: number;
  /** Total render length. */
  seconds: number;
}

export const GOLDEN_SAMPLE_RATE = 48000;
export const GOLDEN_BLOCK_FRAMES = 128;

/**
 * THE tolerances of the golden comparison (the one place they are stated). A render whose sample hash
 * equals the golden's passes outright; otherwise both the null test and every metric must be within:
 * - residualDb: energy of (new − golden) relative to the golden's energy, dB (−60 dB = 0.1 % amplitude);
 * - rt60Percent / edtPercent / centroidPercent: relative change of RT60 (T30, broadband and the octave
 *   bands COMPARED_BANDS_HZ), EDT and spectral centroid;
 * - c80Db, loudnessLu, peakDb: absolute change of C80, integrated loudness, sample and true peak.
 */
export const GOLDEN_TOLERANCES = {
  residualDb: -60,
  rt60Percent: 2,
  edtPercent: 2,
  c80Db: 0.2,
  centroidPercent: 1,
  loudnessLu: 0.1,
  peakDb: 0.1,
} as const;

/**
 * Octave bands whose RT60 is compared (the 250 Hz – 4 kHz). The sidecar records every band the
 * analysis gives; 63/125 Hz and 8 kHz of a short impulse response are too ill-conditioned to gate on.
 */
export const COMPARED_BANDS_HZ: readonly string[] = ['250', '500', '1000', '2000', '4000'];

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Render settings of a preset's golden. Effects: 48 kHz, an impulse-response segment as long as the
 * target (or parameter) RT60, within 0.3…2 s — 60 dB of decay, so T30 (which needs 45 dB) is measured
 * with 15 dB to spare instead of flipping between a value and "insufficient range" on a rounding
 * change (seen at 0.75 × RT60) — then 0.65 s of excitation (the whole test signal). Instruments: the
 * performance's length (0.2 s in the shipped presets: 32 channels cost 1.2 MB per preset). Kept short
 * so golden/ stays under 20 MB.
 */
export function goldenSettingsFor(preset: Preset): GoldenRenderSettings {
  const entry = engineRegistry[preset.engine];
  if (entry.kind === 'instrument') {
    return { sampleRate: GOLDEN_SAMPLE_RATE, blockFrames: GOLDEN_BLOCK_FRAMES, input: 'performance', seconds: preset.performance?.seconds ?? 0.5 };
  }
  const paramRt60 = (preset.params as { rt60Seconds?: unknown }).rt60Seconds;
  const rt60 = preset.targets?.rt60Seconds ?? (typeof paramRt60 === 'number' && preset.engine === 'reverb' ? paramRt60 : 0);
  const irSeconds = Math.round(clamp(rt60, 0.3, 2) * 100) / 100;
  const excitationSeconds = 0.65;
  return {
    sampleRate: GOLDEN_SAMPLE_RATE, blockFrames: GOLDEN_BLOCK_FRAMES, input: 'test-signal', testSignal: TEST_SIGNAL_VERSION,
    irSeconds, excitationSeconds, seconds: irSeconds + excitationSeconds,
  };
}
