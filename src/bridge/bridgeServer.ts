import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { loadEngineModule } from '../presets/engineRegistry.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { BridgeConnection } from './bridgeConnection.ts';
import type { BridgeHost } from './bridgeHost.ts';
import { bridgePage } from './bridgePage.ts';
import { paramMetadata } from './paramMetadata.ts';
import { nativeModules } from './nativeBundle.ts';
import { listEnginePlugins } from './pluginCatalog.ts';
import { type PluginSearchPaths, pluginSearchPaths, scanThirdPartyPlugins } from './pluginScan.ts';
import { type BridgeLimits, DEFAULT_LIMITS } from './protocol.ts';
import { guardRequest } from '../protocols/http/loopbackGuard.ts';
import { BRIDGE_INSTANCE_PRIORITY, BRIDGE_MAIN_PRIORITY, type RealtimeResult, describeRealtime, requestRealtime } from './realtimePriority.ts';
import { RejectionLog } from './rejectionLog.ts';
import { instanceWorkerSource } from './instanceWorkerModule.ts';

/** The WebSocket's path: ws://127.0.0.1:<port>/bridge. */
export const BRIDGE_PATH = '/bridge';
export const DEFAULT_BRIDGE_PORT = 8080;
/** Cross-origin isolation for the bridge's own page, so it may use SharedArrayBuffer (NativePluginNode's rings). */
const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' };

export interface BridgeServerOptions {
  /** Port on 127.0.0.1 (and ::1); 0 = any free one. Default 8080. */
  port?: number;
  /** Origins (normalised, see normaliseOrigin) allowed besides the bridge's own page. */
  allowOrigins?: readonly string[];
  /** The pairing token; default 32 random bytes, base64url. */
  token?: string;
  limits?: Partial<BridgeLimits>;
  /** Modules of engines to offer besides the registered ones (each worker loads its engine's module). */
  engineModules?: readonly string[];
  /** Where to look for third-party plugins (default: pluginSearchPaths()). */
  pluginPaths?: PluginSearchPaths;
  /** One line per rejection and per lifecycle event (default: stderr). */
  log?: (line: string) => void;
  helloTimeoutMs?: number;
  maxBufferedBytes?: number;
  /** Connections at once; more are refused with 503 at the upgrade. */
  maxConnections?: number;
  /**
   * Run the main thread at SCHED_RR BRIDGE_MAIN_PRIORITY and each instance's worker at
   * BRIDGE_INSTANCE_PRIORITY, where permitted (realtimePriority.ts). `rig bridge` does unless
   * `--no-realtime`; off by default, so a library user's (or a test runner's) thread keeps its class.
   */
  realtime?: boolean;
  /**
   * TEST ONLY — not reachable from the command line. Turns one defence off, so that a test can show
   * that its check fails without it (a defence whose test has never failed is not shown to work).
   */
  unsafeDisableDefences?: { host?: boolean; origin?: boolean; token?: boolean; rate?: boolean };
}

const packageVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * `rig bridge`: HTTP (the bridge's own page) and one WebSocket per client on the loopback interface only
 * — 127.0.0.1 and, where the machine has it, ::1; never 0.0.0.0. Every request and upgrade passes
 * loopbackGuard (Host, Origin) before anything else; a refused upgrade gets 403 and no WebSocket.
 * Connections (BridgeConnection) then need HELLO, with the pairing token unless they come from the
 * bridge's own page.
 */
export class BridgeServer implements BridgeHost {
  readonly limits: BridgeLimits;
  readonly token: string;
  readonly bridgeVersion = packageVersion();
  readonly helloTimeoutMs: number;
  readonly maxBufferedBytes: number;
  readonly checkToken: boolean;
  readonly checkRate: boolean;
  readonly log: RejectionLog;
  private readonly servers: Server[] = [];
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<BridgeConnection>();
  private readonly instanceIds = new Set<number>();
  private nextInstanceId = 1;
  private readonly modules = new Map<string, string>();
  private readonly allowOrigins: Set<string>;
  private readonly ranges = new Map<string, { min: number | null; max: number | null }[]>();
  private boundPort = 0;
  private catalog: { engines: unknown[]; thirdParty: unknown[] } | undefined;
  /** Addresses actually listened on ("127.0.0.1:8080", "[::1]:8080"). */
  readonly addresses: string[] = [];
  /** The main thread's scheduling, once started with `realtime` (undefined: not asked for). */
  mainScheduling: RealtimeResult | undefined;
  readonly instancePriority: number | undefined;

  constructor(private readonly o: BridgeServerOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.token = o.token ?? randomBytes(32).toString('base64url');
    this.helloTimeoutMs = o.helloTimeoutMs ?? 10_000;
    this.maxBufferedBytes = o.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.checkToken = o.unsafeDisableDefences?.token !== true;
    this.checkRate = o.unsafeDisableDefences?.rate !== true;
    this.allowOrigins = new Set(o.allowOrigins ?? []);
    const write = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    this.log = new RejectionLog(write);
    this.instancePriority = o.realtime ? BRIDGE_INSTANCE_PRIORITY : undefined;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxPayloadBytes, perMessageDeflate: false });
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.boundPort}${BRIDGE_PATH}`;
  }

  async start(): Promise<void> {
    for (const m of this.o.engineModules ?? []) {
      for (const entry of await loadEngineModule(m)) this.modules.set(entry.engine, m);
    }
    this.plugins();
    // The instance worker's bundle checked (and rebuilt if stale) now rather than at the first LOAD_PLUGIN.
    const worker = await instanceWorkerSource();
    if (worker.kind === 'sources') this.log.note(`instances will run the TypeScript sources through tsx: ${worker.reason}`);
    else if (worker.rebuilt) this.log.note(`rebuilt the instance worker bundle (${worker.rebuilt})`);
    // Raised with reset-on-fork (realtimePriority.ts): esbuild's service process, forked from this thread
    // at its first use (the /native/ bundle, a stale worker bundle rebuilt at LOAD_PLUGIN), starts at normal scheduling.
    if (this.o.realtime) this.mainScheduling = await requestRealtime(BRIDGE_MAIN_PRIORITY);
    const first = await this.listen('127.0.0.1', this.o.port ?? 8080);
    this.boundPort = first;
    this.addresses.push(`127.0.0.1:${first}`);
    try {
      await this.listen('::1', first);
      this.addresses.push(`[::1]:${first}`);
    } catch (err) {
      this.log.count('ipv6Unavailable');
      (this.o.log ?? ((l: string) => process.stderr.write(`${l}\n`)))(`rig bridge: not listening on [::1]:${first} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }

  private listen(address: string, port: number): Promise<number> {
    const server = createServer((req, res) => this.onRequest(req, res));
    server.on('upgrade', (req, socket) => this.onUpgrade(req, socket as Duplex));
    server.on('clientError', (_err, socket) => { this.log.count('httpClientErrors'); socket.destroy(); });
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address, port, ipv6Only: address === '::1' }, () => {
        server.off('error', reject);
        this.servers.push(server);
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  private guard(req: IncomingMessage) {
    return guardRequest({ host: req.headers.host, origin: req.headers.origin }, {
      port: this.boundPort, allowOrigins: this.allowOrigins,
      checkHost: this.o.unsafeDisableDefences?.host !== true, checkOrigin: this.o.unsafeDisableDefences?.origin !== true,
    });
  }

  private peer(req: IncomingMessage): string {
    return `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const verdict = this.guard(req);
    if (!verdict.ok) {
      this.log.reject(verdict.reason, `${this.peer(req)} ${req.method} ${req.url}: ${verdict.detail}`);
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end(`forbidden: ${verdict.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const native = /^\/native\/([A-Za-z]+\.js)$/.exec(req.url ?? '')?.[1];
    if (native) {
      void nativeModules().then((modules) => {
        const text = modules.get(native);
        if (text === undefined) return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store', ...ISOLATION_HEADERS }).end(req.method === 'HEAD' ? undefined : text);
      }, (err: Error) => {
        this.log.reject('internal-error', `bundling /native/: ${err.message}`);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('the native modules could not be built (logged)\n');
      });
      return;
    }
    if (req.url === '/' || req.url === '/index.html') {
      const origin = `http://${req.headers.host}`;
      const nonce = randomBytes(16).toString('base64');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}' 'self'; worker-src 'self'; style-src 'unsafe-inline'; connect-src ws://${req.headers.host}`,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        ...ISOLATION_HEADERS,
        'cache-control': 'no-store',
      }).end(req.method === 'HEAD' ? undefined : bridgePage(origin, BRIDGE_PATH, this.bridgeVersion, nonce));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex): void {
    socket.on('error', () => socket.destroy());
    const refuse = (status: string, reason: string, detail: string) => {
      this.log.reject(reason, `${this.peer(req)} upgrade ${req.url}: ${detail}`);
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\nforbidden: ${reason}\n`);
      socket.destroy();
    };
    const verdict = this.guard(req);
    if (!verdict.ok) return void refuse('403 Forbidden', verdict.reason, verdict.detail);
    if (req.url !== BRIDGE_PATH) return void refuse('404 Not Found', 'path', `no WebSocket at ${JSON.stringify(req.url)}`);
    if (this.connections.size >= (this.o.maxConnections ?? 64)) return void refuse('503 Service Unavailable', 'connections', `${this.connections.size} connections already`);
    this.wss.handleUpgrade(req, socket, Buffer.alloc(0), (ws) => {
      this.log.count('connections');
      this.connections.add(new BridgeConnection(ws, this, verdict.ownOrigin, this.peer(req)));
    });
  }

  /**
   * LIST_PLUGINS' answer, built once when the bridge starts: reading and validating every preset takes
   * ~40 ms, which on the event loop would delay every instance's chunks (restart the bridge to see
   * presets or plugins added since).
   */
  plugins() {
    this.catalog ??= { engines: listEnginePlugins(), thirdParty: scanThirdPartyPlugins(this.o.pluginPaths ?? pluginSearchPaths()) };
    return this.catalog;
  }

  reserveInstance(): number | null {
    if (this.instanceIds.size >= this.limits.maxInstances) return null;
    const id = this.nextInstanceId++;
    this.instanceIds.add(id);
    return id;
  }

  releaseInstance(id: number): void {
    this.instanceIds.delete(id);
  }

  get instanceCount(): number {
    return this.instanceIds.size;
  }

  modulePathOf(engine: string): string | undefined {
    return this.modules.get(engine);
  }

  paramRanges(engine: string, paramNames: readonly string[]) {
    let r = this.ranges.get(engine);
    if (!r) {
      r = paramMetadata(engineEntry(engine), paramNames).map(({ min, max }) => ({ min, max }));
      this.ranges.set(engine, r);
    }
    return r;
  }

  /** How the bridge's threads are scheduled, for its start-up line. */
  describeScheduling(): string {
    if (!this.mainScheduling) return 'normal scheduling (not asked for)';
    return `main thread ${describeRealtime(this.mainScheduling)}${this.mainScheduling.realtime ? `, instances SCHED_RR ${BRIDGE_INSTANCE_PRIORITY}` : ''}`;
  }

  /** The bridge's counters: every rejection by reason, connections, instances. */
  stats(): Record<string, number> {
    return { ...this.log.counts, openConnections: this.connections.size, instances: this.instanceIds.size };
  }

  forget(connection: unknown): void {
    this.connections.delete(connection as BridgeConnection);
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.close(1001, 'bridge stopping');
    for (const c of [...this.connections]) c.dispose();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    })));
    this.servers.length = 0;
  }
}
