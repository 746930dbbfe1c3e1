import type { BiquadCoefficients } from '../../dsp/biquad.ts';

/**
 * K-weighting of ITU-R BS.1770-4, computed for any sample rate (not resampled), in the form libebur128
 * uses: both stages are bilinear-transform biquads with the pre-warp K = tan(π·f0/fs).
 *
 * - Stage 1, high shelf ("head"): f0 = 1681.974450955533 Hz, G = +3.999843853973347 dB,
 *   Q = 0.7071752369554196; Vh = 10^(G/20), Vb = Vh^0.4996667741545416, a0 = 1 + K/Q + K²,
 *   b = [Vh + Vb·K/Q + K², 2(K² − Vh), Vh − Vb·K/Q + K²] / a0, a = [1, 2(K² − 1)/a0, (1 − K/Q + K²)/a0].
 * - Stage 2, RLB high-pass: f0 = 38.13547087602444 Hz, Q = 0.5003270373238773, b = [1, −2, 1], a as above.
 *
 * At 48 kHz this reproduces the coefficient table of BS.1770-4 (Table 1 and 2) to better than 1e-8
 * (checked in kWeighting.test.ts). The cascade's gain at 1 kHz is about +0.69 dB, which is why the
 * loudness formula subtracts 0.691; measured +0.700 dB at 44.1 kHz, +0.698 at 48 kHz, +0.680 at 96 kHz
 * (the high-pass keeps b = [1, −2, 1] unnormalised, as the ITU table does), so a −23 dBFS stereo sine
 * reads −22.99 / −23.01 LUFS. Valid for sample rates above 2·f0 of the shelf, i.e. ≥ 8 kHz in practice.
 */
export interface KWeighting {
  shelf: BiquadCoefficients;
  highPass: BiquadCoefficients;
}

const SHELF_F0_HZ = 1681.974450955533;
const SHELF_GAIN_DB = 3.999843853973347;
const SHELF_Q = 0.7071752369554196;
const HIGHPASS_F0_HZ = 38.13547087602444;
const HIGHPASS_Q = 0.5003270373238773;

export function kWeighting(sampleRateHz: number): KWeighting {
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz >= 8000)) {
    throw new RangeError(`kWeighting: sample rate ${sampleRateHz} Hz is not supported (expected a finite rate ≥ 8000 Hz)`);
  }
  let k = Math.tan((Math.PI * SHELF_F0_HZ) / sampleRateHz);
  const vh = Math.pow(10, SHELF_GAIN_DB / 20);
  const vb = Math.pow(vh, 0.4996667741545416);
  let a0 = 1 + k / SHELF_Q + k * k;
  const shelf: BiquadCoefficients = {
    b0: (vh + (vb * k) / SHELF_Q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / SHELF_Q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / SHELF_Q + k * k) / a0,
  };
  k = Math.tan((Math.PI * HIGHPASS_F0_HZ) / sampleRateHz);
  a0 = 1 + k / HIGHPASS_Q + k * k;
  const highPass: BiquadCoefficients = {
    b0: 1,
    b1: -2,
    b2: 1,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / HIGHPASS_Q + k * k) / a0,
  };
  return { shelf, highPass };
}
