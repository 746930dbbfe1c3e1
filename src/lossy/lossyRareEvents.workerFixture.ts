/**
 * Test fixture run inside a worker_threads Worker (a V8 isolate of its own, so no other engine has
 * compiled or warmed the effect's code): measures one parameter's rare events with
 * measureLossyRareEvents and posts the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RareEventOptions } from '../engine/rareEventAllocation.ts';
import { measureLossyRareEvents } from './lossyRareEvents.ts';
import type { LossyParamsInput } from './lossyParams.ts';

const { paramIndex, params, options } = workerData as { paramIndex: number; params: LossyParamsInput; options: RareEventOptions };
parentPort?.postMessage(await measureLossyRareEvents(paramIndex, params, options));
