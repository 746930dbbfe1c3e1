/** Result of an ordinary least-squares line y ≈ intercept + slope·x. */
export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination r² in [0, 1]; 1 for a perfect line. */
  rSquared: number;
}

/**
 * Least-squares line through y[from..to) against x = i·dx (i the index in y), computed with centred
 * sums so a long run of samples (10⁵ and more) keeps double precision:
 * slope = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², r² = slope²·Σ(x−x̄)² / Σ(y−ȳ)².
 * Needs at least two points; returns null otherwise.
 */
export function fitLine(y: ArrayLike<number>, from: number, to: number, dx = 1): LineFit | null {
  const n = to - from;
  if (n < 2) return null;
  const xMean = ((from + to - 1) / 2) * dx;
  let yMean = 0;
  for (let i = from; i < to; i++) yMean += y[i];
  yMean /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const dxi = i * dx - xMean;
    const dyi = y[i] - yMean;
    sxx += dxi * dxi;
    sxy += dxi * dyi;
    syy += dyi * dyi;
  }
  const slope = sxy / sxx;
  const rSquared = syy > 0 ? Math.min(1, (sxy * sxy) / (sxx * syy)) : 1;
  return { slope, intercept: yMean - slope * xMean, rSquared };
}
