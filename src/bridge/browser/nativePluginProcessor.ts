/**
 * The AudioWorklet side of NativePluginNode: each render quantum's input goes into the ring to the
 * worker (which sends it to the bridge), and the output plays the bridge's reply to the quantum
 * `latencyQuanta` earlier — a fixed, declared latency. A reply not back in time plays silence and is
 * counted (`missing`); one that comes back later is discarded and counted (`lateDiscarded`), so the
 * latency never drifts. Allocates only in the constructor; never waits (Atomics.notify only wakes the worker).
 */
import { SpscRing } from '../../dsp/spscRing.ts';
import { MAX_QUANTUM_INDEX, NativeCounter, type ProcessorOptions, QUANTUM_FRAMES } from './nativePluginShared.ts';

class NativePluginProcessor extends AudioWorkletProcessor {
  private readonly inRing: SpscRing;
  private readonly outRing: SpscRing;
  private readonly inHeader: Int32Array;
  private readonly counters: Int32Array;
  private readonly o: ProcessorOptions;
  private readonly inRecord: Float32Array;
  private readonly outRecord: Float32Array;
  private hasPending = false;
  private quantum = 0;
  private running = true;

  constructor(options: { processorOptions?: unknown }) {
    super();
    this.o = options.processorOptions as ProcessorOptions;
    this.inRing = new SpscRing(this.o.inRing);
    this.outRing = new SpscRing(this.o.outRing);
    this.inHeader = new Int32Array(this.o.inRing, 0, 1);
    this.counters = new Int32Array(this.o.counters);
    this.inRecord = new Float32Array(1 + this.o.inputChannels * QUANTUM_FRAMES);
    this.outRecord = new Float32Array(1 + this.o.outputChannels * QUANTUM_FRAMES);
    this.port.onmessage = (e) => { if (e.data === 'stop') this.running = false; };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const k = this.quantum;
    this.send(k, inputs[0] ?? []);
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

  /** Plays the reply to quantum `expected` (silence before the first one is due). */
  private play(expected: number, output: Float32Array[]): void {
    for (const ch of output) ch.fill(0);
    if (expected < 0) return;
    const rec = this.outRecord;
    for (;;) {
      if (!this.hasPending) {
        if (!this.outRing.pop(rec)) break;
        this.hasPending = true;
      }
      if (rec[0] < expected) {
        this.hasPending = false;
        Atomics.add(this.counters, NativeCounter.lateDiscarded, 1);
        continue;
      }
      if (rec[0] === expected) {
        for (let c = 0; c < output.length && c < this.o.outputChannels; c++) output[c].set(rec.subarray(1 + c * QUANTUM_FRAMES, 1 + (c + 1) * QUANTUM_FRAMES));
        this.hasPending = false;
        Atomics.add(this.counters, NativeCounter.played, 1);
        return;
      }
      break; // a reply to a later quantum: keep it for then
    }
    Atomics.add(this.counters, NativeCounter.missing, 1);
  }
}

registerProcessor('studio-rig-native-plugin', NativePluginProcessor);
