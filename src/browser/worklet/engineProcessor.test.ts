import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventKind, type TimedEvent } from '../../engine/events.ts';
import { render } from '../../engine/render.ts';
import { goldenTestSignal } from '../../golden/testSignal.ts';
import { engineRegistry } from '../../presets/engineRegistry.ts';
import { loadPreset } from '../../presets/presetStore.ts';
import { P_WET } from '../../reverb/reverbParamIndex.ts';
import { loadProcessor, type ProcessorClass, stubRenderScope } from './workletScopeStub.ts';
import { ENGINE_PROCESSOR_NAME, QUANTUM_FRAMES, type RenderStats } from './workletProtocol.ts';

/**
 * The engine processor in Node, the worklet scope stubbed, against render() with 128-frame blocks (the
 * bit-parity e2e/engineParity.spec.ts checks in Chromium): reverb/small-room at 44.1 kHz, the golden test
 * signal, a wet/dry Param event at frame 9000. Where the scope's currentFrame freezes for a quantum
 * (Chromium, renderClock.ts) the engine must still start at its frame and take each event at its sample.
 */
const SAMPLE_RATE = 44100;
const FRAMES = Math.round(0.4 * SAMPLE_RATE);
const EVENT: TimedEvent = { kind: EventKind.Param, atFrame: 9000, channel: 0, note: 0, value: 0.2, paramIndex: P_WET };
/** Quanta whose process() calls see the frame of the quantum before: the first, the CI one, the event's. */
const FROZEN = [0, 3, Math.floor(EVENT.atFrame / QUANTUM_FRAMES)];

let Engine: ProcessorClass;
let scope: ReturnType<typeof stubRenderScope>;
beforeAll(async () => {
  Engine = await loadProcessor(ENGINE_PROCESSOR_NAME, () => import('./engineProcessor.ts'));
  scope = stubRenderScope(SAMPLE_RATE);
});
afterAll(() => scope.restore());

/** Runs the processor over the input from context frame `startFrame`, the FROZEN quanta (after it) frozen. */
function renderInProcessor(params: unknown, input: Float32Array[], startFrame: number): { output: Float32Array[]; stats: RenderStats } {
  const engine = new Engine({ processorOptions: { engine: 'reverb', params, startFrame, events: [{ ...EVENT, atFrame: EVENT.atFrame + startFrame }] } });
  const output = [new Float32Array(FRAMES), new Float32Array(FRAMES)];
  const quanta = startFrame / QUANTUM_FRAMES + Math.ceil(FRAMES / QUANTUM_FRAMES);
  let shown = 0;
  for (let q = 0; q < quanta; q++) {
    const frame = q * QUANTUM_FRAMES;
    if (!FROZEN.includes(q - startFrame / QUANTUM_FRAMES) || q === 0) shown = frame;
    scope.setFrame(shown);
    const at = frame - startFrame;
    const quantum = input.map((x) => {
      const y = new Float32Array(QUANTUM_FRAMES);
      if (at >= 0) y.set(x.subarray(at, at + QUANTUM_FRAMES));
      return y;
    });
    const out = [new Float32Array(QUANTUM_FRAMES), new Float32Array(QUANTUM_FRAMES)];
    engine.process([quantum], [out]);
    if (at >= 0) out.forEach((y, c) => output[c].set(y.subarray(0, Math.min(QUANTUM_FRAMES, FRAMES - at)), at));
  }
  engine.port.onmessage?.({ data: { type: 'stats', id: 1 } });
  const stats = engine.port.posted.find((m) => (m as { type: string }).type === 'stats') as RenderStats;
  return { output, stats };
}

describe('the engine processor', () => {
  const { params } = loadPreset('reverb', 'small-room');
  const input = goldenTestSignal(SAMPLE_RATE, 0.02, FRAMES / SAMPLE_RATE);
  const expected = render(engineRegistry.reverb.create(params), { sampleRate: SAMPLE_RATE, blockFrames: QUANTUM_FRAMES, frames: FRAMES, input, events: [EVENT] });

  it.each([0, 4 * QUANTUM_FRAMES])('renders what render() does, the event at its sample, while the scope frame freezes (engine from frame %i)', (startFrame) => {
    const { output, stats } = renderInProcessor(params, input, startFrame);
    expect(stats.startFrame).toBe(startFrame);
    expect(stats.lateEvents).toBe(0);
    for (let c = 0; c < 2; c++) {
      const wrong = output[c].findIndex((v, i) => !Object.is(v, expected[c][i]));
      expect(wrong, `channel ${c}: first differing frame`).toBe(-1);
    }
  });
});
