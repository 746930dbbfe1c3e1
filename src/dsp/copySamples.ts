/**
 * Copies `n` samples from `from[fromIndex…]` to `to[toIndex…]`, element by element: `to.set(from.subarray(…))`
 * would allocate a view object per call, which on an audio thread is garbage every period (the render
 * worker's rings and capture tap allocated ~18 KB a period that way at 32 + 32 channels). Allocates nothing.
 */
export function copySamples(from: Float32Array, fromIndex: number, to: Float32Array, toIndex: number, n: number): void {
  for (let i = 0; i < n; i++) to[toIndex + i] = from[fromIndex + i];
}
