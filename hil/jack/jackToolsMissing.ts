import { onPath } from '../../src/io/onPath.ts';

/**
 * For tests that need a real JACK server: why they must be skipped (a tool is not installed), or
 * undefined when `jackd` and every tool named are on the PATH. Only a missing tool skips; a machine
 * with jackd but a broken addon or server fails the test instead.
 */
export function jackToolsMissing(...tools: string[]): string | undefined {
  const all = ['jackd', ...tools];
  return all.every((t) => onPath(t) !== undefined) ? undefined : `${all.join('/')} not installed (scripts/install-debian-packages.sh)`;
}
