import { analyzeImpulseResponse } from '../analysis/acoustics/analyzeImpulseResponse.ts';
import { CLARITY_REQUIRED_DB } from '../analysis/acoustics/decayAnalysis.ts';
import { describeDecayRefusal } from '../analysis/acoustics/decayFit.ts';
import { analyzeProgramme } from '../analysis/signal/analyzeProgramme.ts';
import { compareDryWet } from '../analysis/signal/compareDryWet.ts';
import { thdPlusNoise } from '../analysis/signal/thdPlusNoise.ts';
import { DECAY_FIGURES, TUNING_FIGURE_NAMES, type TuningFigure } from './tuningFigures.ts';
import { wetResponse } from './wetResponse.ts';

/** What one measurement of a tuner analyses: input and output over the same frames, and where the decay comes from. */
export interface TuningCapture {
  sampleRate: number;
  /** The effect's input over the analysis window. */
  dry: Float32Array[];
  /** The effect's output over the same frames. */
  wet: Float32Array[];
  /** The gain of the engine's dry path in the output (reverb: 1 − wetDry), or null when it has none to separate. */
  dryGain: number | null;
  /** The engine's impulse response and where it came from, or why there is none. */
  impulseResponse: { channels: Float32Array[]; source: string } | { reason: string; notApplicable?: boolean };
}

/** A tuner's figures (see TUNING_FIGURES for each one's meaning and unit). */
export interface TuningMetrics {
  engine: string;
  sampleRateHz: number;
  windowSeconds: number;
  figures: Record<TuningFigure, number | null>;
  /** Why each null figure could not be measured. */
  unmeasured: Partial<Record<TuningFigure, string>>;
  /** Where the decay figures were read from (null when they were not measured). */
  decaySource: string | null;
  /**
   * Null figures that do not apply to this engine or input (decay figures of an effect that is not a
   * reverb, THD+N without a sine input), as against figures that apply and could not be measured.
   */
  notApplicable: TuningFigure[];
}

/** Largest THD+N an input may have and still count as a sine (then the output's THD+N is measured). */
export const SINE_INPUT_MAX_THD_DB = -40;
/** How much of the input the sine test reads (the fit is least squares over every sample). */
const SINE_TEST_SECONDS = 0.5;

function mean(values: (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v as number), 0) / values.length;
}

function decayFigures(out: TuningMetrics, capture: TuningCapture): void {
  if (!('channels' in capture.impulseResponse)) {
    for (const f of DECAY_FIGURES) out.unmeasured[f] = capture.impulseResponse.reason;
    if (capture.impulseResponse.notApplicable) out.notApplicable.push(...DECAY_FIGURES);
    return;
  }
  out.decaySource = capture.impulseResponse.source;
  const channels = analyzeImpulseResponse(capture.impulseResponse.channels, capture.sampleRate).channels;
  const refusal = (key: 't30' | 'edt'): string => {
    const bad = channels.find((c) => !c[key]?.ok);
    return bad ? describeDecayRefusal(bad[key]) : '';
  };
  const set = (f: TuningFigure, v: number | null, why: () => string) => {
    out.figures[f] = v;
    if (v === null) out.unmeasured[f] = why();
  };
  const shallow = () => {
    const worst = Math.min(...channels.map((c) => c.dynamicRangeDb));
    return worst < CLARITY_REQUIRED_DB ? `only ${worst.toFixed(1)} dB of decay above the noise, ${CLARITY_REQUIRED_DB} dB needed` : 'the response ends too soon after its onset';
  };
  set('t30Seconds', mean(channels.map((c) => c.t30Seconds)), () => `T30: ${refusal('t30')}`);
  set('edtSeconds', mean(channels.map((c) => c.edtSeconds)), () => `EDT: ${refusal('edt')}`);
  set('c50Db', mean(channels.map((c) => c.c50Db)), shallow);
  set('c80Db', mean(channels.map((c) => c.c80Db)), shallow);
  set('echoDensity', mean(channels.map((c) => c.echoDensityLate)), () => 'the response ends within 100 ms of its onset');
}

/**
 * Measures a capture with the analysis library: the output's programme figures (analyzeProgramme), the
 * dry-versus-wet comparison (compareDryWet; THD+N when the input is a sine: its own THD+N below
 * SINE_INPUT_MAX_THD_DB), and the decay figures of the impulse response (analyzeImpulseResponse, mean of
 * the channels; null when any channel cannot give it). Offline and live call this same function on the
 * same kind of capture, which is why their figures agree.
 */
export function measureTuning(engine: string, capture: TuningCapture): TuningMetrics {
  const { sampleRate, dry, wet } = capture;
  const out: TuningMetrics = {
    engine,
    sampleRateHz: sampleRate,
    windowSeconds: (wet[0]?.length ?? 0) / sampleRate,
    figures: Object.fromEntries(TUNING_FIGURE_NAMES.map((f) => [f, null])) as Record<TuningFigure, number | null>,
    unmeasured: {},
    decaySource: null,
    notApplicable: [],
  };
  decayFigures(out, capture);

  const p = analyzeProgramme(wet, sampleRate);
  const silent = p.samplePeakDbfs === null;
  const programme: [TuningFigure, number | null, string][] = [
    ['integratedLufs', p.integratedLufs, 'integrated loudness needs at least one 400 ms block above the −70 LUFS gate'],
    ['shortTermMaxLufs', p.shortTermMaxLufs, 'short-term loudness needs at least 3 s of output'],
    ['truePeakDbtp', p.truePeakDbtp, 'the output is silent'],
    ['crestFactorDb', p.crestFactorDb, 'the output is silent'],
    ['centroidHz', p.centroidHz, 'the output is silent'],
    ['bandwidthHz', p.bandwidthHz, 'the output is silent'],
    ['flatness', p.flatness, 'the output is silent'],
  ];
  for (const [f, v, why] of programme) {
    out.figures[f] = v;
    if (v === null) out.unmeasured[f] = silent ? 'the output is silent' : why;
  }

  const sineTest = thdPlusNoise(dry[0].subarray(0, Math.round(SINE_TEST_SECONDS * sampleRate)), sampleRate);
  const sine = sineTest.ok && sineTest.thdPlusNoiseDb < SINE_INPUT_MAX_THD_DB ? sineTest.fundamentalHz : undefined;
  const dw = compareDryWet(dry, wet, sampleRate, sine === undefined ? {} : { sineFrequencyHz: sine });
  const dryWet: [TuningFigure, number | null][] = [['centroidShiftHz', dw.centroidShiftHz], ['energyRatioDb', dw.energyRatioDb], ['bandwidthChangeHz', dw.bandwidthChangeHz]];
  for (const [f, v] of dryWet) {
    out.figures[f] = v;
    if (v === null) out.unmeasured[f] = 'the input or the output is silent over the window';
  }
  if (capture.dryGain === null) {
    out.unmeasured.wetDryRatioDb = `${engine} has no dry path to weigh its wet signal against`;
    out.notApplicable.push('wetDryRatioDb');
  } else {
    const dryPart = dry.map((x) => x.map((v) => v * (capture.dryGain as number)));
    out.figures.wetDryRatioDb = compareDryWet(dryPart, wetResponse(wet, dry, capture.dryGain), sampleRate).energyRatioDb;
    if (out.figures.wetDryRatioDb === null) out.unmeasured.wetDryRatioDb = capture.dryGain === 0 ? 'the output has no dry path (wetDry 1)' : 'the input or the output is silent over the window';
  }
  if (dw.thdPlusNoise?.ok) out.figures.thdPlusNoiseDb = dw.thdPlusNoise.thdPlusNoiseDb;
  else if (dw.thdPlusNoise) out.unmeasured.thdPlusNoiseDb = `no sine found in the output (${dw.thdPlusNoise.reason})`;
  else {
    const own = sineTest.ok ? `its own THD+N is ${sineTest.thdPlusNoiseDb.toFixed(1)} dB, above −${-SINE_INPUT_MAX_THD_DB} dB` : 'it has no fundamental';
    out.unmeasured.thdPlusNoiseDb = `THD+N needs a sine input (${own}); tune with --input tone`;
    out.notApplicable.push('thdPlusNoiseDb');
  }
  return out;
}
