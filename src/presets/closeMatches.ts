/**
 * Levenshtein distance (insertions, deletions, substitutions, each 1) by the two-row dynamic programme,
 * O(|a|·|b|) time; inputs are cut to 200 characters (names, not documents).
 */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, 200);
  const t = b.slice(0, 200);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length];
}

/**
 * The candidates a mistyped `name` most likely meant, best first, at most `max`: those containing it
 * or contained in it (case-insensitive), and those within an edit distance of max(2, ⌊length/3⌋)
 * ("cathedrl" → cathedral, "hall" → concert-hall, dark-hall).
 */
export function closeMatches(name: string, candidates: readonly string[], max = 3): string[] {
  const n = name.toLowerCase();
  const limit = Math.max(2, Math.floor(n.length / 3));
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = editDistance(n, lc);
      const contains = n.length >= 3 && (lc.includes(n) || n.includes(lc));
      return { c, score: contains ? Math.min(d, limit) - 0.5 : d };
    })
    .filter((x) => x.score <= limit)
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}
