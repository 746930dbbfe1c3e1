/**
 * The AudioWorkletGlobalScope, which TypeScript's libs do not declare (Web Audio API §1.32): the
 * processor base class, registerProcessor and the render clock of the scope.
 */
declare global {
  interface AudioWorkletProcessorPort {
    postMessage(message: unknown, transfer?: Transferable[]): void;
    onmessage: ((event: { data: unknown }) => void) | null;
  }
  class AudioWorkletProcessor {
    readonly port: AudioWorkletProcessorPort;
    constructor(options?: unknown);
  }
  function registerProcessor(name: string, processor: new (options: { processorOptions?: unknown; numberOfInputs: number; numberOfOutputs: number }) => AudioWorkletProcessor): void;
  /** The context frame of the render quantum being processed (a multiple of 128). */
  const currentFrame: number;
  const sampleRate: number;
}
export {};
