/// <reference lib="dom" />
import { EngineNode, QUANTUM_FRAMES, createRecorder } from '../engineNode.ts';
import type { AudioSource } from './sources.ts';

/** A stretch of the page's audio, input and output aligned to the same context frames. */
export interface PageCapture {
  sampleRate: number;
  startFrame: number;
  input: Float32Array[];
  output: Float32Array[];
}

/**
 * The page's sound: one AudioContext, the chosen engine in an AudioWorklet (web10's EngineNode, the
 * engine code of src/) to the speakers, a source into it (test tone, file, microphone: sources.ts).
 * A live parameter goes in as a Param event (the engine's smoothing applies), anything else through
 * loadParams (a rebuild).
 */
export class PageAudio {
  private source: AudioSource | null = null;
  private inserted: AudioNode | null = null;

  private constructor(readonly ctx: AudioContext, readonly engine: EngineNode) {}

  static async start(engine: string, params: unknown): Promise<PageAudio> {
    const ctx = new AudioContext({ latencyHint: 'interactive' });
    await ctx.resume();
    const node = await EngineNode.create(ctx, { engine, params });
    node.node.connect(ctx.destination);
    return new PageAudio(ctx, node);
  }

  get hasInput(): boolean {
    return this.engine.shape.numInputs > 0;
  }

  setSource(source: AudioSource | null): void {
    if (this.source) {
      this.source.node.disconnect();
      this.source.stop();
    }
    this.source = source;
    if (source && this.hasInput) source.node.connect(this.engine.node);
  }

  /** Puts `node` between the engine and the speakers (the Native section's engine), or takes it out (null). */
  insertAfterEngine(node: AudioNode | null): void {
    this.engine.node.disconnect(this.inserted ?? this.ctx.destination);
    this.inserted?.disconnect();
    this.inserted = node;
    if (node) this.engine.node.connect(node).connect(this.ctx.destination);
    else this.engine.node.connect(this.ctx.destination);
  }

  setParameter(name: string, value: number): void {
    this.engine.setParameter(name, value);
  }

  loadParams(params: Record<string, unknown>): void {
    this.engine.loadParams(params);
  }

  /** A note on the instrument (haptic: no input), released after `ms`. */
  note(note = 60, velocity = 50, ms = 600): void {
    this.engine.noteOn(0, note, velocity);
    setTimeout(() => this.engine.noteOff(0, note), ms);
  }

  /**
   * Records `frames` frames of the source (what the engine hears) and of the engine's output, from the
   * next quantum boundary 16 quanta (~40 ms) ahead, sample-aligned (recorder worklets on the same context
   * frames).
   */
  async capture(frames: number): Promise<PageCapture> {
    const now = Math.round(this.ctx.currentTime * this.ctx.sampleRate);
    const startFrame = (Math.floor(now / QUANTUM_FRAMES) + 16) * QUANTUM_FRAMES;
    const out = await createRecorder(this.ctx, { channels: this.engine.shape.numOutputs, startFrame, frames });
    const inp = await createRecorder(this.ctx, { channels: 1, startFrame, frames });
    this.engine.node.connect(out.node);
    this.source?.node.connect(inp.node);
    out.node.connect(this.ctx.destination);
    inp.node.connect(this.ctx.destination);
    const [output, input] = await Promise.all([out.result, inp.result]);
    out.node.disconnect();
    inp.node.disconnect();
    return { sampleRate: this.ctx.sampleRate, startFrame, input, output };
  }

  async stop(): Promise<void> {
    this.setSource(null);
    this.engine.dispose();
    await this.ctx.close();
  }
}
