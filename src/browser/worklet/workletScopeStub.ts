/**
 * An AudioWorkletGlobalScope stand-in for running a processor module in Node (tests only): the
 * processor base class with a port that keeps what it posts, registerProcessor, `sampleRate`, and a
 * `currentFrame` the test sets before each process() call (as Chromium's scope may show it: frozen for a
 * quantum, see renderClock.ts). A module registers its class when first imported, and test files share
 * their worker's module instances, so the classes are kept here by name.
 */
export type ProcessorPort = { posted: unknown[]; postMessage(message: unknown): void; onmessage: ((event: { data: unknown }) => void) | null };
export type Processor = { readonly port: ProcessorPort; process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean };
export type ProcessorClass = new (options: { processorOptions: unknown }) => Processor;

const registered = new Map<string, ProcessorClass>();
const scope = { frame: 0, sampleRate: 48000 };

/** The processor class `name` that `importModule` registers (the scope stubbed during the import only). */
export async function loadProcessor(name: string, importModule: () => Promise<unknown>): Promise<ProcessorClass> {
  const known = registered.get(name);
  if (known) return known;
  const g = globalThis as Record<string, unknown>;
  g.AudioWorkletProcessor = class {
    readonly port: ProcessorPort = { posted: [], postMessage(message) { this.posted.push(message); }, onmessage: null };
  };
  g.registerProcessor = (processorName: string, cls: ProcessorClass) => registered.set(processorName, cls);
  try {
    await importModule();
  } finally {
    delete g.AudioWorkletProcessor;
    delete g.registerProcessor;
  }
  const cls = registered.get(name);
  if (!cls) throw new Error(`the module registered no processor "${name}"`);
  return cls;
}

/**
 * Defines the scope's `currentFrame` and `sampleRate` (read by processors when they process) until the
 * returned function removes them; `setFrame` sets what the next process() call reads.
 */
export function stubRenderScope(sampleRate: number): { setFrame(frame: number): void; restore(): void } {
  scope.sampleRate = sampleRate;
  Object.defineProperty(globalThis, 'currentFrame', { get: () => scope.frame, configurable: true });
  Object.defineProperty(globalThis, 'sampleRate', { get: () => scope.sampleRate, configurable: true });
  return {
    setFrame: (frame) => {
      scope.frame = frame;
    },
    restore: () => {
      delete (globalThis as Record<string, unknown>).currentFrame;
      delete (globalThis as Record<string, unknown>).sampleRate;
    },
  };
}
