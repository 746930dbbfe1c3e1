/**
 * Colour domain of a grid: min … max of the finite values, widened about its centre to at least
 * `minSpan` (so channels equal but for rounding noise share one colour instead of spanning the map),
 * the low end raised to `floor` when given (a residual of −300 dB is "exact", no darker than −160 dB),
 * the high end at least `top` when given (the residual map always reaches the −40 dB budget, so an
 * exact channel looks the same in every scenario).
 */
export function gridDomain(values: ReadonlyArray<number | null>, minSpan: number, floor = -Infinity, top = -Infinity): [number, number] {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  let lo = Math.max(floor, Math.min(...finite)), hi = Math.max(lo, top, Math.max(...finite));
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    [lo, hi] = [mid - minSpan / 2, mid + minSpan / 2];
  }
  return [lo, hi];
}
