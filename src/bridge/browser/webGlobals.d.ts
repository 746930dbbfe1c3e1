/**
 * The few browser globals the bridge's browser side uses (src/bridge/browser/), declared here because the
 * project's TypeScript configuration has no DOM lib: the AudioWorklet scope (Web Audio API §1.32),
 * AudioWorkletNode and a module Worker's `self`. Only what these files call.
 */
declare global {
  interface AudioWorkletProcessorPort {
    postMessage(message: unknown): void;
    onmessage: ((event: { data: unknown }) => void) | null;
  }
  class AudioWorkletProcessor {
    readonly port: AudioWorkletProcessorPort;
  }
  function registerProcessor(name: string, processor: new (options: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

  interface AudioWorkletLike {
    addModule(url: string | URL): Promise<void>;
  }
  interface BaseAudioContext {
    readonly sampleRate: number;
    /** AudioContext only: the seconds of one render callback's worth of output (Web Audio API §1.2.3). */
    readonly baseLatency?: number;
    readonly audioWorklet: AudioWorkletLike;
  }
  interface AudioWorkletNodeOptions {
    numberOfInputs?: number;
    numberOfOutputs?: number;
    outputChannelCount?: number[];
    channelCount?: number;
    channelCountMode?: 'max' | 'clamped-max' | 'explicit';
    processorOptions?: unknown;
  }
  class AudioWorkletNode {
    constructor(context: BaseAudioContext, name: string, options?: AudioWorkletNodeOptions);
    readonly port: { postMessage(message: unknown): void };
    disconnect(): void;
  }
  interface Atomics {
    /** ES2024: resolves when `index` is notified or no longer holds `value` (`async: false`: it did not hold it). */
    waitAsync(typedArray: Int32Array, index: number, value: number, timeoutMs?: number): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
  }
}
export {};
