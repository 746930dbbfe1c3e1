/**
 * Test fixture (statusSlot.test.ts): a worker that publishes `count` statuses as fast as it can, each
 * `{ n, pad }` with a pad whose length varies with n (so a torn read would mix two lengths), then exits.
 * Every `checkpoint` statuses it waits (at most 10 s) until the reader has stored in `seen` a status of the
 * last stretch: on a loaded machine the writer could otherwise publish everything before the reader first runs,
 * and the test would see only the final value (it did once, at load 11–13). Between checkpoints it writes
 * without pause, so the reader still meets it mid-write.
 */
import { workerData } from 'node:worker_threads';
import { StatusSlotWriter, type StatusSlotBuffers } from './statusSlot.ts';

const { slot, count, checkpoint, seen } = workerData as { slot: StatusSlotBuffers; count: number; checkpoint: number; seen: Int32Array };
const writer = new StatusSlotWriter(slot);
for (let n = 1; n <= count; n++) {
  writer.write({ n, pad: 'x'.repeat(100 + ((n * 37) % 900)), check: n * 3 });
  if (n % checkpoint !== 0) continue;
  const giveUpAt = performance.now() + 10_000;
  for (let s = Atomics.load(seen, 0); s <= n - checkpoint && performance.now() < giveUpAt; s = Atomics.load(seen, 0)) Atomics.wait(seen, 0, s, 5);
}
