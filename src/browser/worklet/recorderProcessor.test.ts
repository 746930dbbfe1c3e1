import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecorderResult } from './recorderProcessor.ts';
import { loadProcessor, type ProcessorClass, stubRenderScope } from './workletScopeStub.ts';
import { QUANTUM_FRAMES, RECORDER_PROCESSOR_NAME } from './workletProtocol.ts';

/**
 * The recorder in Node, the worklet scope stubbed: it must capture the stream it is given quantum by
 * quantum, each at its frame, even where the scope's currentFrame freezes for a quantum (Chromium,
 * renderClock.ts). The CI failure of engineParity.spec.ts was this: quantum 3 read frame 256, so it
 * was written over quantum 2 and frames 384…511 stayed silent.
 */
const QUANTA = 12;
/** Quanta whose process() calls read the frame the scope showed in the quantum before (not updated). */
const FROZEN = [3, 7, 8];
/** A stream that names each sample: channel c, frame n → n + c/4. */
const sample = (c: number, n: number) => n + c / 4;

let Recorder: ProcessorClass;
let scope: ReturnType<typeof stubRenderScope>;
beforeAll(async () => {
  Recorder = await loadProcessor(RECORDER_PROCESSOR_NAME, () => import('./recorderProcessor.ts'));
  scope = stubRenderScope(48000);
});
afterAll(() => scope.restore());

/** Feeds QUANTA quanta; in the FROZEN ones the scope still shows the frame it showed before. */
function record(startFrame: number, frames: number, frozen: readonly number[]): RecorderResult | undefined {
  const recorder = new Recorder({ processorOptions: { channels: 2, startFrame, frames } });
  let shown = 0;
  for (let q = 0; q < QUANTA; q++) {
    const frame = q * QUANTUM_FRAMES;
    if (!frozen.includes(q)) shown = frame;
    scope.setFrame(shown);
    const input = [0, 1].map((c) => Float32Array.from({ length: QUANTUM_FRAMES }, (_, i) => sample(c, frame + i)));
    if (!recorder.process([input], [[new Float32Array(QUANTUM_FRAMES)]])) break;
  }
  return recorder.port.posted.find((m): m is RecorderResult => (m as RecorderResult).type === 'recorded');
}

describe('the recorder processor', () => {
  it.each([
    { startFrame: 0, frames: 10 * QUANTUM_FRAMES },
    { startFrame: 3 * QUANTUM_FRAMES, frames: 4 * QUANTUM_FRAMES + 17 },
  ])('captures every quantum at its frame while the scope frame freezes (from $startFrame, $frames frames)', ({ startFrame, frames }) => {
    const result = record(startFrame, frames, FROZEN);
    expect(result?.startFrame).toBe(startFrame);
    for (let c = 0; c < 2; c++) {
      const expected = Float32Array.from({ length: frames }, (_, i) => sample(c, startFrame + i));
      const wrong = result?.channels[c].findIndex((v, i) => v !== expected[i]);
      expect(wrong, `channel ${c}: first wrong frame`).toBe(-1);
    }
  });
});
