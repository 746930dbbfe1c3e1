import { CubicInterpolator } from './cubicInterpolator.ts';
import type { Interpolator, InterpolatorKind } from './interpolator.ts';
import { LinearInterpolator } from './linearInterpolator.ts';
import { NoInterpolator } from './noInterpolator.ts';
import { ThiranInterpolator } from './thiranInterpolator.ts';

export const interpolatorKinds: readonly InterpolatorKind[] = ['none', 'linear', 'cubic', 'thiran'];

/** A fresh interpolator of `kind` (each stateful one belongs to one delay line). */
export function createInterpolator(kind: InterpolatorKind): Interpolator {
  switch (kind) {
    case 'none':
      return new NoInterpolator();
    case 'linear':
      return new LinearInterpolator();
    case 'cubic':
      return new CubicInterpolator();
    case 'thiran':
      return new ThiranInterpolator();
    default:
      throw new RangeError(`interpolator: unknown kind ${JSON.stringify(kind)}; expected one of ${interpolatorKinds.join(', ')}`);
  }
}
