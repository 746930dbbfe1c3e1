/**
 * The AudioWorklet side of NativePluginNode: each render quantum's input goes into the ring to the
 * worker (which sends it to the bridge), and the output plays the bridge's reply to the quantum
 * `latencyQuanta` earlier — a fixed, declared latency. Every quantum it first takes every reply the
 * worker has put in the ring and keeps each in a slot by its sequence number until its quantum is due;
 * it also counts, for every declared latency N < LATENCY_SLOTS, whether the reply to quantum k − N has
 * arrived by now (`silentByLatency`: what the stream would have played as silence at N). A reply not back in time plays silence and is counted
 * (`missing`); one that comes back later is discarded and counted (`lateDiscarded`), so the latency never
 * drifts. Allocates only in the constructor; never waits (Atomics.notify only wakes the worker).
 */
import { copySamples } from '../../dsp/copySamples.ts';
import { SpscRing } from '../../dsp/spscRing.ts';
import { LATENCY_SLOTS, MAX_QUANTUM_INDEX, NativeCounter, type ProcessorOptions, QUANTUM_FRAMES, RING_QUANTA } from './nativePluginShared.ts';

class NativePluginProcessor extends AudioWorkletProcessor {
  private readonly inRing: SpscRing;
  private readonly outRing: SpscRing;
  private readonly inHeader: Int32Array;
  private readonly counters: Int32Array;
  private readonly silentByLatency: Int32Array;
  private readonly o: ProcessorOptions;
  private readonly inRecord: Float32Array;
  private readonly outRecord: Float32Array;
  /** Replies waiting for their quantum: RING_QUANTA records, the reply to quantum s at slot s mod RING_QUANTA. */
  private readonly held: Float32Array;
  /** The quantum each slot of `held` holds the reply to, or −1. */
  private readonly heldQuantum: Float64Array;
  /** The quantum whose reply reached this slot last (kept or discarded), or −1. */
  private readonly arrivedQuantum: Float64Array;
  private quantum = 0;
  private running = true;

  constructor(options: { processorOptions?: unknown }) {
    super();
    this.o = options.processorOptions as ProcessorOptions;
    this.inRing = new SpscRing(this.o.inRing);
    this.outRing = new SpscRing(this.o.outRing);
    this.inHeader = new Int32Array(this.o.inRing, 0, 1);
    this.counters = new Int32Array(this.o.counters);
    this.silentByLatency = new Int32Array(this.o.silentByLatency);
    this.inRecord = new Float32Array(1 + this.o.inputChannels * QUANTUM_FRAMES);
    this.outRecord = new Float32Array(1 + this.o.outputChannels * QUANTUM_FRAMES);
    this.held = new Float32Array(RING_QUANTA * this.outRecord.length);
    this.heldQuantum = new Float64Array(RING_QUANTA).fill(-1);
    this.arrivedQuantum = new Float64Array(RING_QUANTA).fill(-1);
    this.port.onmessage = (e) => { if (e.data === 'stop') this.running = false; };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const k = this.quantum;
    this.send(k, inputs[0] ?? []);
    this.receive(k);
    this.countSilentByLatency(k);
    this.play(k - this.o.latencyQuanta, outputs[0] ?? []);
    this.quantum = (k + 1) % MAX_QUANTUM_INDEX;
    Atomics.add(this.counters, NativeCounter.quanta, 1);
    return this.running;
  }

  private send(k: number, input: Float32Array[]): void {
    const rec = this.inRecord;
    rec[0] = k;
    for (let c = 0; c < this.o.inputChannels; c++) {
      const src = input[c];
      if (src) rec.set(src, 1 + c * QUANTUM_FRAMES);
      else rec.fill(0, 1 + c * QUANTUM_FRAMES, 1 + (c + 1) * QUANTUM_FRAMES);
    }
    if (this.inRing.push(rec)) {
      Atomics.add(this.counters, NativeCounter.sent, 1);
      Atomics.notify(this.inHeader, 0);
    } else Atomics.add(this.counters, NativeCounter.inputDropped, 1);
  }

  /** Takes every reply in the ring at quantum `k`: kept if its quantum is still to be played, else discarded. */
  private receive(k: number): void {
    const rec = this.outRecord;
    while (this.outRing.pop(rec)) {
      const s = rec[0];
      const slot = s % RING_QUANTA;
      this.arrivedQuantum[slot] = s;
      if ((k - s + MAX_QUANTUM_INDEX) % MAX_QUANTUM_INDEX > this.o.latencyQuanta) {
        Atomics.add(this.counters, NativeCounter.lateDiscarded, 1);
        continue;
      }
      this.held.set(rec, slot * rec.length);
      this.heldQuantum[slot] = s;
    }
  }

  /** At quantum `k`, the deadline of quantum k − N at each declared latency N: counted silent if its reply has not arrived. */
  private countSilentByLatency(k: number): void {
    for (let n = 1; n < LATENCY_SLOTS && n <= k; n++) {
      const s = k - n;
      if (this.arrivedQuantum[s % RING_QUANTA] !== s) Atomics.add(this.silentByLatency, n, 1);
    }
  }

  /** Plays the reply to quantum `expected` (silence before the first one is due). */
  private play(expected: number, output: Float32Array[]): void {
    for (const ch of output) ch.fill(0);
    if (expected < 0) return;
    const slot = expected % RING_QUANTA;
    if (this.heldQuantum[slot] !== expected) {
      Atomics.add(this.counters, NativeCounter.missing, 1);
      return;
    }
    const base = slot * this.outRecord.length + 1;
    for (let c = 0; c < output.length && c < this.o.outputChannels; c++) copySamples(this.held, base + c * QUANTUM_FRAMES, output[c], 0, QUANTUM_FRAMES);
    this.heldQuantum[slot] = -1;
    Atomics.add(this.counters, NativeCounter.played, 1);
  }
}

registerProcessor('studio-rig-native-plugin', NativePluginProcessor);
