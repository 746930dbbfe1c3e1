/**
 * Other JACK clients writing into the ports a rig plays into. The loopback rigs measure what comes back
 * from `loopback:playback_k`; a second client connected to the same port (another harness, a probe, a
 * DAW) is mixed in by JACK, and every finding on that channel is then about its signal, not ours. So a
 * rig checks at start (and refuses to measure) and again at stop (a client that joined mid-run), asking
 * JACK through its own client (JackAddon.connections: no child process).
 */
export interface ForeignWriter {
  /** The port we play into. */
  port: string;
  /** The other client's port connected to it. */
  writer: string;
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

/** One line for a person: "loopback:playback_13 ← other:out_1, …". */
export function describeForeignWriters(found: readonly ForeignWriter[]): string {
  const shown = found.slice(0, 4).map((f) => `${f.port} ← ${f.writer}`).join(', ');
  return found.length > 4 ? `${shown} and ${found.length - 4} more` : shown;
}
