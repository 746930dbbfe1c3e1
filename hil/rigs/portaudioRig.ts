import { type NaudiodonBinding, type NaudiodonStream, loadNaudiodonBinding } from '../jack/portaudioLibrary.ts';
import {
  type AudioRig, type RigCallback, type RigPeriod, type RigStats, RigError, RigFlag, countFlags, makeRigStats, resetStreamStats,
} from '../../src/host/audioRig.ts';
import { pickDevice } from './pickDevice.ts';

export interface PortaudioRigOptions {
  name: string;
  kind?: 'portaudio' | 'jack';
  /** PortAudio device name: exact match first, else the only device whose name contains it. */
  device: string;
  /** Host API name substring (e.g. "JACK", "ALSA"); any when absent. */
  hostApi?: string;
  sampleRate: number;
  periodFrames: number;
  inputChannels: number;
  outputChannels: number;
  /** Silent periods queued before the first output: the rig's stream buffering (default 2). */
  prefillPeriods?: number;
  /**
   * Periods the host API adds between the stream callback and the device ports, measured once per
   * backend (default 0). Counted in streamBufferingFrames so that the remainder of a measured round
   * trip is the device's own loop. JACK: 1 (see jackRig.ts).
   */
  extraBufferingPeriods?: number;
  /** naudiodon's chunk-queue depth in periods, each direction (default 8). */
  maxQueuePeriods?: number;
  channelMap: readonly number[];
  pilot?: { output: number; input: number };
  /** Insist on Debian's PortAudio (JACK host API). */
  needJack?: boolean;
}

/**
 * A PortAudio duplex stream through naudiodon's native binding, used directly: its stream wrapper
 * destroys the stream on the first under/overflow message (closeOnError) and aborts the process on
 * quit() of a JACK duplex. Here input runs with closeOnError=false (a read never loses its period)
 * and output with closeOnError=true, so PortAudio's status text arrives as the result of a write:
 * counted in stats.backendMessages and turned into RigFlag bits on the next period. Input reads that
 * see a flag first only print it (naudiodon's printf), so this witness undercounts; the audio content
 * and jackd's own xrun count are the others.
 *
 * Timing: each read returns exactly one period (interleaved float32); frameIndex counts them. Output
 * written in the callback of period n is queued behind `prefillPeriods` periods, so
 * streamBufferingFrames = (prefillPeriods + extraBufferingPeriods) · periodFrames while no period is lost. naudiodon's queues
 * block instead of dropping: when JavaScript is late, PortAudio's callback waits and the audio server
 * notes an xrun; the lost time shows in the content, not in frameIndex.
 */
export class PortaudioRig implements AudioRig {
  readonly kind: 'portaudio' | 'jack';
  readonly clock = 'realtime' as const;
  readonly name: string;
  readonly sampleRate: number;
  readonly periodFrames: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly streamBufferingFrames: number;
  readonly channelMap: readonly number[];
  readonly pilot?: { output: number; input: number };
  readonly stats: RigStats = makeRigStats();
  /** The PortAudio device actually opened. */
  deviceName = '';
  private stream: NaudiodonStream | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private pendingFlags = 0;

  /** `loadBinding`: naudiodon's native binding; a test gives a stand-in (the shared test workers rule out module mocks). */
  constructor(
    readonly options: PortaudioRigOptions,
    private readonly loadBinding: (needJack: boolean) => NaudiodonBinding = loadNaudiodonBinding,
  ) {
    this.kind = options.kind ?? 'portaudio';
    this.name = options.name;
    this.sampleRate = options.sampleRate;
    this.periodFrames = options.periodFrames;
    this.inputChannels = options.inputChannels;
    this.outputChannels = options.outputChannels;
    this.streamBufferingFrames = ((options.prefillPeriods ?? 2) + (options.extraBufferingPeriods ?? 0)) * options.periodFrames;
    this.channelMap = options.channelMap;
    this.pilot = options.pilot;
  }

  async start(callback: RigCallback): Promise<void> {
    if (this.running) throw new RigError(`${this.name}: already started`);
    // One start's counts: the HIL starts this rig once per scenario, and a status read counts its own run.
    resetStreamStats(this.stats);
    this.pendingFlags = 0;
    const o = this.options;
    const binding = this.loadBinding(o.needJack ?? false);
    const devices = binding.getDevices().map((d) => ({ ...d, hostApi: d.hostAPIName, inputChannels: d.maxInputChannels, outputChannels: d.maxOutputChannels }));
    const dev = pickDevice(devices, { rig: this.name, device: o.device, hostApi: o.hostApi, inputChannels: o.inputChannels, outputChannels: o.outputChannels });
    this.deviceName = dev.name;
    const common = { deviceId: dev.id, sampleRate: o.sampleRate, sampleFormat: 1, framesPerBuffer: o.periodFrames, maxQueue: o.maxQueuePeriods ?? 8 };
    const inBytes = o.periodFrames * o.inputChannels * 4;
    const outBytes = o.periodFrames * o.outputChannels * 4;
    try {
      this.stream = binding.create({
        inOptions: { ...common, channelCount: o.inputChannels, closeOnError: false, highwaterMark: inBytes },
        outOptions: { ...common, channelCount: o.outputChannels, closeOnError: true, highwaterMark: outBytes },
      });
      for (let i = 0; i < (o.prefillPeriods ?? 2); i++) this.noteWrite(await this.stream.write(Buffer.alloc(outBytes)));
      this.stream.start();
    } catch (err) {
      throw new RigError(`${this.name}: cannot open "${dev.name}" at ${o.sampleRate} Hz / ${o.periodFrames} frames: ${(err as Error).message}`);
    }
    this.running = true;
    this.loop = this.run(callback, inBytes, outBytes);
  }

  async stop(): Promise<void> {
    if (!this.stream) return;
    this.running = false;
    await this.loop;
    await this.writes;
    const s = this.stream;
    this.stream = undefined;
    await s.quit('WAIT');
  }

  advance(): void {
    throw new RigError(`${this.name}: advance() is for the simulated clock; this rig runs in real time`);
  }

  private async run(callback: RigCallback, inBytes: number, outBytes: number): Promise<void> {
    const P = this.periodFrames;
    const inputs = Array.from({ length: this.inputChannels }, () => new Float32Array(P));
    const outputs = Array.from({ length: this.outputChannels }, () => new Float32Array(P));
    const period: { -readonly [K in keyof RigPeriod]: RigPeriod[K] } = {
      inputs, outputs, frames: P, frameIndex: 0, outputFrameIndex: 0, hostTimeMs: 0, flags: 0,
    };
    const nIn = this.inputChannels;
    const nOut = this.outputChannels;
    while (this.running && this.stream) {
      const r = await this.stream.read(inBytes);
      if (r.err) this.noteWrite(r.err);
      if (r.finished || !r.buf || r.buf.length < inBytes) break;
      const buf = r.buf.byteOffset % 4 === 0 ? r.buf : Buffer.from(r.buf);
      const inter = new Float32Array(buf.buffer, buf.byteOffset, P * nIn);
      for (let c = 0; c < nIn; c++) {
        const dst = inputs[c];
        for (let j = 0; j < P; j++) dst[j] = inter[j * nIn + c];
      }
      for (const o of outputs) o.fill(0);
      period.hostTimeMs = performance.now();
      period.flags = this.pendingFlags;
      period.outputFrameIndex = period.frameIndex + this.streamBufferingFrames;
      countFlags(this.stats, this.pendingFlags);
      this.pendingFlags = 0;
      try {
        callback(period);
      } catch {
        // The callback must not throw; if it does, this period plays silence.
        for (const o of outputs) o.fill(0);
      }
      const ms = performance.now() - period.hostTimeMs;
      if (ms > this.stats.maxCallbackMs) this.stats.maxCallbackMs = ms;
      const out = Buffer.allocUnsafe(outBytes);
      const outInter = new Float32Array(out.buffer, out.byteOffset, P * nOut);
      for (let c = 0; c < nOut; c++) {
        const src = outputs[c];
        for (let j = 0; j < P; j++) outInter[j * nOut + c] = src[j];
      }
      const stream = this.stream;
      this.writes = this.writes.then(async () => this.noteWrite(await stream.write(out)));
      this.stats.periods++;
      period.frameIndex += P;
    }
  }

  private noteWrite(message: string | undefined): void {
    if (!message) return;
    this.stats.backendMessages++;
    this.stats.lastBackendMessage = message.trim();
    if (message.includes('input underflow')) this.pendingFlags |= RigFlag.InputUnderflow;
    if (message.includes('input overflow')) this.pendingFlags |= RigFlag.InputOverflow;
    if (message.includes('output underflow')) this.pendingFlags |= RigFlag.OutputUnderflow;
    if (message.includes('output overflow')) this.pendingFlags |= RigFlag.OutputOverflow;
    if (message.includes('priming output')) this.pendingFlags |= RigFlag.PrimingOutput;
  }
}
