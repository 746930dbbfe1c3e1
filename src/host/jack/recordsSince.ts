/**
 * The records a writer has put in a power-of-two ring since its counter read `from`, oldest first: the
 * writer stores record i in slot i & (capacity − 1) and then counts it (int32, wrapping), so when more than
 * `capacity` were written since `from` the oldest were overwritten and are skipped. `read(slot)` reads one.
 */
export function recordsSince<T>(next: number, from: number, capacity: number, read: (slot: number) => T): T[] {
  const start = ((next - from) | 0) > capacity ? (next - capacity) | 0 : from;
  const out: T[] = [];
  for (let i = start; i !== next; i = (i + 1) | 0) out.push(read((i >>> 0) & (capacity - 1)));
  return out;
}
