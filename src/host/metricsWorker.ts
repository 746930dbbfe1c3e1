/**
 * The worker side of MetricsSubscribers: computes the live metrics from the signal rings (shared
 * memory, read in place) on request, so neither the audio side nor the control thread — which on the
 * in-thread rigs is the audio thread too — spends the milliseconds a spectrum or an RT60 estimate costs.
 * Request `{ id, windowMs, rt60 }` → reply `{ id, values }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { computeLiveMetrics } from './liveMetrics.ts';
import { SignalRing, type SignalRingBuffers } from './signalRing.ts';

export interface MetricsWorkerData {
  input: SignalRingBuffers;
  output: SignalRingBuffers;
  sampleRate: number;
}

export interface MetricsRequest {
  id: number;
  windowMs: number;
  /** Also estimate the RT60 (costly: done at most once a second by the caller's choice). */
  rt60: boolean;
}

const d = workerData as MetricsWorkerData;
const input = new SignalRing(d.input);
const output = new SignalRing(d.output);
parentPort?.on('message', (req: MetricsRequest) => {
  parentPort?.postMessage({ id: req.id, values: computeLiveMetrics(input, output, d.sampleRate, req.windowMs, req.rt60) });
});
