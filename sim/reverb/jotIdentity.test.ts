import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/engine/render.ts';
import { FdnReverb } from '../../src/reverb/fdnReverb.ts';
import type { ReverbParamsInput } from '../../src/reverb/reverbParams.ts';

const SAMPLE_RATE = 48000;
/** Float32 output: each sample carries up to 2⁻²⁴ relative rounding; the bound is stated against the peak. */
const LIMIT_RE_PEAK = 2e-7;

function impulseResponse(params: Partial<ReverbParamsInput>, frames: number): Float32Array[] {
  const impulse = new Float32Array(frames);
  impulse[0] = 1;
  return render(new FdnReverb({ wetDry: 1, preDelayMs: 0, ...params }), { sampleRate: SAMPLE_RATE, blockFrames: 256, frames, input: [impulse, impulse] });
}

/** max |h_lossy[n] − γⁿ·h_lossless[n]| over both outputs, relative to the lossless peak. */
function gammaIdentityError(lossy: Float32Array[], lossless: Float32Array[], gamma: number): number {
  let worst = 0;
  let peak = 0;
  for (let c = 0; c < lossy.length; c++) {
    let g = 1;
    for (let n = 0; n < lossy[c].length; n++) {
      worst = Math.max(worst, Math.abs(lossy[c][n] - g * lossless[c][n]));
      peak = Math.max(peak, Math.abs(lossless[c][n]));
      g *= gamma;
    }
  }
  return worst / peak;
}

describe("Jot's γⁿ identity", () => {
  it('with an orthogonal matrix and Jot gains g_i = γ^(m_i), the impulse response equals the lossless one times γⁿ', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 8, 16),
        fc.constantFrom('hadamard' as const, 'householder' as const, 'randomOrthogonal' as const),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        (lines, matrix, rt60Seconds, seed, shelved) => {
          const frames = 9600;
          const common = { lines, matrix, seed } as const;
          const lossless = impulseResponse({ ...common, decayMode: 'manual', feedbackGain: 1, damping: 0 }, frames);
          // `shelved`: a low target equal to the others runs the shelved kernels, whose shelf is then the identity.
          const low = shelved ? { rt60LowSeconds: rt60Seconds } : {};
          const lossy = impulseResponse({ ...common, decayMode: 'rt60', rt60Seconds, rt60HighSeconds: null, ...low }, frames);
          const gamma = 10 ** (-3 / (SAMPLE_RATE * rt60Seconds));
          const error = gammaIdentityError(lossy, lossless, gamma);
          expect(error, `${lines} lines, ${matrix}, T60 ${rt60Seconds} s${shelved ? ' (shelved kernels)' : ''}: error ${error.toExponential(2)} of the peak`).toBeLessThan(LIMIT_RE_PEAK);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('fails for equal line gains (γ^(mean m) on every line instead of Jot\'s rule): the error is far above the limit', () => {
    const frames = 9600;
    const rt60Seconds = 1;
    const lossless = impulseResponse({ lines: 8, decayMode: 'manual', feedbackGain: 1, damping: 0 }, frames);
    const engine = new FdnReverb({ lines: 8, decayMode: 'manual', damping: 0, wetDry: 1 });
    engine.prepare({ sampleRate: SAMPLE_RATE, maxBlockFrames: 256 });
    const meanDelay = engine.delaySamples.reduce((a, b) => a + b, 0) / engine.delaySamples.length;
    const uniform = new FdnReverb({ lines: 8, decayMode: 'manual', damping: 0, wetDry: 1, feedbackGain: 10 ** ((-3 * meanDelay) / (SAMPLE_RATE * rt60Seconds)) });
    const impulse = new Float32Array(frames);
    impulse[0] = 1;
    const lossy = render(uniform, { sampleRate: SAMPLE_RATE, blockFrames: 256, frames, input: [impulse, impulse] });
    expect(gammaIdentityError(lossy, lossless, 10 ** (-3 / (SAMPLE_RATE * rt60Seconds)))).toBeGreaterThan(100 * LIMIT_RE_PEAK);
  });
});
