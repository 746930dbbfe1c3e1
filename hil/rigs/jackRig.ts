import { type JackServerHandle, ensureJackServer } from '../jack/jackServer.ts';
import { type ServerXrun, type ServerXrunRecord, xrunsOfLog } from '../jack/serverXruns.ts';
import type { AudioRig, RigCallback, RigStats } from '../../src/host/audioRig.ts';
import { PortaudioRig, type PortaudioRigOptions } from './portaudioRig.ts';

export interface JackRigOptions extends Omit<PortaudioRigOptions, 'kind' | 'needJack'> {
  /** Start jackd (dummy backend) when no server runs; stop it on stop(). Default true. */
  startServer?: boolean;
  loopbackPorts?: number;
  /** Start jackd with -R (realtime where permitted) and/or -S (synchronous cycles); see rigFile.ts. */
  realtime?: boolean;
  sync?: boolean;
}

/**
 * naudiodon → PortAudio's JACK host API → a JACK server whose `-L N` loopback client gives the loop:
 * jackd --no-realtime -L 32 -d dummy -r 48000 -p 128 -C 32 -P 32 creates ports loopback:playback_k
 * and loopback:capture_k (k = 1…32; what is written to playback_k in one cycle is read from
 * capture_k in the next: jack_iodelay reads 128.000 frames at period 128). The dummy backend's own
 * system:capture/playback ports are silent and not used. PortAudio lists the loopback client as the
 * device "loopback" (32 in / 32 out) and connects its ports to it when the stream opens — no
 * jack_connect needed. The server is started only when none runs, and stopped only if started here;
 * its xrun lines are counted in stats.serverXruns.
 *
 * Measured here (hil/jack/jackProbe.ts, 32 channels, period 128): the stream-clock round trip is
 * (prefillPeriods + 1)·128 + 128 frames on every channel for prefill 0, 1, 2 and 4, while jack_iodelay
 * reads the bare loop as 128.000. The extra period lies between naudiodon's callback and the JACK ports,
 * so jack-loopback.json declares extraBufferingPeriods = 1: it belongs to the harness's stream
 * buffering, and the device part left for calibration is the loop jack_iodelay measures.
 * jack-loopback.json uses prefillPeriods 0 (each JACK cycle waits for the engine's block: the lowest
 * latency, event to DAC 1–2 periods; `rig serve --prefill N` trades latency for slack).
 *
 * Why jack-loopback.json starts jackd with -R -S (measured with a sample counter on all 32 loops,
 * 45 s runs, this 2-core VM): with the issue's `--no-realtime` asynchronous server the dummy driver's
 * timer alone runs late ~0.5×/s (jack_thru, no JavaScript at all: 16 driver xruns in 30 s) and a
 * cycle our client finishes late loses its period — 2–3 content breaks per 45 s at prefill 1, 1–2 at
 * prefill 0 or 2, even with the harness at SCHED_FIFO (JavaScript stalls of 6–40 ms still happen).
 * -R alone: ~1 break per 90 s. -R -S: none in any run; a late cycle delays the dummy device's clock
 * instead (a driver xrun, counted in stats.serverDriverXruns and in the report), and the runner's
 * after-run clock map (captureRecorder.ts) follows such a stall. On a real interface sync mode does
 * not save a late period — there the content check and the flags find it.
 */
export class JackRig implements AudioRig {
  readonly kind = 'jack' as const;
  readonly clock = 'realtime' as const;
  private readonly pa: PortaudioRig;
  private server: JackServerHandle | undefined;
  private lastServerXruns: ServerXrun[] = [];

  constructor(private readonly options: JackRigOptions) {
    this.pa = new PortaudioRig({ ...options, kind: 'jack', needJack: true, hostApi: options.hostApi ?? 'JACK' });
  }

  get name() { return this.pa.name; }
  get sampleRate() { return this.pa.sampleRate; }
  get periodFrames() { return this.pa.periodFrames; }
  get inputChannels() { return this.pa.inputChannels; }
  get outputChannels() { return this.pa.outputChannels; }
  get streamBufferingFrames() { return this.pa.streamBufferingFrames; }
  get channelMap() { return this.pa.channelMap; }
  get pilot() { return this.pa.pilot; }
  get stats(): RigStats {
    this.noteServerXruns();
    return this.pa.stats;
  }
  /** How this rig starts jackd (-R, -S), for a caller that starts the server itself (jackProbe.ts). */
  get serverScheduling(): { realtime?: boolean; sync?: boolean } {
    return { realtime: this.options.realtime, sync: this.options.sync };
  }

  private lastServerDescription = 'not started';
  /** How the JACK server was obtained, for reports (the last one, once stopped). */
  get serverDescription(): string { return this.lastServerDescription; }

  /** jackd's xrun counts of the current server, added to what earlier servers of this rig counted. */
  private noteServerXruns(): void {
    if (!this.server || !this.server.started) return;
    this.pa.stats.serverXruns = this.priorXruns + this.server.xruns;
    this.pa.stats.serverDriverXruns = this.priorDriverXruns + this.server.driverXruns;
  }
  private priorXruns = 0;
  private priorDriverXruns = 0;

  /** jackd's xruns during this start (or the last one, once stopped), placed by when their log lines arrived: PortAudio gives no callback for them. */
  serverXruns(): ServerXrunRecord {
    return { placedBy: 'log', xruns: this.server?.started ? xrunsOfLog(this.server.xrunLog()) : this.lastServerXruns };
  }

  async start(callback: RigCallback): Promise<void> {
    const o = this.options;
    this.lastServerXruns = [];
    if (o.startServer !== false) {
      this.server = await ensureJackServer({
        sampleRate: o.sampleRate, periodFrames: o.periodFrames,
        loopbackPorts: o.loopbackPorts ?? Math.max(o.inputChannels, o.outputChannels),
        systemPorts: Math.max(o.inputChannels, o.outputChannels), realtime: o.realtime, sync: o.sync,
      });
      this.lastServerDescription = this.server.description;
    }
    try {
      await this.pa.start(callback);
    } catch (err) {
      await this.server?.stop();
      this.server = undefined;
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.pa.stop();
    this.noteServerXruns();
    if (this.server?.started) {
      this.lastServerXruns = this.serverXruns().xruns;
      this.priorXruns += this.server.xruns;
      this.priorDriverXruns += this.server.driverXruns;
    }
    await this.server?.stop();
    this.server = undefined;
  }

  advance(): void {
    this.pa.advance();
  }
}
