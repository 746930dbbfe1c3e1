/**
 * Test fixture run inside a worker_threads Worker: pushes `count` records [i, i/2, −i] into the ring,
 * retrying while it is full (spinning, then sleeping 0.2 ms so a consumer sharing the core can run),
 * then reports how often it found the ring full.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SpscRing } from './spscRing.ts';

const { buffer, count } = workerData as { buffer: SharedArrayBuffer; count: number };
const ring = new SpscRing(buffer);
const record = new Float64Array(ring.recordSize);
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
let fullCount = 0;
for (let i = 0; i < count; i++) {
  record[0] = i;
  record[1] = i / 2;
  record[2] = -i;
  while (!ring.push(record)) {
    fullCount++;
    if (fullCount % 256 === 0) Atomics.wait(sleepCell, 0, 0, 0.2);
  }
}
parentPort?.postMessage({ done: true, fullCount });
