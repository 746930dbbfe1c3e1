/**
 * `studio-rig/engine` — the engine contract, its events, the offline renderer and the definition a
 * user's engine registers with (see examples/my-engine/). Loads no bundled engine.
 */
export type { Engine, EngineFactory, PrepareOptions } from '../engine/engine.ts';
export { EventKind, at, makeEvent, type EngineEvent, type TimedEvent } from '../engine/events.ts';
export { render, type RenderOptions } from '../engine/render.ts';
export { ENGINE_NAME_PATTERN, checkEngineEntry, defineEngine, type EngineEntry } from '../engine/engineDefinition.ts';
export { ParamError, describeIssues, parseParams } from '../engine/params.ts';
export { isAllocationFree, measureAllocation, type AllocationMeasurement } from '../engine/allocationProbe.ts';
