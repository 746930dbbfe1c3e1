import { describe, expect, it } from 'vitest';
import { allocationUnmeasurable } from '../engine/allocationProbe.ts';
import { RARE_EVENT_TEST_OPTIONS, judgeRareEvents } from '../engine/rareEventWorker.ts';
import { REVERB_PARAM_NAMES, type ReverbParamsInput } from './reverbParams.ts';

/** Networks measured: the default (8 Hadamard lines, RT60 mode: the WebAssembly rest kernel between events). */
const NETWORKS: { name: string; params: Partial<ReverbParamsInput> }[] = [{ name: 'the default network', params: {} }];
const FIXTURE = new URL('./fdnRareEvents.workerFixture.ts', import.meta.url);

describe.skipIf(allocationUnmeasurable)('FdnReverb: rare Param events allocate nothing, from the first after prepare()', () => {
  for (const network of NETWORKS) {
    it.each(REVERB_PARAM_NAMES.map((name, index) => ({ name, index })))(`${network.name}: $name (a fresh isolate)`, async ({ index }) => {
      const verdict = await judgeRareEvents(FIXTURE, { paramIndex: index, params: network.params, options: RARE_EVENT_TEST_OPTIONS });
      expect(verdict.allocationFree, verdict.report).toBe(true);
    });
  }
});
