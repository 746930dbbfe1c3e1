import type { Engine } from '../engine/engine.ts';
import type { HapticConfig, HapticConfigInput } from '../haptic/hapticConfig.ts';
import { HapticEngine } from '../haptic/hapticEngine.ts';
import { ClickEngine } from './clickEngine.ts';

/**
 * An engine named by data rather than by an object, so that a worker thread can build its own copy:
 * the haptic engine with its configuration (as `new HapticEngine(config)` takes it), or the click engine.
 */
export type EngineSpec = { kind: 'haptic'; config?: HapticConfigInput | HapticConfig } | { kind: 'click'; outputs?: number };

export function createEngine(spec: EngineSpec): Engine {
  return spec.kind === 'click' ? new ClickEngine(spec.outputs) : new HapticEngine(spec.config);
}
