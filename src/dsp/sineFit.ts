/**
 * Least-squares fit of y[n] ≈ A·cos(ωn + φ) over y[start … start + length), ω = 2π·cyclesPerSample:
 * solves the 2×2 normal equations for a·cos ωn + b·sin ωn, so it needs no whole number of periods.
 */
export function fitSine(
  y: ArrayLike<number>,
  start: number,
  length: number,
  cyclesPerSample: number,
): { amplitude: number; phaseRad: number } {
  const w = 2 * Math.PI * cyclesPerSample;
  let cc = 0;
  let ss = 0;
  let cs = 0;
  let yc = 0;
  let ys = 0;
  for (let n = start; n < start + length; n++) {
    const c = Math.cos(w * n);
    const s = Math.sin(w * n);
    cc += c * c;
    ss += s * s;
    cs += c * s;
    yc += y[n] * c;
    ys += y[n] * s;
  }
  const det = cc * ss - cs * cs;
  const a = (yc * ss - ys * cs) / det;
  const b = (ys * cc - yc * cs) / det;
  return { amplitude: Math.hypot(a, b), phaseRad: Math.atan2(-b, a) };
}

/** Wraps an angle to (−π, π]. */
export function wrapPhase(rad: number): number {
  return rad - 2 * Math.PI * Math.ceil((rad - Math.PI) / (2 * Math.PI));
}
