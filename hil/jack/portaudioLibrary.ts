import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RigError } from '../../src/host/audioRig.ts';

/**
 * naudiodon ships its own PortAudio built for ALSA only (no JACK host API); Debian's libportaudio2
 * has JACK. naudiodon.node finds its library through a RUNPATH, which LD_PRELOAD overrides; the
 * dynamic loader reads LD_PRELOAD only at process start, so a process that needs JACK is re-executed
 * with it (`reexecWithDebianPortaudio`). `process.dlopen` of Debian's library before naudiodon does NOT
 * work: Node unloads a library that is not an addon (measured here).
 */
const CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/libportaudio.so.2',
  '/usr/lib/aarch64-linux-gnu/libportaudio.so.2',
  '/usr/lib/libportaudio.so.2',
];
/** V8 flag: garbage collection on the collecting thread only (see reexecWithDebianPortaudio). */
export const SINGLE_THREADED_GC = '--single-threaded-gc';
export const DEBIAN_PACKAGES_HINT = 'install the Debian packages: sudo apt-get install -y jackd2 libportaudio2';

export function debianPortaudioPath(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** The PortAudio library file(s) mapped into this process. */
export function loadedPortaudioLibraries(): string[] {
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8').split('\n');
    return [...new Set(maps.filter((l) => l.includes('libportaudio')).map((l) => l.trim().split(/\s+/).pop() ?? ''))];
  } catch {
    return [];
  }
}

function preloaded(lib: string): boolean {
  return (process.env.LD_PRELOAD ?? '').split(/[: ]/).includes(lib);
}

/** LD_PRELOAD for a child process that loads `lib` first, then whatever this process preloads. */
export function preloadingFirst(lib: string): string {
  return [lib, process.env.LD_PRELOAD].filter(Boolean).join(':');
}

/** The subset of naudiodon's native binding the rigs use (bypassing its stream wrapper, see naudiodonRig.ts). */
export interface NaudiodonBinding {
  getDevices(): { id: number; name: string; maxInputChannels: number; maxOutputChannels: number; defaultSampleRate: number; hostAPIName: string }[];
  getHostAPIs(): { HostAPIs: { name: string; type: string; deviceCount: number }[] };
  create(options: { inOptions?: Record<string, unknown>; outOptions?: Record<string, unknown> }): NaudiodonStream;
}
export interface NaudiodonStream {
  start(): void;
  read(bytes: number): Promise<{ buf?: Buffer; finished?: boolean; err?: string }>;
  write(chunk: Buffer): Promise<string | undefined>;
  quit(mode: 'WAIT' | 'ABORT'): Promise<void>;
}

/**
 * Loads naudiodon's native binding. With `needJack`, insists that Debian's PortAudio is the one loaded
 * and fails with a clear message naming the packages or the LD_PRELOAD needed.
 */
export function loadNaudiodonBinding(needJack: boolean): NaudiodonBinding {
  const lib = debianPortaudioPath();
  if (needJack && !lib) throw new RigError(`the jack rig needs Debian's PortAudio (with JACK): ${DEBIAN_PACKAGES_HINT}`);
  const real = lib ? realpathSync(lib) : '';
  if (needJack && lib && !preloaded(lib) && !loadedPortaudioLibraries().includes(real)) {
    throw new RigError(`naudiodon would load its bundled ALSA-only PortAudio; start the process with LD_PRELOAD=${lib} (the rig CLI re-executes itself with it)`);
  }
  const require = createRequire(import.meta.url);
  let binding: NaudiodonBinding;
  try {
    const root = require.resolve('naudiodon/package.json').replace(/package\.json$/, '');
    binding = require(`${root}build/Release/naudiodon.node`) as NaudiodonBinding;
  } catch (err) {
    throw new RigError(`cannot load naudiodon's native binding (npm ci builds it): ${(err as Error).message}`);
  }
  if (needJack) {
    const loaded = loadedPortaudioLibraries();
    if (!loaded.includes(real)) throw new RigError(`PortAudio loaded from ${loaded.join(', ') || 'nowhere'}, expected ${lib}`);
  }
  return binding;
}

/**
 * Runs this same command again (stdio shared, SIGINT/SIGTERM forwarded) and exits with its code when
 * the process lacks what a real-time rig needs: Debian's PortAudio preloaded (LD_PRELOAD, when the
 * library exists) and V8's garbage collector on the collecting thread itself (`--single-threaded-gc`).
 * Why the latter: a worker host renders at SCHED_FIFO, and V8's parallel GC makes it wait for helper
 * threads at normal priority, which busy processes starve — measured with two busy loops, 40 s at
 * full polyphony on the native JACK rig: 286 underruns and a 16-period block without the flag, 6 and
 * 3.8 periods with it. Returns false when nothing is missing.
 */
export async function reexecWithDebianPortaudio(): Promise<false> {
  const lib = debianPortaudioPath();
  const needPreload = lib !== undefined && !preloaded(lib);
  const needGcFlag = !process.execArgv.includes(SINGLE_THREADED_GC);
  if ((!needPreload && !needGcFlag) || process.env.STUDIO_RIG_PA_REEXEC === '1') return false;
  const env = { ...process.env, STUDIO_RIG_PA_REEXEC: '1', ...(needPreload ? { LD_PRELOAD: preloadingFirst(lib) } : {}) };
  const child = spawn(process.execPath, [...process.execArgv, ...(needGcFlag ? [SINGLE_THREADED_GC] : []), ...process.argv.slice(1)], { stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 2 : 1))));
  process.exit(code);
}
