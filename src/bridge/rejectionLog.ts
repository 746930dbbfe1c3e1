import { escapeForLog } from '../host/logText.ts';

/**
 * Counts every rejection by reason and logs it as one escaped line (remote text never starts a new
 * line or moves a terminal's cursor: src/host/logText.ts). Counting is exact; logging is bounded to
 * `linesPerSecond` lines per reason per second, so a flood of 10 000 bad frames cannot flood the log:
 * the next line printed says how many were counted and not printed.
 */
export class RejectionLog {
  readonly counts: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly windows = new Map<string, { startMs: number; printed: number; suppressed: number }>();

  constructor(private readonly write: (line: string) => void, private readonly linesPerSecond = 5) {}

  /** Counts one rejection of `reason` and logs `detail` (escaped) unless this reason's budget is spent. */
  reject(reason: string, detail: string): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    const now = performance.now();
    let w = this.windows.get(reason);
    if (!w || now - w.startMs >= 1000) {
      const suppressed = w?.suppressed ?? 0;
      w = { startMs: now, printed: 0, suppressed: 0 };
      this.windows.set(reason, w);
      if (suppressed > 0) this.write(`rig bridge: ${suppressed} more ${reason} rejection(s) not logged`);
    }
    if (w.printed < this.linesPerSecond) {
      w.printed++;
      this.write(`rig bridge: rejected (${reason}): ${escapeForLog(detail)}`);
    } else w.suppressed++;
  }

  /** Logs one line about the bridge itself (not about a client: not rate-limited), escaped. */
  note(detail: string): void {
    this.write(`rig bridge: ${escapeForLog(detail)}`);
  }

  /** Counts an event that is not a rejection (connections, instances, failures). */
  count(name: string, by = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + by;
  }
}
