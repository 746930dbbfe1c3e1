import { existsSync, readFileSync, rmSync } from 'node:fs';

/**
 * JACK2's server registry: a shared-memory segment every jackd registers in at start (a slot of its own, by
 * name and pid) and leaves at a clean exit. It has MAX_SERVERS (8) slots, and jackd reclaims a slot whose
 * process has died only when it starts under that same name — so servers killed without a clean exit
 * (SIGKILL, a crash) under names that never come back, as the tests' `studio-rig-test-<what>-<pid>`
 * servers do, fill it for good: then no new server starts ("Too many servers already active") until the
 * segment is removed. Measured on this machine after a day of test runs: 7 of the 8 slots held by dead
 * test servers, so a second server could not start beside the default one.
 *
 * Layout (JACK2 common/shm.c, jack_shm_header_t): u32 magic "JACK", u32 protocol, u32 type, u32 size,
 * u32 hdr_len, u32 entry_len, then MAX_SERVERS × { i32 pid, char name[257] } padded to 264 bytes.
 */
export const JACK_SHM_REGISTRY = '/dev/shm/jack-shm-registry';
const MAGIC = 0x4a41434b; // "KCAJ" read little-endian: the bytes 'J' 'A' 'C' 'K' are stored as 4b 43 41 4a
const SERVERS_OFFSET = 24;
const SERVER_BYTES = 264;
const NAME_BYTES = 257;

export interface RegisteredServer {
  /** As JACK registers it: `jack-<uid>:<server name>`. */
  name: string;
  pid: number;
  /** Whether a JACK server still runs under that pid (not merely some process that reused it). */
  alive: boolean;
}

/**
 * Whether `pid` is a running jackd (its pid reused by another program does not count, nor a jackd that has
 * exited and not yet been reaped: a zombie keeps its name in /proc until its parent waits for it, seconds
 * after a test server's stop (measured: a killed dummy jackd stays "Zs" for a while). Counted as running, it
 * keeps a registry of dead servers from being reset and skips the registry test ("a JACK server is running",
 * seen once in CI; the zombie is the likely cause, not proven).
 */
export function isJackServerProcess(pid: number): boolean {
  try {
    return processIsLiveJackd(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * From a /proc/<pid>/stat line ("pid (comm) state …"; comm may hold spaces and parentheses, so it ends at
 * the last ")"): the command is jackd… and the state is neither zombie (Z) nor dead (X).
 */
export function processIsLiveJackd(stat: string): boolean {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return false;
  const state = stat.slice(close + 2, close + 3);
  return /^jackd/.test(stat.slice(open + 1, close)) && state !== 'Z' && state !== 'X' && state !== '';
}

/** The occupied slots of a registry segment's bytes; null when they are not a JACK2 registry. */
export function parseJackRegistry(bytes: Buffer, isServer: (pid: number) => boolean = isJackServerProcess): RegisteredServer[] | null {
  if (bytes.length < SERVERS_OFFSET || bytes.readUInt32LE(0) !== MAGIC) return null;
  const headerBytes = bytes.readUInt32LE(16);
  const slots = (headerBytes - SERVERS_OFFSET) / SERVER_BYTES;
  if (!Number.isInteger(slots) || slots < 1 || slots > 64 || headerBytes > bytes.length) return null;
  const servers: RegisteredServer[] = [];
  for (let i = 0; i < slots; i++) {
    const at = SERVERS_OFFSET + i * SERVER_BYTES;
    const pid = bytes.readInt32LE(at);
    if (pid === 0) continue;
    const raw = bytes.subarray(at + 4, at + 4 + NAME_BYTES);
    const end = raw.indexOf(0);
    // Registered as "jack-<uid>:<name>:" (shm.c's server prefix): the trailing colon is left out.
    const name = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8').replace(/:$/, '');
    servers.push({ name, pid, alive: pid > 0 && isServer(pid) });
  }
  return servers;
}

/**
 * Removes the registry when every server registered in it has died (jackd makes a new one at its next
 * start); leaves it when any still runs — removing it then would hide that server from the next jackd.
 * Returns what it found and whether it removed it. Removes nothing that is not a JACK2 registry.
 */
export function resetStaleJackRegistry(path = JACK_SHM_REGISTRY, isServer: (pid: number) => boolean = isJackServerProcess): { reset: boolean; servers: RegisteredServer[] } {
  if (!existsSync(path)) return { reset: false, servers: [] };
  const servers = parseJackRegistry(readFileSync(path), isServer);
  if (servers === null || servers.some((s) => s.alive)) return { reset: false, servers: servers ?? [] };
  rmSync(path, { force: true });
  return { reset: true, servers };
}

/** One line for a person: "jack-0:default (pid 123, running), jack-0:x (pid 456, dead), …". */
export function describeRegistry(servers: readonly RegisteredServer[]): string {
  return servers.map((s) => `${s.name} (pid ${s.pid}, ${s.alive ? 'running' : 'dead'})`).join(', ');
}
