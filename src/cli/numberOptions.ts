import { InvalidArgumentError } from 'commander';

/**
 * The one `--seconds` parser every command uses, so the ranges read alike and a bad value is a usage
 * error (exit 2) before anything runs. `minSeconds` 0 means "more than 0"; any other minimum is inclusive.
 */
export function secondsOption(minSeconds: number, maxSeconds: number): (text: string) => number {
  const range = minSeconds === 0 ? `more than 0 and at most ${maxSeconds}` : `from ${minSeconds} to ${maxSeconds}`;
  return (text: string) => {
    const v = Number(text);
    const ok = Number.isFinite(v) && (minSeconds === 0 ? v > 0 : v >= minSeconds) && v <= maxSeconds;
    if (!ok) throw new InvalidArgumentError(`expected a number of seconds ${range}.`);
    return v;
  };
}

/** The same for a whole number in [min, max] (ports, periods, run counts), with what it counts in the message. */
export function integerOption(min: number, max: number, what: string): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min || v > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max} (${what}).`);
    return v;
  };
}

/** A number of milliseconds in [min, max]. */
export function millisecondsOption(min: number, max: number): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < min || v > max) throw new InvalidArgumentError(`expected a number of milliseconds from ${min} to ${max}.`);
    return v;
  };
}

/** Longest offline render or benchmark run, seconds. */
export const MAX_RENDER_SECONDS = 600;
/** Longest `rig serve --seconds`: a day. */
export const MAX_SERVE_SECONDS = 86_400;
