/**
 * Default FDN delay lengths: N lengths spread geometrically from `minMs` to `maxMs`, converted to
 * samples at the sample rate and each moved to the nearest prime not yet taken. Distinct primes are
 * pairwise coprime, so no two lines share a period and the modes of the loop do not pile up
 * (Jot & Chaigne 1991; Smith, PASP "Choice of Delay Lengths"). Lengths are in milliseconds, so the
 * room sounds the same size at every rate: at 48 kHz the defaults 23…67 ms for N = 8 give
 * 1103, 1289, 1499, 1747, 2039, 2371, 2767, 3217 samples.
 */
export function delayLengthsSamples(lines: number, sampleRate: number, minMs: number, maxMs: number): number[] {
  if (!(lines >= 1) || !Number.isInteger(lines)) throw new RangeError(`delayLengthsSamples: lines must be a positive integer, got ${lines}`);
  if (!(minMs > 0) || !(maxMs >= minMs)) throw new RangeError(`delayLengthsSamples: need 0 < minMs ≤ maxMs, got ${minMs}, ${maxMs}`);
  const taken = new Set<number>();
  const out: number[] = [];
  for (let i = 0; i < lines; i++) {
    const ms = lines === 1 ? minMs : minMs * (maxMs / minMs) ** (i / (lines - 1));
    const target = Math.max(2, Math.round((ms * sampleRate) / 1000));
    out.push(nearestFreePrime(target, taken));
    taken.add(out[i]);
  }
  return out;
}

/** The prime nearest to `n` (ties go up) that is not in `taken`. */
function nearestFreePrime(n: number, taken: ReadonlySet<number>): number {
  for (let d = 0; ; d++) {
    if (n + d >= 2 && isPrime(n + d) && !taken.has(n + d)) return n + d;
    if (n - d >= 2 && isPrime(n - d) && !taken.has(n - d)) return n - d;
  }
}

export function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  if (n % 2 === 0) return n === 2;
  for (let f = 3; f * f <= n; f += 2) if (n % f === 0) return false;
  return true;
}

export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}
