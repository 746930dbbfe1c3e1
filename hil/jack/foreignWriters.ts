import { spawnSync } from 'node:child_process';
import { JACK_ENV } from './jackServer.ts';

/**
 * Other JACK clients writing into the ports a rig plays into. The loopback rigs measure what comes back
 * from `loopback:playback_k`; a second client connected to the same port (another harness, a probe, a
 * DAW) is mixed in by JACK, and every finding on that channel is then about its signal, not ours. So a
 * rig checks at start (and refuses to measure) and again at stop (a client that joined mid-run).
 */
export interface ForeignWriter {
  /** The port we play into. */
  port: string;
  /** The other client's port connected to it. */
  writer: string;
}

/** `jack_lsp -c` output → each port's connections (the indented lines under it). */
export function parseJackConnections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\s/.test(line)) current?.push(line.trim());
    else {
      current = [];
      out.set(line.trim(), current);
    }
  }
  return out;
}

/** Connections to `ports` from clients other than `ourClient`. */
export function foreignWriters(connections: ReadonlyMap<string, readonly string[]>, ourClient: string, ports: readonly string[]): ForeignWriter[] {
  const found: ForeignWriter[] = [];
  for (const port of ports) {
    for (const peer of connections.get(port) ?? []) {
      if (peer.slice(0, peer.indexOf(':')) !== ourClient) found.push({ port, writer: peer });
    }
  }
  return found;
}

/** The server's connections (`jack_lsp -c`, 3 s at most), or null when jack_lsp cannot tell (not installed, no server). */
export function readJackConnections(serverName?: string): Map<string, string[]> | null {
  // JACK_NO_START_SERVER: asking must never start a server.
  const r = spawnSync('jack_lsp', [...(serverName ? ['-s', serverName] : []), '-c'], { encoding: 'utf8', timeout: 3000, env: JACK_ENV });
  if (r.status !== 0 || typeof r.stdout !== 'string') return null;
  return parseJackConnections(r.stdout);
}

/** One line for a person: "loopback:playback_13 ← other:out_1, …". */
export function describeForeignWriters(found: readonly ForeignWriter[]): string {
  const shown = found.slice(0, 4).map((f) => `${f.port} ← ${f.writer}`).join(', ');
  return found.length > 4 ? `${shown} and ${found.length - 4} more` : shown;
}
