/** Level below the impulse's peak that the rest of the input must stay under, dB (the decay analysis needs 45 dB for T30). */
export const SILENCE_BELOW_PEAK_DB = 80;
/** Shortest stretch of silence after an impulse that is worth analysing (T30 of a 0.3 s reverb needs ~0.2 s). */
export const MIN_RESPONSE_SECONDS = 0.25;

/** Where the engine's impulse response can be read from a window of input and output. */
export type ImpulseInInput =
  | { ok: true; startFrame: number; endFrame: number }
  | { ok: false; reason: string };

/**
 * Finds an impulse in a window of the effect's input that is followed by silence, so that the output
 * from that frame until the input starts again is the engine's impulse response (plus the tails of
 * earlier input, which must have decayed: that is the user's choice of period).
 *
 * An impulse is a frame whose largest sample over the channels is the window's peak (within 1 dB), with
 * every later frame more than SILENCE_BELOW_PEAK_DB below it up to the next impulse or the end of the
 * window; of several, the one with the longest silence after it. Null-with-reason when there is none
 * or its silence is shorter than MIN_RESPONSE_SECONDS.
 */
export function findImpulseInInput(dry: readonly Float32Array[], sampleRate: number): ImpulseInInput {
  const frames = dry[0]?.length ?? 0;
  const level = new Float32Array(frames);
  for (const x of dry) for (let i = 0; i < frames; i++) level[i] = Math.max(level[i], Math.abs(x[i]));
  let peak = 0;
  for (let i = 0; i < frames; i++) if (level[i] > peak) peak = level[i];
  if (peak === 0) return { ok: false, reason: 'the input is silent over the snapshot: no impulse to read a response from' };
  const impulseLevel = peak * 10 ** (-1 / 20);
  const silence = peak * 10 ** (-SILENCE_BELOW_PEAK_DB / 20);
  let best: { startFrame: number; endFrame: number } | null = null;
  for (let i = 0; i < frames; i++) {
    if (level[i] < impulseLevel) continue;
    let j = i + 1;
    while (j < frames && level[j] <= silence) j++;
    if (!best || j - i > best.endFrame - best.startFrame) best = { startFrame: i, endFrame: j };
    i = j - 1;
  }
  const longest = best ? (best.endFrame - best.startFrame) / sampleRate : 0;
  if (!best || longest < MIN_RESPONSE_SECONDS) {
    return {
      ok: false,
      reason: `the input has no impulse followed by ${MIN_RESPONSE_SECONDS} s of silence (${SILENCE_BELOW_PEAK_DB} dB below it) in the snapshot (longest: ${longest.toFixed(3)} s); play impulses into the server (e.g. rig serve --input with a click every 2 s) to measure the decay live`,
    };
  }
  return { ok: true, ...best };
}
