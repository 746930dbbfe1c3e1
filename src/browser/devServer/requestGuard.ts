import type { IncomingMessage } from 'node:http';

/** Why a request was refused before any work, or null when it may proceed. */
export type GuardRefusal = { status: 403 | 421; reason: string } | null;

/** The names a page on this machine reaches the loopback server by. */
const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * DNS-rebinding and cross-site checks, made before a request or a WebSocket upgrade does anything:
 * - `Host` must be exactly localhost / 127.0.0.1 / [::1] with this server's port. A page on
 *   evil.example whose name was re-pointed at 127.0.0.1 sends `Host: evil.example:8787` → 421.
 * - `Origin`, when sent, must be this server's own origin (http://<one of those names>:<port>).
 *   Browsers send it on every WebSocket handshake and on cross-origin fetches; another site's
 *   script → 403. Requests without an Origin (a same-origin GET of the page, curl) pass this check;
 *   a WebSocket upgrade must carry one (`requireOrigin`), as every browser's does.
 */
export function checkRequest(req: Pick<IncomingMessage, 'headers'>, port: number, options: { requireOrigin?: boolean; checkHost?: boolean; checkOrigin?: boolean } = {}): GuardRefusal {
  const { requireOrigin = false, checkHost = true, checkOrigin = true } = options;
  const allowedHosts = LOOPBACK_HOSTNAMES.map((h) => `${h}:${port}`);
  const host = req.headers.host;
  if (checkHost && (host === undefined || !allowedHosts.includes(host.toLowerCase()))) {
    return { status: 421, reason: `Host ${JSON.stringify(host ?? null)} is not one of ${allowedHosts.join(', ')}` };
  }
  const origin = req.headers.origin;
  if (checkOrigin) {
    if (origin === undefined) {
      if (requireOrigin) return { status: 403, reason: 'no Origin header on a WebSocket upgrade' };
    } else if (!allowedHosts.map((h) => `http://${h}`).includes(origin.toLowerCase())) {
      return { status: 403, reason: `Origin ${JSON.stringify(origin)} is not this server's own (http://localhost:${port})` };
    }
  }
  return null;
}
