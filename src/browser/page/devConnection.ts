/// <reference lib="dom" />
import { JSONRPCClient, JSONRPCServer, JSONRPCServerAndClient } from 'json-rpc-2.0';
import { reconnectDelayMs } from './backoff.ts';

export type ConnectionState = 'connecting' | 'connected' | 'offline';

export interface DevConnectionOptions {
  url: string;
  /** Called after every (re)connection, before any queued call: re-sync state here. */
  onConnected?: (session: { connectionId: string; attached: boolean; serverStartedMs: number }) => void | Promise<void>;
  onState?: (state: ConnectionState, detail: string) => void;
  /** Notifications from the server (parameterChanged, meterUpdate, rigStatus, rigMetrics). */
  onNotification?: (method: string, params: Record<string, unknown>) => void;
  /** Requests unanswered after this long are rejected. */
  timeoutMs?: number;
}

/**
 * The page's JSON-RPC 2.0 link to `rig dev` (json-rpc-2.0 over a browser WebSocket). A dropped socket
 * is reopened after reconnectDelayMs(attempt) — 250 ms doubling to 4 s — and `onConnected` runs again
 * so the page re-syncs its parameters. While offline, `call` rejects at once: the page keeps running
 * its engines on its own (pure browser mode).
 */
export class DevConnection {
  private ws: WebSocket | null = null;
  private rpc: JSONRPCServerAndClient | null = null;
  private attempt = 0;
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  state: ConnectionState = 'connecting';
  connectionId: string | null = null;

  constructor(private readonly o: DevConnectionOptions) {}

  start(): void {
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  private setState(state: ConnectionState, detail: string): void {
    this.state = state;
    this.o.onState?.(state, detail);
  }

  private open(): void {
    if (this.stopped) return;
    this.setState('connecting', `attempt ${this.attempt + 1}`);
    const ws = new WebSocket(this.o.url);
    const server = new JSONRPCServer();
    for (const method of ['parameterChanged', 'meterUpdate', 'rigStatus', 'rigMetrics']) {
      server.addMethod(method, (params) => { this.o.onNotification?.(method, params as Record<string, unknown>); });
    }
    const rpc = new JSONRPCServerAndClient(server, new JSONRPCClient((request) => {
      if (ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected to the dev server'));
      ws.send(JSON.stringify(request));
      return Promise.resolve();
    }));
    ws.onopen = async () => {
      this.ws = ws;
      this.rpc = rpc;
      try {
        const session = (await rpc.timeout(this.o.timeoutMs ?? 5000).request('getSession', {})) as { connectionId: string; attached: boolean; serverStartedMs: number };
        this.connectionId = session.connectionId;
        this.attempt = 0;
        await this.o.onConnected?.(session);
        this.setState('connected', session.connectionId);
      } catch (err) {
        this.setState('offline', (err as Error).message);
        ws.close();
      }
    };
    ws.onmessage = (e) => {
      try {
        void rpc.receiveAndSend(JSON.parse(String(e.data)), undefined, undefined);
      } catch { /* a message that is not JSON is ignored; the server never sends one */ }
    };
    ws.onclose = () => {
      rpc.rejectAllPendingRequests('the connection to the dev server closed');
      if (this.ws === ws) { this.ws = null; this.rpc = null; }
      if (this.stopped) return;
      const delay = reconnectDelayMs(this.attempt++);
      this.setState('offline', `reconnecting in ${(delay / 1000).toFixed(2)} s`);
      this.timer = setTimeout(() => this.open(), delay);
    };
  }

  /** Calls a method; rejects at once when offline, and after timeoutMs without an answer. */
  call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (!this.rpc || this.state === 'offline') return Promise.reject(new Error(`offline: ${method} not sent`));
    return this.rpc.timeout(this.o.timeoutMs ?? 5000).request(method, params) as Promise<T>;
  }
}
