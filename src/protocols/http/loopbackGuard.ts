/**
 * The first checks on every HTTP request and WebSocket upgrade of a server on localhost, before any work
 * (the DNS-rebinding and cross-site defences; `rig bridge` and `rig dev` both use it):
 * - `Host` must name the loopback interface the server listens on — `localhost`, `127.0.0.1` or
 *   `[::1]` — with the server's port. A page on evil.example whose name was re-pointed at 127.0.0.1
 *   still sends `Host: evil.example:<port>`, so it is refused.
 * - `Origin` (sent by every browser on a WebSocket upgrade and on cross-origin requests) must be the
 *   server's own page (`http://localhost:<port>`, `http://127.0.0.1:<port>`, `http://[::1]:<port>`) or one
 *   the user allowed (`allowOrigins`, the bridge's `--allow-origin`). Scheme and host compare
 *   case-insensitively, as origins do. A request without Origin is not from a web page (a Node client,
 *   curl): let through unless `requireOrigin` (the dev server's WebSocket upgrades, which every browser
 *   sends with one); the bridge then asks for its pairing token in HELLO.
 */
export type GuardVerdict = { ok: true; ownOrigin: boolean } | { ok: false; reason: 'host' | 'origin'; detail: string };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The Host values the server answers to. */
export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_NAMES.map((h) => `${h}:${port}`));
}

/** The server's own page's origins. */
export function ownOrigins(port: number): Set<string> {
  return new Set(LOOPBACK_NAMES.map((h) => `http://${h}:${port}`));
}

/**
 * An origin as the user wrote it, checked and normalised (scheme://host[:port], lower-case, no path):
 * the value browsers send in `Origin`. Throws on anything else.
 */
export function normaliseOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--allow-origin ${text}: not an origin; expected e.g. https://app.example.com or http://localhost:5173`);
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password || text.endsWith('/')) {
    throw new Error(`--allow-origin ${text}: expected scheme://host[:port] only (http or https, no path, no trailing slash)`);
  }
  return url.origin;
}

export interface GuardOptions {
  port: number;
  /** Other origins allowed (normalised by normaliseOrigin); none by default. */
  allowOrigins?: ReadonlySet<string>;
  /** Refuse a request without Origin (a WebSocket upgrade that only browsers make). */
  requireOrigin?: boolean;
  /** Test-only switches: a defence turned off, to show that its test fails without it. */
  checkHost?: boolean;
  checkOrigin?: boolean;
}

/** Checks one request's `Host` and `Origin` headers (Node lower-cases header names). */
export function guardRequest(headers: { host?: string; origin?: string }, o: GuardOptions): GuardVerdict {
  const host = headers.host?.toLowerCase();
  if (o.checkHost !== false && (host === undefined || !allowedHosts(o.port).has(host))) {
    return { ok: false, reason: 'host', detail: `Host ${host === undefined ? '(none)' : JSON.stringify(headers.host)} is not localhost, 127.0.0.1 or [::1] with port ${o.port}` };
  }
  const origin = headers.origin;
  if (origin === undefined) {
    if (o.requireOrigin && o.checkOrigin !== false) return { ok: false, reason: 'origin', detail: 'no Origin header on a WebSocket upgrade' };
    return { ok: true, ownOrigin: false };
  }
  const lower = origin.toLowerCase();
  const own = ownOrigins(o.port).has(lower);
  if (o.checkOrigin !== false && !own && !(o.allowOrigins?.has(lower) ?? false)) {
    return { ok: false, reason: 'origin', detail: `Origin ${JSON.stringify(origin)} is neither this server's own page (http://localhost:${o.port}) nor an allowed origin` };
  }
  return { ok: true, ownOrigin: own };
}
