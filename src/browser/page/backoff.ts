/**
 * Delay before reconnection attempt `attempt` (0, 1, 2, …): 250 ms doubling per failed attempt, at most
 * 4 s — a restarted dev server is found within ~4 s, a stopped one costs one attempt every 4 s.
 * No random jitter: one page per server, nothing to spread out.
 */
export function reconnectDelayMs(attempt: number, firstMs = 250, maxMs = 4000): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, Math.min(attempt, 30)));
}
