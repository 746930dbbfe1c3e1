/**
 * Periodic Hann window of `size` points, w[i] = 0.5 − 0.5·cos(2π·i/N), i = 0 … N−1 (the DFT-even form:
 * w[0] = 0, peak 1 at N/2, Σw = N/2, Σw² = 3N/8 for N ≥ 2), the window for STFT frames and Welch spectra:
 * 50 % overlapped frames sum to a constant. Reference: Harris, Proc. IEEE 66 (1978).
 */
export function hannWindow(size: number): Float64Array {
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  return window;
}
