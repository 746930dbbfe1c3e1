import { type AudioRig, type RigCallback, type RigStats, RigError, makeRigStats } from '../../src/host/audioRig.ts';
import { type JackAddon, loadJackAddon } from '../../src/host/jack/jackAddon.ts';
import { jackClockMap } from '../../src/host/jack/jackClockMap.ts';
import { DEFAULT_SENTINEL, type MachineStall, MachineStalls, sentinelPriority } from '../../src/host/jack/machineStalls.ts';
import { Ctl, PeriodRings, RingState } from '../../src/host/jack/periodRings.ts';
import { RenderAhead } from '../../src/host/jack/renderAhead.ts';
import type { OpenedRings, RingRig } from '../../src/host/ringRig.ts';
import { type CpuDmaLatencyHold, holdCpuDmaLatency } from '../jack/cpuDmaLatency.ts';
import { type JackServerHandle, ensureJackServer } from '../jack/jackServer.ts';
import { jackServerNameProblem } from '../jack/jackServerName.ts';
import { pairXruns, type ServerXrun, type ServerXrunRecord } from '../jack/serverXruns.ts';
import { type ForeignWriter, describeForeignWriters, foreignWriters } from '../jack/foreignWriters.ts';

export interface JackNativeRigOptions {
  name: string;
  sampleRate: number;
  periodFrames: number;
  inputChannels: number;
  outputChannels: number;
  channelMap: readonly number[];
  pilot?: { output: number; input: number };
  /** Blocks the renderer keeps queued ahead of the callback: streamBufferingFrames = fillPeriods · periodFrames. */
  fillPeriods: number;
  /** The render delay in periods (0 ≤ d < 1, default 0): the worker renders a cycle's block d periods after the cycle began (rigFile.ts). */
  renderDelayPeriods?: number;
  /** Slots of each ring: how far the renderer may fall behind before input periods are lost. */
  ringPeriods: number;
  /** CPU for JACK's process thread of our client and the render worker (−1 or absent: not pinned). */
  renderCpu?: number;
  /** Hold /dev/cpu_dma_latency at this many µs while a stream runs (null or absent: not). */
  cpuDmaLatencyUs?: number | null;
  startServer: boolean;
  loopbackPorts: number;
  realtime: boolean;
  sync: boolean;
  /** A named JACK server (jackd -n); default the default server. */
  serverName?: string;
  /** Port feeding our input k / fed by our output k; default loopback:capture_{k+1} / loopback:playback_{k+1}. */
  connectInputs?: readonly string[];
  connectOutputs?: readonly string[];
}

/** Poll interval of the in-thread mode (start(callback)): this thread cannot sleep on the semaphore. */
const IN_THREAD_POLL_MS = 1;
/**
 * Fill level of the in-thread mode, ms: a timer on a busy event loop is late by tens of ms (measured:
 * with the worker's fill of 2 × 64 frames, calibration lost so many periods that output 0 was not
 * found), so the polled mode renders 50 ms ahead (more would pass calibration's 4096-frame stagger)
 * and runs this thread at SCHED_FIFO 4 where permitted until stop() (at 50 ms without it, still 18
 * periods lost to event-loop stalls at load 20); streamBufferingFrames follows the mode.
 */
const IN_THREAD_FILL_MS = 50;

/**
 * The native JACK client (src/host/jack/jackClient.c) as a rig: jackd started like the jack rig's
 * (dummy backend, `-L N` loopback ports; one JACK period from playback_k to capture_k), our ports
 * connected per the rig file. The callback never waits; a RigServer given an engine spec renders in a
 * worker (WorkerHostRunner), sleeping on the client's cycle semaphore. `start(callback)` (calibration,
 * probes) renders on this thread instead, polled every millisecond, 50 ms ahead at SCHED_FIFO 4 — not the live path.
 *
 * Timing model: stream frame = JACK's frame counter since our first cycle; hostTimeMs = when our callback
 * began the cycle (jack_get_time() at its entry: late, never early; not the DLL's cycle times, see
 * jackClient.c), on performance.now(); streamBufferingFrames = fill · period (fill of the mode last started);
 * the device part (loopback) is one period. Stats: outputUnderflows = cycles that played silence for
 * want of a block (Ctl.UNDERRUNS: the server's output ring), inputOverflows = input periods lost,
 * lateCallbacks = callback entries more than 1.5 periods apart, backendMessages = JACK's xrun
 * callbacks to this client; serverXruns / serverDriverXruns from jackd's log when the rig started it;
 * serverXruns() each xrun on the stream clock with its kind.
 */
export class JackNativeRig implements RingRig, AudioRig {
  readonly kind = 'jack' as const;
  readonly clock = 'realtime' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly periodFrames: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly channelMap: readonly number[];
  readonly pilot?: { output: number; input: number };
  readonly fillPeriods: number;
  /** Fill of the mode last started (worker: fillPeriods; start(callback): IN_THREAD_FILL_MS); kept after stop() for the caller that reads it then. */
  private activeFill: number;
  /** The mode last started is start(callback)'s (the engine on the control thread, no render delay). */
  private inThread = false;
  private addon: JackAddon | undefined;
  private handle = -1;
  private rings: PeriodRings | undefined;
  private server: JackServerHandle | undefined;
  private poll: NodeJS.Timeout | undefined;
  private realtimeThread = false;
  private readonly base = makeRigStats();
  private prior = { serverXruns: 0, driverXruns: 0 };
  private lastServerDescription = 'not started';
  private lastServerXruns: ServerXrun[] = [];
  private clientName = 'studio-rig';
  private playedPorts: string[] = [];
  /** Other clients found writing into our playback ports when the last start stopped (see foreignWriters.ts). */
  foreignWritersAtStop: ForeignWriter[] = [];
  /** The machine-stall sentinel's record of the running start (machineStalls.ts), and the last one's once stopped. */
  private stalls: MachineStalls | undefined;
  private lastStalls: MachineStallRecord | null = null;
  /** The wake-up latency request held while a stream runs (options.cpuDmaLatencyUs). */
  private dmaLatency: CpuDmaLatencyHold | undefined;
  private dmaLatencyDescription = '';

  constructor(readonly options: JackNativeRigOptions) {
    ({ name: this.name, sampleRate: this.sampleRate, periodFrames: this.periodFrames, inputChannels: this.inputChannels, outputChannels: this.outputChannels, channelMap: this.channelMap, pilot: this.pilot, fillPeriods: this.fillPeriods } = options);
    this.activeFill = this.fillPeriods;
  }

  /** fillPeriods · periodFrames for a worker host; more for start(callback) (see IN_THREAD_FILL_MS). */
  get streamBufferingFrames(): number {
    return this.activeFill * this.periodFrames;
  }

  /** The render delay of a worker host (renderDelayPeriods · periodFrames, rounded); start(callback) renders at once (0). */
  get renderDelayFrames(): number {
    return this.inThread ? 0 : Math.round((this.options.renderDelayPeriods ?? 0) * this.periodFrames);
  }

  /** How the JACK server was obtained, for reports. */
  get serverDescription(): string { return this.lastServerDescription + this.dmaLatencyDescription; }

  get stats(): RigStats {
    const s = this.base;
    const r = this.rings;
    if (r) {
      s.periods = r.count(Ctl.CYCLES);
      s.outputUnderflows = r.count(Ctl.UNDERRUNS);
      s.inputOverflows = r.count(Ctl.INPUT_OVERFLOWS);
      s.lateCallbacks = r.count(Ctl.LATE_CYCLES);
      s.flaggedPeriods = s.outputUnderflows + s.inputOverflows;
      s.backendMessages = r.count(Ctl.XRUNS);
      s.maxCallbackMs = r.count(Ctl.MAX_CALLBACK_NS) / 1e6;
    }
    if (this.server?.started) {
      s.serverXruns = this.prior.serverXruns + this.server.xruns;
      s.serverDriverXruns = this.prior.driverXruns + this.server.driverXruns;
    }
    return s;
  }

  /** The callback's counters (periodRings.ts Ctl), for probes and reports. */
  ringCounters(): Record<string, number> {
    const r = this.rings;
    const read = (slot: number) => (r ? r.count(slot) : 0);
    return {
      cycles: read(Ctl.CYCLES), underruns: read(Ctl.UNDERRUNS), inputOverflows: read(Ctl.INPUT_OVERFLOWS), staleBlocks: read(Ctl.STALE_BLOCKS),
      frameJumps: read(Ctl.FRAME_JUMPS), lateCycles: read(Ctl.LATE_CYCLES), xrunCallbacks: read(Ctl.XRUNS),
      maxCallbackMs: read(Ctl.MAX_CALLBACK_NS) / 1e6, maxCycleGapMs: read(Ctl.MAX_CYCLE_GAP_US) / 1e3,
    };
  }

  /**
   * Every xrun JACK notified our client of since this start (or during the last one, once stopped), on the
   * stream clock, with its kind from jackd's log when the rig started jackd (serverXruns.ts).
   */
  serverXruns(): ServerXrunRecord {
    if (!this.rings || this.handle < 0) return { placedBy: 'callback', xruns: this.lastServerXruns };
    const jumps = this.rings.jumpsSince(0).jumps.map((j): ServerXrun => ({ kind: 'jump', frame: j.expectedFrame, hostMs: Number.NaN, stepFrames: j.stepFrames }));
    const xruns = pairXruns(this.rings.xrunsSince(0).records, this.server?.started ? this.server.xrunLog() : null);
    return { placedBy: 'callback', xruns: [...xruns, ...jumps].sort((a, b) => (a.frame ?? 0) - (b.frame ?? 0)) };
  }

  /**
   * What the machine-stall sentinel saw during this start (or the last one, once stopped): every wake-up
   * later than its threshold, on the stream clock; null when it did not run.
   */
  machineStalls(): MachineStallRecord | null {
    const s = this.stalls;
    if (!s || this.handle < 0) return this.lastStalls;
    return { realtime: s.realtime, maxLateUs: s.maxLateUs, intervalUs: DEFAULT_SENTINEL.intervalUs, stalls: s.since(0).stalls };
  }

  /** Underrun frames the callback recorded since counter `from` (see PeriodRings.underrunFramesSince). */
  underrunFramesSince(from: number): { frames: number[]; next: number } {
    return this.rings ? this.rings.underrunFramesSince(from) : { frames: [], next: from };
  }

  async openRings(): Promise<OpenedRings> {
    if (this.handle >= 0) throw new RigError(`${this.name}: already started`);
    const o = this.options;
    this.activeFill = this.fillPeriods;
    this.inThread = false;
    // Before a server is started or any JACK client call made in this process: such a name corrupts the
    // client library's heap (jackServerName.ts).
    const badName = o.serverName === undefined ? undefined : jackServerNameProblem(o.serverName);
    if (badName) throw new RigError(`${this.name}: jack.serverName "${o.serverName}": ${badName}`);
    this.addon = loadJackAddonOrRigError();
    if (o.startServer) {
      this.server = await ensureJackServer({
        sampleRate: o.sampleRate, periodFrames: o.periodFrames, loopbackPorts: o.loopbackPorts,
        systemPorts: Math.max(o.inputChannels, o.outputChannels), realtime: o.realtime, sync: o.sync, serverName: o.serverName,
      });
      this.lastServerDescription = this.server.description;
    }
    if (o.cpuDmaLatencyUs !== null && o.cpuDmaLatencyUs !== undefined && !this.dmaLatency) {
      this.dmaLatency = holdCpuDmaLatency(o.cpuDmaLatencyUs);
      this.dmaLatencyDescription = this.dmaLatency.heldUs !== null
        ? `; /dev/cpu_dma_latency held at ${this.dmaLatency.heldUs} µs while streaming`
        : `; /dev/cpu_dma_latency not held (${this.dmaLatency.reason})`;
    }
    try {
      const client = this.addon.open('studio-rig', o.serverName ?? null);
      this.handle = client.handle;
      this.clientName = client.clientName;
      if (client.sampleRate !== o.sampleRate || client.periodFrames !== o.periodFrames) {
        throw new RigError(`${this.name}: the JACK server runs ${client.sampleRate} Hz / ${client.periodFrames} frames, the rig file says ${o.sampleRate} / ${o.periodFrames}`);
      }
      this.rings = PeriodRings.create({ inputs: o.inputChannels, outputs: o.outputChannels, periodFrames: o.periodFrames, ringPeriods: o.ringPeriods, underrunCapacity: 4096, xrunCapacity: 4096 });
      this.lastServerXruns = [];
    } catch (err) {
      await this.stop();
      throw err instanceof RigError ? err : new RigError(`${this.name}: ${(err as Error).message}`);
    }
    return { rings: this.rings.buffers, waiter: { kind: 'native', handle: this.handle, renderDelayUs: (this.renderDelayFrames * 1e6) / this.sampleRate }, clock: 'jack', realtime: o.realtime, renderCpu: o.renderCpu ?? -1 };
  }

  async startCallbacks(): Promise<void> {
    const o = this.options;
    const ports = (given: readonly string[] | undefined, n: number, kind: 'capture' | 'playback') =>
      given ?? Array.from({ length: n }, (_, k) => (k < o.loopbackPorts ? `loopback:${kind}_${k + 1}` : ''));
    const played = ports(o.connectOutputs, o.outputChannels, 'playback');
    this.playedPorts = played.filter((p) => p !== '');
    try {
      this.addon!.activate(this.handle, {
        ...this.rings!.buffers, cpu: o.renderCpu ?? -1,
        connectInputs: ports(o.connectInputs, o.inputChannels, 'capture'), connectOutputs: played,
      });
      // The sentinel watches the machine from here to close(): its record is what makes an underrun the machine's.
      this.stalls = MachineStalls.create();
      this.lastStalls = null;
      this.addon!.startSentinel(this.handle, { ...this.stalls, ...DEFAULT_SENTINEL, priority: sentinelPriority(this.addon!.maxRealtimePriority(this.handle)) });
      const foreign = this.foreignWriters();
      if (foreign.length > 0) {
        throw new Error(`other JACK clients play into the ports this rig measures (${describeForeignWriters(foreign)}): their signal would be mixed into the capture. Stop them, or give the rig its own server (jack.serverName)`);
      }
      // Connected: the stream clock starts at the next cycle (jackClient.c plays silence until then).
      Atomics.store(this.rings!.ctl, Ctl.STATE, RingState.RUNNING);
    } catch (err) {
      await this.stop();
      throw new RigError(`${this.name}: ${(err as Error).message}`);
    }
  }

  async start(callback: RigCallback): Promise<void> {
    await this.openRings();
    this.activeFill = Math.min(this.options.ringPeriods - 1, Math.max(this.fillPeriods, Math.ceil((IN_THREAD_FILL_MS * this.sampleRate) / 1000 / this.periodFrames)));
    this.inThread = true;
    const clock = jackClockMap(this.addon!);
    const ahead = new RenderAhead(this.rings!, this.activeFill, clock.map);
    ahead.prime();
    await this.startCallbacks();
    this.realtimeThread = this.addon!.setRealtime(4) === 0;
    this.poll = setInterval(() => ahead.pump(callback), IN_THREAD_POLL_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.poll);
    this.poll = undefined;
    if (this.realtimeThread) this.addon?.setRealtime(0);
    this.realtimeThread = false;
    if (this.handle >= 0) {
      const stalls = this.machineStalls();
      // Asked through our own client (no child process: see foreignWriters), before it closes.
      this.foreignWritersAtStop = this.foreignWriters();
      if (this.foreignWritersAtStop.length > 0) this.lastServerDescription += `; other clients joined our playback ports during the run: ${describeForeignWriters(this.foreignWritersAtStop)}`;
      this.addon?.close(this.handle);
      this.lastServerXruns = this.serverXruns().xruns;
      this.lastStalls = stalls;
      this.stalls = undefined;
      this.handle = -1;
    }
    const stats = this.stats;
    if (this.server?.started) this.prior = { serverXruns: stats.serverXruns, driverXruns: stats.serverDriverXruns };
    await this.server?.stop();
    this.server = undefined;
    this.dmaLatency?.release();
    this.dmaLatency = undefined;
  }

  /**
   * Other clients' ports connected to the ports we play into, asked through our open client. Never by
   * running jack_lsp (as this did): forking this process copies its page tables under the memory-map lock
   * and write-protects every private page, so each real-time thread's next write to a page faults —
   * measured as 2–4 underruns at every stop while the check forked during the stream. At start it forked
   * just before the stream began, the same cost for its first blocks (not measured apart).
   */
  private foreignWriters(): ForeignWriter[] {
    if (this.playedPorts.length === 0 || this.handle < 0 || !this.addon) return [];
    const lists = this.addon.connections(this.handle, this.playedPorts);
    const connections = new Map(this.playedPorts.map((port, i) => [port, lists[i] ?? []]));
    return foreignWriters(connections, this.clientName, this.playedPorts);
  }

  advance(): void {
    throw new RigError(`${this.name}: advance() is for the simulated clock; this rig runs in real time`);
  }
}

/** The sentinel's record of one start: whether it ran at its real-time priority, how often it woke, the longest lateness and each stall. */
export interface MachineStallRecord {
  realtime: boolean;
  maxLateUs: number;
  intervalUs: number;
  stalls: MachineStall[];
}

function loadJackAddonOrRigError(): JackAddon {
  try {
    return loadJackAddon();
  } catch (err) {
    throw new RigError((err as Error).message);
  }
}
