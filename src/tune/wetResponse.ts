import type { TunableValues } from './tunableParams.ts';

/**
 * How to take an engine's dry path out of its output, for the decay figures: the reverb mixes
 * out = (1 − wetDry)·x + wetDry·y (src/reverb/dryWetMix.ts, x the input, y the network), so
 * out − (1 − wetDry)·x is the wet response alone, wetDry·y. Measured on the output with its dry path,
 * the direct sound dominates a mix such as small-room's (wetDry 0.25): the decay curve falls 10 dB at
 * once, EDT has no range to fit (or fits the step: chamber read 19 s), and C50/C80 measure the mix,
 * not the reverb. Engines not listed here have no decay figures.
 */
export const DRY_GAIN: Readonly<Record<string, (values: TunableValues) => number>> = {
  reverb: (values) => 1 - (values.wetDry ?? 0),
};

/** `out − dryGain·input`, per channel (input channel min(c, inputs − 1)), as new arrays. */
export function wetResponse(out: readonly Float32Array[], input: readonly Float32Array[], dryGain: number): Float32Array[] {
  return out.map((y, c) => {
    const x = input[Math.min(c, input.length - 1)];
    const wet = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) wet[i] = y[i] - dryGain * (x?.[i] ?? 0);
    return wet;
  });
}
