import { QUANTUM_FRAMES } from './workletProtocol.ts';

/**
 * The context frame of the render quantum a processor is processing, for processors that place audio
 * or events on the context's timeline (engineProcessor.ts, recorderProcessor.ts).
 *
 * The scope's `currentFrame` alone is not that frame in Chromium: the rendering thread copies the
 * context's frame into the worklet scope at the end of each quantum only if it can take the audio graph
 * lock without waiting (BaseAudioContext::UpdateWorkletGlobalScopeOnRenderingThread, a try-lock), and
 * the main thread holds that lock while it connects, disconnects or creates a node or collects one. When
 * the two meet, every process() call of the next quantum reads the previous quantum's frame, and the
 * frame after steps two quanta (Chromium issue 442866743, open; seen in an OfflineAudioContext too:
 * e2e/engineParity.spec.ts failed once in CI with reverb/small-room@44100's quantum 3 recorded at
 * frame 256 and frames 384…511 left silent — that exact capture reproduces the CI hash).
 *
 * The scope's frame is never ahead, and a processor that is rendering is called once per quantum, so
 * frame_k = max(frame_{k−1} + 128, currentFrame_k): a frozen read gives the previous frame + 128, a
 * jump (quanta the processor was not called in) is taken from the scope. The first call takes the
 * scope's frame as it is; were it frozen, the next unfrozen read puts the clock right.
 */
export class RenderClock {
  private last = Number.NaN;

  /** The frame of the quantum being processed; call once at the start of each process(). */
  next(scopeFrame: number): number {
    this.last = this.upcoming(scopeFrame);
    return this.last;
  }

  /**
   * The first frame of the next quantum to be processed (between process() calls: where an event
   * posted now lands at the earliest); the scope's frame before the first call.
   */
  upcoming(scopeFrame: number): number {
    return Number.isNaN(this.last) ? scopeFrame : Math.max(this.last + QUANTUM_FRAMES, scopeFrame);
  }
}
