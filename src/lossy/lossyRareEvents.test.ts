import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable } from '../engine/allocationProbe.ts';
import { RARE_EVENT_TEST_OPTIONS, judgeRareEvents } from '../engine/rareEventWorker.ts';
import { LOSSY_PARAM_NAMES } from './lossyParams.ts';

const FIXTURE = new URL('./lossyRareEvents.workerFixture.ts', import.meta.url);

describe.skipIf(allocationUnmeasurable)('LossyEngine: rare Param events allocate nothing, from the first after prepare()', () => {
  it.each(LOSSY_PARAM_NAMES.map((name, index) => ({ name, index })))('the default chain: $name (a fresh isolate)', async ({ index }) => {
    const verdict = await judgeRareEvents(FIXTURE, { paramIndex: index, params: {}, options: RARE_EVENT_TEST_OPTIONS });
    expect(verdict.allocationFree, verdict.report).toBe(true);
  });
});
