/**
 * p-th percentile (p in 0…100, clamped) of values sorted ascending, by linear interpolation between order
 * statistics (numpy's default, Hyndman & Fan type 7): rank = p/100·(n − 1),
 *   P = x[⌊rank⌋] + (rank − ⌊rank⌋)·(x[⌊rank⌋ + 1] − x[⌊rank⌋]).
 * [1, 2, 3, 4, 5] gives P0 = 1, P50 = 3, P90 = 4.6, P100 = 5. NaN for no values (callers that report
 * "not measured" test the length first).
 */
export function percentile(sortedValues: ArrayLike<number>, p: number): number {
  const n = sortedValues.length;
  if (n === 0) return Number.NaN;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
  const lo = Math.floor(rank), hi = Math.min(n - 1, lo + 1);
  return sortedValues[lo] + (rank - lo) * (sortedValues[hi] - sortedValues[lo]);
}
