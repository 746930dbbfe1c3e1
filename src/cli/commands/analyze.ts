import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { analyzeImpulseResponse } from '../../analysis/acoustics/analyzeImpulseResponse.ts';
import { CLARITY_REQUIRED_DB, type DecayAnalysis } from '../../analysis/acoustics/decayAnalysis.ts';
import { describeDecayRefusal } from '../../analysis/acoustics/decayFit.ts';
import { channelWeightsFromMask } from '../../analysis/loudness/measureLoudness.ts';
import { analyzeProgrammeConcurrently } from '../../analysis/signal/analyzeProgramme.ts';
import { assertFinite, NonFiniteSampleError } from '../../analysis/signal/firstNonFinite.ts';
import { ProgrammeOffThread } from '../../analysis/signal/programmeOffThread.ts';
import { type Audio, readWav, WavError } from '../../io/wavFile.ts';
import { CliError } from '../cliError.ts';
import { printFigures } from '../output.ts';

/** Exit code when the file was read but a figure that applies could not be measured. */
export const EXIT_UNMEASURABLE = 3;

/** A figure that applies but could not be measured: its key, a one-line reason, and the typed result behind it. */
interface Problem {
  figure: string;
  message: string;
  detail?: object;
}

interface Collected {
  figures: Record<string, unknown>;
  problems: Problem[];
}

/** Records a refused figure: text output shows the reason in place of the value, JSON shows null plus the problem. */
function refuse(out: Collected, figure: string, label: string, why: string, detail?: object): void {
  out.figures[figure] = `not measurable (${why})`;
  out.problems.push({ figure, message: `${label}: ${why}`, ...(detail ? { detail } : {}) });
}

/** Adds one decay's figures under `prefix`; refused figures get their reason as the value and a problem line. */
function addDecay(out: Collected, prefix: string, where: string, d: DecayAnalysis, full: boolean): void {
  for (const [name, key, result] of [['EDT', 'edt', d.edt], ['T20', 't20', d.t20], ['T30', 't30', d.t30]] as const) {
    if (!result) continue;
    if (result.ok) {
      out.figures[`${prefix}${key}Seconds`] = result.seconds;
      if (full) out.figures[`${prefix}${key}XiPermille`] = result.xiPermille;
    } else {
      refuse(out, `${prefix}${key}Seconds`, `${name} ${where}`, describeDecayRefusal(result), result);
    }
  }
  if (full) out.figures[`${prefix}curvaturePercent`] = d.curvaturePercent;
  const shallow = d.dynamicRangeDb < CLARITY_REQUIRED_DB;
  for (const [name, key, value, early] of [['C50', 'c50Db', d.c50Db, 50], ['C80', 'c80Db', d.c80Db, 80], ['D50', 'd50', d.d50, 50]] as const) {
    if (value !== null) {
      out.figures[`${prefix}${key}`] = value;
      continue;
    }
    const why = shallow
      ? `only ${d.dynamicRangeDb.toFixed(1)} dB of decay above the noise, ${CLARITY_REQUIRED_DB} dB needed`
      : `the response ends less than ${early} ms after its onset`;
    refuse(out, `${prefix}${key}`, `${name} ${where}`, why, shallow ? { reason: 'insufficient-dynamic-range', availableDb: d.dynamicRangeDb, requiredDb: CLARITY_REQUIRED_DB } : { reason: 'response-too-short', requiredSeconds: early / 1000 });
  }
  out.figures[`${prefix}dynamicRangeDb`] = d.dynamicRangeDb;
  if (full) {
    out.figures[`${prefix}onsetSeconds`] = d.onsetSeconds;
    out.figures[`${prefix}noiseFloorDbfs`] = d.noiseFloorDbfs;
    out.figures[`${prefix}integrationEndSeconds`] = d.integrationEndSeconds;
  }
}

function impulseResponseFigures(file: string, channels: Float32Array[], sampleRate: number, bands: boolean, lundeby: boolean): Collected {
  const analysis = analyzeImpulseResponse(channels, sampleRate, { bands, lundeby });
  const out: Collected = { figures: { file, kind: 'impulse-response', sampleRateHz: sampleRate, channelCount: channels.length, durationSeconds: analysis.durationSeconds }, problems: [] };
  analysis.channels.forEach((c, i) => {
    const ch = channels.length > 1 ? `ch${i + 1}.` : '';
    const where = channels.length > 1 ? `(channel ${i + 1})` : '(broadband)';
    if (!Number.isFinite(c.onsetSeconds)) throw new CliError(`${file}: channel ${i + 1} is digitally silent — no impulse response to analyse`, EXIT_UNMEASURABLE);
    addDecay(out, ch, where, c, true);
    out.figures[`${ch}echoDensityEarly`] = c.echoDensityEarly;
    out.figures[`${ch}echoDensityLate`] = c.echoDensityLate;
    out.figures[`${ch}mixingTimeSeconds`] = c.mixingTimeSeconds;
    for (const b of c.bands ?? []) addDecay(out, `${ch}band${b.nominalHz}Hz.`, `in the ${b.nominalHz} Hz band${channels.length > 1 ? ` of channel ${i + 1}` : ''}`, b, false);
  });
  return out;
}

async function programmeFigures(file: string, { channels, sampleRate, channelMask }: Audio, offThread: ProgrammeOffThread): Promise<Collected> {
  // Loudness weights the channels by the speaker positions the file declares (LFE out, surrounds 1.41), if any.
  const channelWeights = channelMask ? channelWeightsFromMask(channelMask, channels.length) : undefined;
  const p = await analyzeProgrammeConcurrently(channels, sampleRate, offThread, undefined, { channelWeights });
  if (p.samplePeakDbfs === null) throw new CliError(`${file}: is digitally silent — no level, loudness or spectrum to measure`, EXIT_UNMEASURABLE);
  const { perChannel, ...overall } = p;
  const out: Collected = { figures: { file, kind: 'programme', sampleRateHz: overall.sampleRate, channelCount: overall.channelCount, durationSeconds: overall.durationSeconds }, problems: [] };
  const { sampleRate: _r, channelCount: _c, durationSeconds: _d, ...metrics } = overall;
  const needs: Partial<Record<keyof typeof metrics, string>> = {
    integratedLufs: 'integrated loudness needs at least one 400 ms block above the −70 LUFS gate',
    momentaryMaxLufs: 'momentary loudness needs at least 400 ms of signal',
    shortTermMaxLufs: 'short-term loudness needs at least 3 s of signal',
    loudnessRangeLu: 'loudness range needs gated integrated loudness',
  };
  for (const [k, v] of Object.entries(metrics)) {
    const need = needs[k as keyof typeof metrics];
    if (v === null && need) refuse(out, k, k, need);
    else out.figures[k] = v;
  }
  if (channels.length > 1) perChannel.forEach((c, i) => Object.entries(c).forEach(([k, v]) => (out.figures[`ch${i + 1}.${k}`] = v)));
  return out;
}

/** A file that cannot be read or holds a non-finite sample: one line, exit 2; anything else as it is. */
function cliErrorOf(file: string, e: unknown): unknown {
  if (e instanceof WavError) return new CliError(e.message);
  if (e instanceof NonFiniteSampleError) return new CliError(`${file}: ${e.message}; no figure can be trusted`);
  return e;
}

/** The file's size (at least one byte per sample, so a bound on its samples), or Infinity when it cannot be read (readWav says why). */
function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function register(program: Command): void {
  program
    .command('analyze')
    .description(
      'print every metric that applies to a WAV file, with units: loudness, true peak, level, crest factor and spectrum for programme ' +
        `material; with --ir, EDT/T20/T30, C50/C80/D50, noise floor and echo density (per octave band with --bands). Exit ${EXIT_UNMEASURABLE} when a figure ` +
        'that applies cannot be measured (e.g. too little dynamic range for T30); the figures that can be measured are still printed',
    )
    .argument('<file>', 'WAV file (PCM or float)')
    .option('--ir', 'treat the file as an impulse response')
    .option('--bands', 'with an impulse response, also analyse octave bands 63 Hz – 8 kHz (16 kHz where fs allows); implies --ir')
    .option('--no-lundeby', 'integrate to the end of the file instead of truncating at the noise (Lundeby et al. 1995)')
    .option('--json', 'print the figures as one JSON document')
    .action(async (file: string, opts: { ir?: boolean; bands?: boolean; lundeby: boolean; json?: boolean }) => {
      const ir = Boolean(opts.ir || opts.bands);
      // Programme material: the worker for the spectrum and true peaks starts now, compiling its kernels, and
      // takes the channels as they are allocated: its spectrum follows the reading frame by frame.
      const offThread = ir ? undefined : ProgrammeOffThread.start({ maxSamples: fileBytes(file) });
      let audio: ReturnType<typeof readWav>;
      try {
        audio = readWav(file, { onStart: offThread && ((a, framesRead) => offThread.stream(a.channels, a.sampleRate, framesRead)) });
        // Programme analysis finds non-finite samples in its level pass; an impulse response is checked first.
        if (!offThread) assertFinite(audio.channels);
      } catch (e) {
        offThread?.close();
        throw cliErrorOf(file, e);
      }
      const { figures, problems } = offThread
        ? await programmeFigures(file, audio, offThread).catch((e: unknown) => {
            throw cliErrorOf(file, e);
          })
        : impulseResponseFigures(file, audio.channels, audio.sampleRate, Boolean(opts.bands), opts.lundeby);
      if (opts.json) {
        for (const p of problems) figures[p.figure] = null;
        figures.problems = problems;
      }
      printFigures(figures, Boolean(opts.json));
      if (problems.length) {
        const list = problems.map((p) => p.message).join('; ');
        throw new CliError(`${file}: ${problems.length} figure${problems.length > 1 ? 's' : ''} not measurable — ${list}`, EXIT_UNMEASURABLE);
      }
    });
}
