/**
 * Test fixture run inside a worker_threads Worker (a V8 isolate of its own, so no other engine has
 * compiled or warmed the reverb's code): measures one parameter's rare events with
 * measureFdnRareEvents and posts the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RareEventOptions } from '../engine/rareEventAllocation.ts';
import { measureFdnRareEvents } from './fdnRareEvents.ts';
import type { ReverbParamsInput } from './reverbParams.ts';

const { paramIndex, params, options } = workerData as { paramIndex: number; params: Partial<ReverbParamsInput>; options: RareEventOptions };
parentPort?.postMessage(await measureFdnRareEvents(paramIndex, params, options));
