import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { JACK_ENV, runJackTool } from './jackServer.ts';
import { onPath } from '../../src/io/onPath.ts';
import { debianPortaudioPath, loadNaudiodonBinding, loadedPortaudioLibraries, preloadingFirst } from './portaudioLibrary.ts';

const run = promisify(execFile);

/**
 * What `rig devices` reports: the PortAudio devices (every host API the loaded PortAudio has, JACK
 * included when Debian's libportaudio2 is preloaded) with channel counts and default rates, and the
 * JACK server — its rate, period and ports per client — or that none is running (never starting one).
 */
export interface PortaudioDevice {
  id: number;
  name: string;
  hostApi: string;
  inputChannels: number;
  outputChannels: number;
  defaultSampleRateHz: number;
}

export interface JackClientPorts {
  client: string;
  /** Ports that deliver audio to JACK (a device's capture side, a client's outputs). */
  outputPorts: number;
  /** Ports that take audio from JACK (a device's playback side, a client's inputs). */
  inputPorts: number;
}

export interface DeviceList {
  portaudio: { available: boolean; library: string | null; hostApis: string[]; devices: PortaudioDevice[]; problem?: string };
  jack: { installed: boolean; running: boolean; sampleRateHz: number | null; periodFrames: number | null; clients: JackClientPorts[]; note: string };
}

/** In this process (PortAudio's host APIs print their probing noise to stderr, ALSA's by the dozen lines). */
export function listPortaudioDevices(): DeviceList['portaudio'] {
  try {
    const binding = loadNaudiodonBinding(false);
    const devices = binding.getDevices().map((d) => ({
      id: d.id, name: d.name, hostApi: d.hostAPIName, inputChannels: d.maxInputChannels, outputChannels: d.maxOutputChannels, defaultSampleRateHz: d.defaultSampleRate,
    }));
    const hostApis = binding.getHostAPIs().HostAPIs.map((h) => h.name);
    return { available: true, library: loadedPortaudioLibraries()[0] ?? debianPortaudioPath() ?? null, hostApis, devices };
  } catch (err) {
    return { available: false, library: null, hostApis: [], devices: [], problem: (err as Error).message };
  }
}

/**
 * The same in a child process with Debian's PortAudio preloaded (its JACK host API; the loader reads
 * LD_PRELOAD only at start) and the libraries' stderr noise kept out of the user's terminal.
 */
export async function listPortaudioDevicesQuietly(): Promise<DeviceList['portaudio']> {
  const lib = debianPortaudioPath();
  const env = { ...JACK_ENV, ...(lib ? { LD_PRELOAD: preloadingFirst(lib) } : {}) };
  try {
    const { stdout } = await run(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), '--portaudio-json'], { env, timeout: 30_000, maxBuffer: 16 << 20 });
    return JSON.parse(stdout) as DeviceList['portaudio'];
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-2).join(' | ');
    return { available: false, library: null, hostApis: [], devices: [], problem: `the PortAudio probe failed: ${stderr || (err as Error).message}` };
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--portaudio-json')) {
  process.stdout.write(JSON.stringify(listPortaudioDevices()));
}

/** Ports per client from `jack_lsp -p` (a port line, then a tab-indented "properties: output,physical,…" line). */
export function parseJackPorts(text: string): JackClientPorts[] {
  const clients = new Map<string, JackClientPorts>();
  let port: string | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('\t') && line.trim()) port = line.trim();
    else if (port && /properties:/.test(line)) {
      const client = port.slice(0, port.indexOf(':'));
      const c = clients.get(client) ?? { client, outputPorts: 0, inputPorts: 0 };
      if (/\boutput\b/.test(line)) c.outputPorts++;
      else if (/\binput\b/.test(line)) c.inputPorts++;
      clients.set(client, c);
      port = null;
    }
  }
  return [...clients.values()];
}

/** Runs a JACK tool and gives its stdout, or throws (jackServer.ts runJackTool; tests fake it). */
export type JackToolRunner = (binary: string, args: string[]) => Promise<string>;

async function jackNumber(runTool: JackToolRunner, binary: string): Promise<number | null> {
  try {
    const n = Number((await runTool(binary, [])).match(/\d+/)?.[0]);
    return Number.isFinite(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/**
 * The JACK server as the tools see it. Each tool connects on its own, and another program (a test, a
 * harness run) may stop the server between two of them: a tool that cannot connect means no server, and a
 * listing whose rate or period could not be read is reported as a server that stopped while it was being
 * listed — an answer, never a crash of `rig devices`.
 */
export async function listJack(runTool: JackToolRunner = runJackTool, installed = onPath('jackd') !== undefined && onPath('jack_lsp') !== undefined): Promise<DeviceList['jack']> {
  const none = (note: string): DeviceList['jack'] => ({ installed, running: false, sampleRateHz: null, periodFrames: null, clients: [], note });
  if (!installed) return none('JACK is not installed (sudo apt-get install -y jackd2); the jack rig needs it');
  let listing: string;
  try {
    listing = await runTool('jack_lsp', ['-p']);
  } catch {
    return none('no JACK server is running (none was started); `rig hil --rig jack` starts its own dummy-backend server');
  }
  const [sampleRateHz, periodFrames] = await Promise.all([jackNumber(runTool, 'jack_samplerate'), jackNumber(runTool, 'jack_bufsize')]);
  if (sampleRateHz === null || periodFrames === null) return none('no JACK server is running now: one stopped while it was being listed');
  return { installed, running: true, sampleRateHz, periodFrames, clients: parseJackPorts(listing), note: 'a JACK server is running' };
}

export async function listDevices(): Promise<DeviceList> {
  const [portaudio, jack] = await Promise.all([listPortaudioDevicesQuietly(), listJack()]);
  return { portaudio, jack };
}
