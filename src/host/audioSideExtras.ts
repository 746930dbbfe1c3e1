import { EffectSource, type SourceSpec } from './effectSource.ts';
import { SignalRing, type SignalRingBuffers } from './signalRing.ts';

/**
 * An AudioHost's effect source and signal rings, built from their data on whichever thread runs the
 * audio side (the rig callback's, or a worker's): allocation happens here, before the first period.
 */
export function audioSideExtras(
  o: { source?: SourceSpec; signals?: { input: SignalRingBuffers; output: SignalRingBuffers } },
  inputs: number, periodFrames: number, sampleRate: number,
): { source?: EffectSource; signals?: { input: SignalRing; output: SignalRing } } {
  return {
    source: o.source && inputs > 0 ? new EffectSource(o.source, inputs, periodFrames, sampleRate) : undefined,
    signals: o.signals ? { input: new SignalRing(o.signals.input), output: new SignalRing(o.signals.output) } : undefined,
  };
}
