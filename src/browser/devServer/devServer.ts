import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createJSONRPCErrorResponse, createJSONRPCNotification } from 'json-rpc-2.0';
import { type WebSocket, WebSocketServer } from 'ws';
import { escapeForLog } from '../../host/logText.ts';
import { DEFAULT_OUT_DIR } from './buildPage.ts';
import { ParameterStore } from './parameterStore.ts';
import { guardRequest } from '../../protocols/http/loopbackGuard.ts';
import { RigAttachment, type RigAttachmentOptions } from './rigAttachment.ts';
import { type RpcConnection, createRpcServer } from './rpcMethods.ts';
import { ISOLATION_HEADERS, serveStatic } from './staticFiles.ts';
import { syntheticMeterFrame } from './syntheticMeters.ts';

/**
 * Bounds of the dev server, and what happens at each:
 * - a WebSocket message over MAX_MESSAGE_BYTES: ws closes that connection (1009), counted `oversizeMessages`;
 * - a connection past MAX_CONNECTIONS: the upgrade is answered 503 and closed, counted `refusedConnections`;
 * - a connection with MAX_IN_FLIGHT requests unanswered: a further message gets a JSON-RPC error
 *   (-32000, "queue full") at once and is not run, counted `queueFull`;
 * - a page that does not read: past SLOW_CLIENT_BYTES unsent, notifications to it are dropped (counted
 *   `notificationsDropped`; a reconnect re-syncs it); past CLOSE_CLIENT_BYTES it is closed (1008,
 *   counted `slowClientsClosed`).
 */
export const LIMITS = {
  MAX_MESSAGE_BYTES: 64 * 1024,
  MAX_CONNECTIONS: 32,
  MAX_IN_FLIGHT: 16,
  SLOW_CLIENT_BYTES: 1 << 20,
  CLOSE_CLIENT_BYTES: 8 << 20,
  /** Log lines per second at most (further lines are counted and summarised). */
  LOG_LINES_PER_SECOND: 50,
} as const;

export interface DevServerOptions {
  /** TCP port on 127.0.0.1; 0 = any free port. Default 8787. */
  port?: number;
  /** The built page (dist/browser). */
  staticDir?: string;
  /** Where savePreset writes. */
  userPresetsDir: string;
  /** Attach to a running `rig serve` (its OSC address) with the haptic configuration it runs. */
  attach?: Omit<RigAttachmentOptions, 'onView' | 'onMetrics' | 'log'>;
  /** meterUpdate notifications per second to subscribed pages. */
  meterHz?: number;
  log?: (line: string) => void;
  /** Fault injection for the tests that prove each check: switch one off. Never set outside tests. */
  unsafeDisableCheck?: 'host' | 'origin';
}

export interface DevServerCounts {
  httpRequests: number;
  refusedHost: number;
  refusedOrigin: number;
  refusedConnections: number;
  rpcErrors: number;
  oversizeMessages: number;
  queueFull: number;
  notificationsDropped: number;
  slowClientsClosed: number;
  logLinesSuppressed: number;
}

interface Peer extends RpcConnection {
  ws: WebSocket;
  inFlight: number;
}

export interface DevServer {
  url: string;
  port: number;
  counts: DevServerCounts;
  attachment: RigAttachment | null;
  connections(): number;
  close(): Promise<void>;
}

/**
 * `rig dev`: the page over HTTP and JSON-RPC 2.0 over a WebSocket (json-rpc-2.0, ws) on 127.0.0.1.
 * Every HTTP request and WebSocket upgrade passes the Host/Origin guard (src/protocols/http/loopbackGuard.ts) before any
 * work; refusals are logged (escaped) and counted. Nothing a client sends stops the server.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const staticDir = options.staticDir ?? DEFAULT_OUT_DIR;
  const counts: DevServerCounts = { httpRequests: 0, refusedHost: 0, refusedOrigin: 0, refusedConnections: 0, rpcErrors: 0, oversizeMessages: 0, queueFull: 0, notificationsDropped: 0, slowClientsClosed: 0, logLinesSuppressed: 0 };
  const log = rateLimited(options.log ?? ((line) => process.stderr.write(`rig dev: ${line}\n`)), counts);
  const peers = new Map<string, Peer>();
  let nextId = 1;
  let port = 0;
  const startedMs = Date.now();

  const notify = (peer: Peer, method: string, params: Record<string, unknown>) => {
    if (peer.ws.readyState !== peer.ws.OPEN) return;
    if (peer.ws.bufferedAmount > LIMITS.CLOSE_CLIENT_BYTES) {
      counts.slowClientsClosed++;
      log(`closing ${peer.id}: ${peer.ws.bufferedAmount} bytes unsent (the page does not read)`);
      peer.ws.close(1008, 'not reading');
      return;
    }
    if (peer.ws.bufferedAmount > LIMITS.SLOW_CLIENT_BYTES) { counts.notificationsDropped++; return; }
    peer.ws.send(JSON.stringify(createJSONRPCNotification(method, params)));
  };
  const broadcast = (method: string, params: Record<string, unknown>) => { for (const p of peers.values()) notify(p, method, params); };

  const toRigPages = (method: string, params: object) => { for (const p of peers.values()) if (p.wantsRig) notify(p, method, params as Record<string, unknown>); };
  const attachment = options.attach ? new RigAttachment({ ...options.attach, log, onView: (view) => toRigPages('rigStatus', view), onMetrics: (m) => toRigPages('rigMetrics', m) }) : null;
  const rpc = createRpcServer({ store: new ParameterStore(), userPresetsDir: options.userPresetsDir, broadcast, attachment, startedMs });

  // Host (DNS rebinding) → 421, Origin (another site's page) → 403, before any work (loopbackGuard.ts).
  const refuse = (req: IncomingMessage, requireOrigin: boolean): { status: 403 | 421; reason: string } | null => {
    const v = guardRequest(req.headers, { port, requireOrigin, checkHost: options.unsafeDisableCheck !== 'host', checkOrigin: options.unsafeDisableCheck !== 'origin' });
    const r = v.ok ? null : { status: v.reason === 'host' ? (421 as const) : (403 as const), reason: v.detail };
    if (r) {
      if (r.status === 421) counts.refusedHost++; else counts.refusedOrigin++;
      log(`refused ${requireOrigin ? 'WebSocket upgrade' : `${escapeForLog(req.method ?? '?', 10)} ${escapeForLog(req.url ?? '', 100)}`} from ${req.socket.remoteAddress}: ${escapeForLog(r.reason)}`);
    }
    return r;
  };

  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    counts.httpRequests++;
    const r = refuse(req, false);
    if (r) { res.writeHead(r.status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(`${r.status === 421 ? 'misdirected request' : 'forbidden'}: ${r.reason}\n`); return; }
    const path = (req.url ?? '/').split('?')[0];
    serveStatic(staticDir, path, req.method ?? 'GET', res).catch((err: Error) => {
      log(`serving ${escapeForLog(path, 100)}: ${escapeForLog(err.message)}`);
      if (!res.headersSent) res.writeHead(500, ISOLATION_HEADERS);
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.MAX_MESSAGE_BYTES });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {});
    const r = refuse(req, true);
    if (r) { socket.end(`HTTP/1.1 ${r.status} ${r.status === 421 ? 'Misdirected Request' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`); return; }
    if ((req.url ?? '').split('?')[0] !== '/rpc') { socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'); return; }
    if (peers.size >= LIMITS.MAX_CONNECTIONS) {
      counts.refusedConnections++;
      log(`refused a WebSocket: ${LIMITS.MAX_CONNECTIONS} pages connected already`);
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    const peer: Peer = { id: `page-${nextId++}`, ws, inFlight: 0, meterChannels: 0, wantsRig: false };
    peers.set(peer.id, peer);
    ws.on('message', (data, isBinary) => {
      if (isBinary) { counts.rpcErrors++; ws.send(JSON.stringify(createJSONRPCErrorResponse(null, -32700, 'binary message: expected JSON-RPC 2.0 text'))); return; }
      if (peer.inFlight >= LIMITS.MAX_IN_FLIGHT) {
        counts.queueFull++;
        ws.send(JSON.stringify(createJSONRPCErrorResponse(requestId(data.toString()), QUEUE_FULL, `queue full: ${LIMITS.MAX_IN_FLIGHT} requests of this connection are unanswered; this one was not run`)));
        return;
      }
      peer.inFlight++;
      const text = data.toString();
      Promise.resolve(rpc.receiveJSON(text, peer)).then((response) => {
        const list = response === null ? [] : Array.isArray(response) ? response : [response];
        for (const r of list) if ('error' in r && r.error) { counts.rpcErrors++; log(`${peer.id}: ${escapeForLog(r.error.message)}`); }
        if (response !== null && ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
      }).catch((err: Error) => log(`${peer.id}: ${escapeForLog(err.message)}`)).finally(() => { peer.inFlight--; });
    });
    ws.on('error', (err) => {
      if ((err as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') counts.oversizeMessages++;
      log(`${peer.id}: ${escapeForLog(err.message)}`);
    });
    ws.on('close', () => peers.delete(peer.id));
  }

  const meterTimer = setInterval(() => {
    const wanting = [...peers.values()].filter((p) => p.meterChannels > 0);
    if (wanting.length === 0) return;
    for (const p of wanting) {
      const frame = attachment?.meterFrame() ?? syntheticMeterFrame((Date.now() - startedMs) / 1000, p.meterChannels);
      notify(p, 'meterUpdate', frame as unknown as Record<string, unknown>);
    }
  }, 1000 / (options.meterHz ?? 20));

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8787, '127.0.0.1', () => { http.off('error', reject); resolve(); });
  });
  port = (http.address() as AddressInfo).port;
  await attachment?.start();

  return {
    url: `http://localhost:${port}/`,
    port,
    counts,
    attachment,
    connections: () => peers.size,
    close: async () => {
      clearInterval(meterTimer);
      await attachment?.stop();
      for (const p of peers.values()) p.ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** JSON-RPC error code (server range) of a request refused because its connection has MAX_IN_FLIGHT unanswered. */
export const QUEUE_FULL = -32000;

/** The id of a request (so a refusal reaches the caller's pending call), or null when there is none to read. */
function requestId(text: string): string | number | null {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
  } catch {
    return null;
  }
}

/** At most LOG_LINES_PER_SECOND lines a second; the rest are counted and summarised once a second. */
function rateLimited(write: (line: string) => void, counts: DevServerCounts): (line: string) => void {
  let budget: number = LIMITS.LOG_LINES_PER_SECOND;
  let suppressed = 0;
  const timer = setInterval(() => {
    if (suppressed > 0) write(`${suppressed} more log lines suppressed`);
    suppressed = 0;
    budget = LIMITS.LOG_LINES_PER_SECOND;
  }, 1000);
  timer.unref();
  return (line) => {
    if (budget > 0) { budget--; write(line); return; }
    suppressed++;
    counts.logLinesSuppressed++;
  };
}
