import type { GoldenCheck } from './compareGolden.ts';

/**
 * The three outcomes a person reads from a golden comparison. The engines are deterministic, so any
 * change of samples means the code changed: a change within tolerance passes (CI stays green) but is
 * always named, with its null-test residual, never folded into "identical".
 * - identical: same samples (sample hash) as the approved golden;
 * - changed: other samples, residual and every metric within GOLDEN_TOLERANCES;
 * - failed: outside a tolerance, or stale, missing or corrupt (see GoldenStatus).
 */
export type GoldenOutcome = 'identical' | 'changed' | 'failed';

type Judged = Pick<GoldenCheck, 'ref' | 'status' | 'ok' | 'message' | 'residualDb'>;

export function goldenOutcome(check: Judged): GoldenOutcome {
  if (!check.ok) return 'failed';
  return check.status === 'identical' ? 'identical' : 'changed';
}

/** "identical", "changed within tolerance (residual −87.3 dB)" or "failed: <why>". */
export function describeOutcome(check: Judged): string {
  switch (goldenOutcome(check)) {
    case 'identical':
      return 'identical';
    case 'changed':
      return `changed within tolerance (residual ${formatDb(check.residualDb)})`;
    default:
      return `failed: ${check.message}`;
  }
}

/** One line per preset and a count per outcome, as `rig golden review` prints them. */
export function reviewLines(checks: readonly Judged[]): string[] {
  const label: Record<GoldenOutcome, string> = { identical: 'ok     ', changed: 'CHANGED', failed: 'FAIL   ' };
  const lines = checks.map((c) => `${label[goldenOutcome(c)]}  ${c.ref}  ${describeOutcome(c)}`);
  const count = (o: GoldenOutcome) => checks.filter((c) => goldenOutcome(c) === o).length;
  lines.push(`${count('identical')} identical, ${count('changed')} changed within tolerance, ${count('failed')} failed (of ${checks.length} presets)`);
  return lines;
}

/** A residual in dB with a real minus sign, one decimal. */
export function formatDb(db: number | undefined): string {
  if (db === undefined || Number.isNaN(db)) return '— dB';
  if (db === -Infinity) return '−∞ dB';
  return `${db.toFixed(1).replace('-', '−')} dB`;
}
