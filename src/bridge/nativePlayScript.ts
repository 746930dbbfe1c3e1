import type { Page } from '@playwright/test';

export interface NativePlayResult {
  isolated: boolean;
  counts: Record<string, number>;
  roundTrip: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  peak: number;
  latencyQuanta: number;
  /** The context's baseLatency (its render callback's length: 10.0 ms, 480 frames, in headless Chromium here) and outputLatency. */
  baseLatencyMs: number;
  outputLatencyMs: number;
  /** NativePluginNode.silentByLatency(), read with `counts` (quanta) in the same task. */
  silentByLatency: number[];
  /** With `trace`: NativePluginNode.trace() at the end. */
  trace?: { sequence: number[]; takenMs: number[]; sentMs: number[]; repliedMs: number[] };
}

/**
 * In a page of the bridge (its own, cross-origin isolated): an oscillator through NativePluginNode
 * (the reverb, small-room) into a real-time AudioContext for `seconds`; returns the node's counters,
 * the worker's round trips and the output's peak. Plain JavaScript text, so neither vite nor tsx
 * rewrites its dynamic import.
 */
const SCRIPT = `async ({ wsUrl, seconds, latencyQuanta, trace, latencyHint }) => {
  const { NativePluginNode } = await import(location.origin + '/native/nativePluginNode.js');
  const context = new AudioContext({ sampleRate: 48000, latencyHint: latencyHint ?? 'interactive' });
  await context.resume();
  const node = await NativePluginNode.create(context, { wsUrl, engine: 'reverb', preset: 'small-room', latencyQuanta });
  const osc = context.createOscillator();
  const analyser = context.createAnalyser();
  osc.connect(node);
  node.connect(analyser);
  analyser.connect(context.destination);
  osc.start();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const data = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(data);
  const peak = data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const roundTrip = await node.roundTrip();
  const counts = node.counts();
  const silentByLatency = node.silentByLatency();
  const traced = trace ? await node.trace() : undefined;
  const baseLatencyMs = 1000 * context.baseLatency;
  const outputLatencyMs = 1000 * context.outputLatency;
  node.close();
  await context.close();
  return {
    isolated: crossOriginIsolated, counts, roundTrip, peak, latencyQuanta: node.latencyQuanta, silentByLatency, trace: traced,
    baseLatencyMs, outputLatencyMs,
  };
}`;

/**
 * The fraction of quanta a stream would have played as silence at each declared latency 1…maxQuanta
 * (element N − 1), from its processor's counts: silent at N over the quanta judged at N.
 */
export function silentFractionByLatency(r: Pick<NativePlayResult, 'silentByLatency' | 'counts'>, maxQuanta: number): number[] {
  return Array.from({ length: maxQuanta }, (_, i) => r.silentByLatency[i + 1] / Math.max(1, r.counts.quanta - (i + 1)));
}

/** `latencyQuanta` undefined: NativePluginNode's default for the context; `latencyHint`: the AudioContext's (default "interactive"). */
export async function playThroughBridge(page: Page, o: { wsUrl: string; seconds: number; latencyQuanta?: number; trace?: boolean; latencyHint?: string | number }): Promise<NativePlayResult> {
  return (await page.evaluate(`(${SCRIPT})(${JSON.stringify(o)})`)) as NativePlayResult;
}
