/**
 * Test fixture (statusSlot.test.ts): a worker that publishes `count` statuses as fast as it can, each
 * `{ n, pad }` with a pad whose length varies with n (so a torn read would mix two lengths), then exits.
 */
import { workerData } from 'node:worker_threads';
import { StatusSlotWriter, type StatusSlotBuffers } from './statusSlot.ts';

const { slot, count } = workerData as { slot: StatusSlotBuffers; count: number };
const writer = new StatusSlotWriter(slot);
for (let n = 1; n <= count; n++) writer.write({ n, pad: 'x'.repeat(100 + ((n * 37) % 900)), check: n * 3 });
