/** Values with |x| below this are flushed to 0: far above the float32 subnormal range (< 1.18e-38). */
export const DENORMAL_THRESHOLD = 1e-30;

/**
 * Returns 0 for |x| < 1e-30, else x (NaN passes through unchanged). Recursive filters decaying towards
 * zero would otherwise reach subnormal numbers, which are slow on x86 and forbidden in engine output.
 */
export function flushDenormal(x: number): number {
  return x < DENORMAL_THRESHOLD && x > -DENORMAL_THRESHOLD ? 0 : x;
}
