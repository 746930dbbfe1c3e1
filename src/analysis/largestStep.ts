/**
 * The largest sample-to-sample step max |x[n] − x[n−1]| over x: the click measure of the live tests
 * (a parameter jump or an engine switch is click-free when it stays within the bound its ramp allows).
 */
export function largestStep(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 1; i < x.length; i++) {
    const d = Math.abs(x[i] - x[i - 1]);
    if (d > m) m = d;
  }
  return m;
}
