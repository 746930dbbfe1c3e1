import { measureLoudness } from '../analysis/loudness/measureLoudness.ts';
import { readWav, WavError } from '../io/wavFile.ts';
import type { ReaperResult } from './reaperResult.ts';

/** One loudness figure from both witnesses; `differenceLu` = REAPER − rig, null unless both measured it. */
export interface LoudnessPair {
  reaperLufs: number | null;
  rigLufs: number | null;
  differenceLu: number | null;
}

export interface RenderLoudness {
  renderPath: string;
  integrated: LoudnessPair;
  /** The largest short-term (3 s) loudness. */
  shortTermMax: LoudnessPair;
  /** Why our meter has no figure (the file is missing or not a WAV), else null. */
  rigProblem: string | null;
}

const pair = (reaper: number | null, rig: number | null): LoudnessPair => ({
  reaperLufs: reaper,
  rigLufs: rig,
  differenceLu: reaper !== null && rig !== null ? reaper - rig : null,
});

const finiteOrNull = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/**
 * The second witness for REAPER's meter: measures the render with the project's own BS.1770-4 meter
 * (measureLoudness, default channel weights) and sets its integrated and largest short-term loudness
 * beside REAPER's figures from the result.
 */
export function compareRenderLoudness(renderPath: string, result: ReaperResult): RenderLoudness {
  let rig: { integrated: number | null; shortTermMax: number | null } = { integrated: null, shortTermMax: null };
  let rigProblem: string | null = null;
  try {
    const audio = readWav(renderPath);
    const l = measureLoudness(audio.channels, audio.sampleRate, { truePeak: false });
    rig = { integrated: finiteOrNull(l.integratedLufs), shortTermMax: finiteOrNull(l.shortTermMaxLufs) };
  } catch (e) {
    if (!(e instanceof WavError)) throw e;
    rigProblem = e.message;
  }
  return {
    renderPath,
    integrated: pair(result.integrated_lufs, rig.integrated),
    shortTermMax: pair(result.short_term_lufs, rig.shortTermMax),
    rigProblem,
  };
}
