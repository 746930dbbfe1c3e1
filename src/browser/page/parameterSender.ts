/**
 * Sends parameter changes to the server without piling up requests while a slider is dragged: at most
 * one request per parameter in flight; a value that arrives meanwhile waits, replaced by any newer one,
 * and goes when the answer comes. The server always ends with the last value, and one page never holds
 * more requests in flight than it has parameters being moved (the server bounds in-flight requests).
 */
export class ParameterSender {
  private readonly inFlight = new Set<string>();
  private readonly waiting = new Map<string, unknown>();
  /** Requests that failed (offline, refused): the last error, for the page to show. */
  lastError: string | null = null;

  constructor(private readonly request: (name: string, value: unknown) => Promise<unknown>) {}

  send(name: string, value: unknown): void {
    if (this.inFlight.has(name)) { this.waiting.set(name, value); return; }
    this.inFlight.add(name);
    this.request(name, value).catch((err: Error) => { this.lastError = err.message; }).finally(() => {
      this.inFlight.delete(name);
      if (this.waiting.has(name)) {
        const next = this.waiting.get(name);
        this.waiting.delete(name);
        this.send(name, next);
      }
    });
  }
}
