import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { JACK_SHM_REGISTRY, describeRegistry, resetStaleJackRegistry } from './jackRegistry.ts';
import { jackServerNameProblem } from './jackServerName.ts';
import { RigError } from '../../src/host/audioRig.ts';
import { DEBIAN_PACKAGES_HINT } from './portaudioLibrary.ts';
import { onPath } from '../../src/io/onPath.ts';

const run = promisify(execFile);
/** Stops JACK clients (jack_lsp, PortAudio) from auto-starting a server with default settings. */
export const JACK_ENV = { ...process.env, JACK_NO_START_SERVER: '1' };

export interface JackServerOptions {
  sampleRate: number;
  periodFrames: number;
  /** Loopback ports (jackd -L): loopback:playback_k is heard on loopback:capture_k one period later. */
  loopbackPorts: number;
  /** Dummy backend capture/playback ports (silent; not the loop). */
  systemPorts: number;
  /** jackd -R (realtime scheduling where permitted). */
  realtime?: boolean;
  /** jackd -S (synchronous cycles: the driver waits for its clients). */
  sync?: boolean;
  startTimeoutMs?: number;
  /** jackd -n: a named server (clients reach it by that name), so parallel runs need not share one. */
  serverName?: string;
}

export interface JackServerHandle {
  /** True when this process started jackd (and will stop it). */
  started: boolean;
  /**
   * Client xruns jackd reported since it was ready ("JackEngine::XRun: client = … was not finished":
   * a client, ours, missed its cycle); −1 when the server is not ours (its log is not visible).
   */
  readonly xruns: number;
  /** The dummy driver's own lateness ("JackTimedDriver::Process XRun"), a sign of an overloaded machine; −1 unknown. */
  readonly driverXruns: number;
  /**
   * jackd's xrun lines since it was ready, oldest first (the newest XRUN_LOG_CAPACITY), each with its kind and
   * when its line reached us on CLOCK_MONOTONIC (µs, jack_get_time()'s clock): empty when the server is not ours.
   */
  xrunLog(): readonly ServerXrunLine[];
  /** The command line we ran, or the running server's ports. */
  description: string;
  stop(): Promise<void>;
}

/** One xrun line of jackd's log: a driver xrun (its timer ran late) or a client's (not finished in its cycle). */
export interface ServerXrunLine {
  kind: 'driver' | 'client';
  /** When the line was read, CLOCK_MONOTONIC µs (after the xrun itself: pipe and event loop delay it). */
  arrivedUs: number;
}

/**
 * How often a starting jackd is asked whether it answers (jack_lsp, ~10 ms a run). jackd takes 90–150 ms from
 * exec to its loopback ports (most of it mapping and locking its shared memory); polled every 100 ms it was
 * found ready 150–490 ms after the spawn, every 10 ms 130–150 ms: ~50 ms less for each of the ~19 servers the
 * realtime tests start one after another.
 */
const START_POLL_MS = 10;

/** Xrun lines kept (the oldest forgotten past it). */
const XRUN_LOG_CAPACITY = 4096;

/** The xrun lines of a chunk of jackd's output, in order (a line split across chunks is counted once: by its head). */
export function xrunLinesOf(text: string, arrivedUs: number): ServerXrunLine[] {
  const out: ServerXrunLine[] = [];
  for (const m of text.matchAll(/JackEngine::XRun: client|JackTimedDriver::Process XRun/g)) out.push({ kind: m[0].startsWith('JackTimedDriver') ? 'driver' : 'client', arrivedUs });
  return out;
}

/** CLOCK_MONOTONIC in µs: process.hrtime is that clock on Linux, as jack_get_time() is. */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

async function has(binary: string): Promise<boolean> {
  return onPath(binary) !== undefined;
}

/** Runs a JACK tool (never starting a server, 5 s at most) and gives its stdout, or throws: not installed, no server, timed out. */
export async function runJackTool(binary: string, args: string[]): Promise<string> {
  return (await run(binary, args, { env: JACK_ENV, timeout: 5000 })).stdout;
}

/** Port names of a running JACK server, or undefined when none runs. */
export async function jackPorts(serverName?: string): Promise<string[] | undefined> {
  try {
    const stdout = await runJackTool('jack_lsp', serverName ? ['-s', serverName] : []);
    return stdout.split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
}

/**
 * `command args` run so that it gets SIGTERM when the thread that started it dies (util-linux `setpriv
 * --pdeathsig`, which then execs the command: same pid). A harness or test killed midway would otherwise leave
 * its jackd running: a real-time server whose dummy driver wakes every period and preempts the next run's
 * audio threads (three such servers, found orphaned after an interrupted test run, ran through two later HIL
 * runs here). Without setpriv the command runs as it is.
 */
export function withParentDeathSignal(command: string, args: readonly string[], setprivAvailable: boolean): [string, string[]] {
  return setprivAvailable ? ['setpriv', ['--pdeathsig', 'SIGTERM', command, ...args]] : [command, [...args]];
}

/** jackd's own port limit when not given one (--port-max). */
const JACKD_DEFAULT_PORT_MAX = 256;

/**
 * The ports a server of these options needs room for: its own (a loopback or system port is two, capture and
 * playback) and as many again for the clients that use them (the rig's client has at most one per server port;
 * jack_iodelay, a meter), at least 64. The limit sizes the shared memory jackd maps and locks as it starts:
 * 107 MB at 256 ports, 40 MB at 64, which took a 2 + 2-port server's start from 126–145 ms to 79–104 ms here
 * (jackd -R, 4 starts each).
 */
export function jackdPortMax(o: Pick<JackServerOptions, 'loopbackPorts' | 'systemPorts'>): number {
  return Math.max(64, 4 * (o.loopbackPorts + o.systemPorts));
}

/**
 * The jackd command for the CI rig: `jackd --no-realtime -L N -d dummy -r RATE -p PERIOD -C N -P N`,
 * with `-R` in place of `--no-realtime`, `-S` when asked for, `-n NAME` for a named server, and `--port-max`
 * (jackdPortMax) where that is below jackd's own limit.
 */
export function jackdArgs(o: JackServerOptions): string[] {
  const portMax = jackdPortMax(o);
  return [...(o.serverName ? ['-n', o.serverName] : []), o.realtime ? '-R' : '--no-realtime', ...(o.sync ? ['-S'] : []), ...(portMax < JACKD_DEFAULT_PORT_MAX ? ['--port-max', String(portMax)] : []),
    '-L', String(o.loopbackPorts), '-d', 'dummy', '-r', String(o.sampleRate), '-p', String(o.periodFrames), '-C', String(o.systemPorts), '-P', String(o.systemPorts)];
}

/** The last `n` lines jackd printed, on one line: what an error quotes. */
function lastLines(output: string, n: number): string {
  return output.trim().split('\n').slice(-n).join(' | ');
}

/** A server this process did not start: its log (xruns) is not ours to read, and it is not ours to stop. */
function runningServer(portCount: number): JackServerHandle {
  return { started: false, xruns: -1, driverXruns: -1, xrunLog: () => [], description: `running server (${portCount} ports)`, stop: async () => {} };
}

/**
 * Uses a running JACK server when there is one (it must offer the loopback ports), else starts jackd
 * with the dummy backend and waits until it answers. Stops only a server it started.
 */
export async function ensureJackServer(o: JackServerOptions, registryResetBefore = false): Promise<JackServerHandle> {
  if (!(await has('jackd')) || !(await has('jack_lsp'))) throw new RigError(`the jack rig needs jackd: ${DEBIAN_PACKAGES_HINT}`);
  const badName = o.serverName === undefined ? undefined : jackServerNameProblem(o.serverName);
  if (badName) throw new RigError(`jack.serverName "${o.serverName}": ${badName}`);
  const existing = await jackPorts(o.serverName);
  if (existing) {
    const loop = existing.filter((p) => p.startsWith('loopback:playback_')).length;
    if (loop < o.loopbackPorts) {
      throw new RigError(`a JACK server is running with ${loop} loopback ports, the jack rig needs ${o.loopbackPorts} (start it with jackd -L ${o.loopbackPorts}, or stop it and let the rig start its own)`);
    }
    return runningServer(existing.length);
  }
  const args = jackdArgs(o);
  const [command, argv] = withParentDeathSignal('jackd', args, await has('setpriv'));
  const child: ChildProcess = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: JACK_ENV });
  let output = '';
  let xruns = 0;
  let driverXruns = 0;
  const log: ServerXrunLine[] = [];
  const onData = (d: Buffer) => {
    const text = d.toString();
    for (const line of xrunLinesOf(text, monotonicUs())) {
      if (line.kind === 'driver') driverXruns++;
      else xruns++;
      log.push(line);
      if (log.length > XRUN_LOG_CAPACITY) log.shift();
    }
    if (output.length < 20000) output += text;
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));
  const deadline = Date.now() + (o.startTimeoutMs ?? 10_000);
  for (;;) {
    if (exited) {
      if (/Too many servers already active/.test(output)) {
        // JACK's registry is full: of dead servers (reset it and start again, once), or of running ones.
        const { reset, servers } = registryResetBefore ? { reset: false, servers: [] } : resetStaleJackRegistry();
        if (reset) {
          const handle = await ensureJackServer(o, true);
          return { ...handle, description: `${handle.description}; JACK's server registry held ${servers.length} servers that had died without leaving it, so no server could start: removed (${JACK_SHM_REGISTRY})` };
        }
        throw new RigError(`jackd ${args.join(' ')} could not start: JACK's server registry (${JACK_SHM_REGISTRY}) is full — ${describeRegistry(servers) || 'its entries unreadable'}. Stop the running servers you do not need; once none runs, the rig removes the registry of dead ones itself`);
      }
      // Another process may have started a server at the same moment: use it if it fits.
      for (let i = 0; i < 30; i++) {
        const ports = await jackPorts(o.serverName);
        if (ports && ports.filter((p) => p.startsWith('loopback:playback_')).length >= o.loopbackPorts) {
          return runningServer(ports.length);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new RigError(`jackd ${args.join(' ')} exited at start: ${lastLines(output, 3)}`);
    }
    const ports = await jackPorts(o.serverName);
    if (ports && ports.filter((p) => p.startsWith('loopback:capture_')).length >= o.loopbackPorts) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new RigError(`jackd ${args.join(' ')} did not answer within ${o.startTimeoutMs ?? 10_000} ms; it said: ${lastLines(output, 4) || 'nothing'}`);
    }
    await new Promise((r) => setTimeout(r, START_POLL_MS));
  }
  const startupXruns = xruns;
  const startupDriverXruns = driverXruns;
  log.length = 0;
  const realtimeRefused = o.realtime === true && /Cannot use real-time scheduling/.test(output);
  return {
    started: true,
    get xruns() { return xruns - startupXruns; },
    get driverXruns() { return driverXruns - startupDriverXruns; },
    xrunLog: () => log,
    description: `jackd ${args.join(' ')} (pid ${child.pid}${realtimeRefused ? '; realtime scheduling not permitted, running without' : ''})`,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      // SIGKILL only as the last resort: a jackd killed so never leaves JACK's server registry (jackRegistry.ts).
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
