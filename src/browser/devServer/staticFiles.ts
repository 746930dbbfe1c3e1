import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.wav': 'audio/wav', '.ico': 'image/x-icon',
};

/**
 * Headers of every response: cross-origin isolation (COOP same-origin + COEP require-corp, so the page
 * may use SharedArrayBuffer for its meter ring), resources for this origin only, no sniffing, no caching
 * (a rebuilt page is always the one served).
 */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/**
 * A URL path as a file name inside the served folder, or null: only `[A-Za-z0-9_.-]` names in at most
 * two segments, no segment starting with a dot — `..`, encoded slashes and hidden files never reach
 * the file system. `/` is index.html, `/dashboard` dashboard.html.
 */
export function servedName(urlPath: string): string | null {
  const path = urlPath === '/' ? '/index.html' : urlPath === '/dashboard' ? '/dashboard.html' : urlPath;
  const segments = path.split('/').slice(1);
  if (segments.length === 0 || segments.length > 2) return null;
  if (!segments.every((s) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/.test(s))) return null;
  return segments.join('/');
}

/** Serves one file of `root` (GET/HEAD), 404 for anything else. */
export async function serveStatic(root: string, urlPath: string, method: string, res: ServerResponse): Promise<void> {
  const name = servedName(urlPath);
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { ...ISOLATION_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  let body: Buffer | null = null;
  if (name) body = await readFile(join(root, name)).catch(() => null);
  if (!name || !body) {
    res.writeHead(404, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream', 'Content-Length': body.length });
  res.end(method === 'HEAD' ? undefined : body);
}
