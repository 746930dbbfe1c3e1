import { type AudioRig, type RigCallback, RigError, identityMap, makeRigStats, resetStreamStats } from '../audioRig.ts';
import type { OpenedRings, RingRig } from '../ringRig.ts';
import { JsCycleSource } from './jsCycleSource.ts';
import { PeriodRings } from './periodRings.ts';
import { RenderAhead } from './renderAhead.ts';

export interface JsRingRigOptions {
  sampleRate: number;
  periodFrames: number;
  inputChannels: number;
  outputChannels: number;
  fillPeriods: number;
  ringPeriods?: number;
}

/**
 * A RingRig whose callback is JsCycleSource (jackClient.c's protocol in JavaScript), driven by its
 * caller on a simulated clock: `cycleWhenReady()` runs one cycle as soon as the renderer (a worker
 * host, or this thread after start(callback)) has queued its block — a device that never underruns,
 * for comparing the live host with the offline renderer bit for bit. Stream frame n·P is cycle n; the
 * cycle's host time is its frame time (µs on the control thread's performance.now()).
 */
export class JsRingRig implements RingRig, AudioRig {
  readonly kind = 'virtual' as const;
  readonly clock = 'simulated' as const;
  readonly name = 'js-ring';
  readonly sampleRate: number;
  readonly periodFrames: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly fillPeriods: number;
  readonly streamBufferingFrames: number;
  readonly channelMap: readonly number[];
  readonly stats = makeRigStats();
  private rings: PeriodRings | undefined;
  private device: JsCycleSource | undefined;
  private inThread: { ahead: RenderAhead; callback: RigCallback } | undefined;
  private readonly inputs: Float32Array[];
  readonly outputs: Float32Array[];

  constructor(readonly options: JsRingRigOptions) {
    ({ sampleRate: this.sampleRate, periodFrames: this.periodFrames, inputChannels: this.inputChannels, outputChannels: this.outputChannels, fillPeriods: this.fillPeriods } = options);
    this.streamBufferingFrames = this.fillPeriods * this.periodFrames;
    this.channelMap = identityMap(this.outputChannels, this.inputChannels);
    this.inputs = Array.from({ length: this.inputChannels }, () => new Float32Array(this.periodFrames));
    this.outputs = Array.from({ length: this.outputChannels }, () => new Float32Array(this.periodFrames));
  }

  async openRings(): Promise<OpenedRings> {
    const o = this.options;
    resetStreamStats(this.stats);
    this.rings = PeriodRings.create({ inputs: o.inputChannels, outputs: o.outputChannels, periodFrames: o.periodFrames, ringPeriods: o.ringPeriods ?? 16, underrunCapacity: 64 });
    this.device = new JsCycleSource(this.rings, this.sampleRate);
    return { rings: this.rings.buffers, waiter: { kind: 'atomics' }, clock: 'hostMicroseconds' };
  }

  async startCallbacks(): Promise<void> {}

  async start(callback: RigCallback): Promise<void> {
    await this.openRings();
    const ahead = new RenderAhead(this.rings!, this.fillPeriods, (us) => us / 1000);
    ahead.prime();
    this.inThread = { ahead, callback };
  }

  /** Runs one cycle once its block is queued; `this.outputs` then hold what was played at that frame. Returns the frame. */
  async cycleWhenReady(timeoutMs = 5000): Promise<number> {
    const device = this.device;
    if (!device) throw new RigError(`${this.name}: not open`);
    const deadline = performance.now() + timeoutMs;
    while (!device.nextBlockReady) {
      if (performance.now() > deadline) throw new RigError(`${this.name}: no block for frame ${device.nextFrame} within ${timeoutMs} ms`);
      await new Promise((r) => setImmediate(r));
    }
    return this.cycle();
  }

  /** Simulated clock, in-thread renderer: `periods` cycles now. */
  advance(periods: number): void {
    if (!this.inThread) throw new RigError(`${this.name}: advance() needs start(callback); a worker host is driven by cycleWhenReady()`);
    for (let i = 0; i < periods; i++) {
      this.cycle();
      this.inThread.ahead.pump(this.inThread.callback);
    }
  }

  async stop(): Promise<void> {
    this.device?.close();
    this.device = undefined;
    this.inThread = undefined;
  }

  private cycle(): number {
    const device = this.device!;
    const frame = device.nextFrame;
    device.cycle(this.inputs, this.outputs, (frame * 1e6) / this.sampleRate);
    this.stats.periods++;
    return frame;
  }
}
