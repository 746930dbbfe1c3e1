import type { Engine } from '../engine/engine.ts';
import { parseParams } from '../engine/params.ts';
import type { HapticConfig, HapticConfigInput } from '../haptic/hapticConfig.ts';
import { HapticEngine } from '../haptic/hapticEngine.ts';
import { type EngineEntry, engineEntry, loadEngineModule } from '../presets/engineRegistry.ts';
import { ClickEngine } from './clickEngine.ts';

/**
 * An engine named by data rather than by an object, so that a worker thread can build its own copy:
 * the click engine, the haptic engine with its configuration (as `new HapticEngine(config)` takes it),
 * or any engine of the registry by name or module path (a path has a folder separator or a script
 * extension) with its raw parameters, validated by the entry's schema (`source` names them in errors).
 */
export type EngineSpec =
  | { kind: 'click'; outputs?: number }
  | { kind: 'haptic'; config?: HapticConfigInput | HapticConfig }
  | { kind: 'entry'; engine: string; config?: unknown; source?: string };

export async function createEngine(spec: EngineSpec): Promise<Engine> {
  if (spec.kind === 'click') return new ClickEngine(spec.outputs);
  if (spec.kind === 'haptic') return new HapticEngine(spec.config);
  const { entry, params } = await entryOf(spec);
  return entry.create(params);
}

/** The registry entry an 'entry' spec names (a registered name or a module path) and its parameters, parsed by the entry's schema. */
export async function entryOf(spec: Extract<EngineSpec, { kind: 'entry' }>): Promise<{ entry: EngineEntry; params: unknown }> {
  const isModule = /[\\/]|\.(m?js|ts)$/.test(spec.engine);
  const entry: EngineEntry = isModule ? (await loadEngineModule(spec.engine))[0] : engineEntry(spec.engine, '--engine');
  return { entry, params: parseParams(entry.paramsSchema, spec.config ?? {}, spec.source ?? `engine "${spec.engine}" config`) };
}
