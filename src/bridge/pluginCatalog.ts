import { engineNames, engineEntry } from '../presets/engineRegistry.ts';
import { scanPresets } from '../presets/presetStore.ts';
import { type ParamMetadata, paramMetadata, paramValues } from './paramMetadata.ts';

/** One of the project's engines as LIST_PLUGINS reports it. */
export interface EnginePlugin {
  engine: string;
  kind: 'effect' | 'instrument';
  version: string;
  description: string;
  numInputs: number;
  numOutputs: number;
  params: ParamMetadata[];
  /** Every preset that loads, with its automatable values (paramNames order), and every one that does not, with why. */
  presets: { name: string; description: string; values: (number | null)[] }[];
  invalidPresets: { message: string }[];
}

const shapes = new Map<string, { numInputs: number; numOutputs: number; paramNames: readonly string[] }>();

/** An engine's channels and parameter names, read once from an instance built with its defaults. */
function engineShape(name: string) {
  let shape = shapes.get(name);
  if (!shape) {
    const entry = engineEntry(name);
    const e = entry.create(entry.paramsSchema.parse({}));
    shape = { numInputs: e.numInputs, numOutputs: e.numOutputs, paramNames: [...e.paramNames] };
    shapes.set(name, shape);
  }
  return shape;
}

/** The project's engines (every registered one), their parameter metadata and presets. */
export function listEnginePlugins(): EnginePlugin[] {
  return engineNames().map((name) => {
    const entry = engineEntry(name);
    const { numInputs, numOutputs, paramNames } = engineShape(name);
    const { presets, problems } = scanPresets(name);
    return {
      engine: name, kind: entry.kind, version: entry.version, description: entry.description ?? '', numInputs, numOutputs,
      params: paramMetadata(entry, paramNames),
      presets: presets.map((p) => ({ name: p.name, description: p.description, values: paramValues(p.params, paramNames) })),
      invalidPresets: problems.map((p) => ({ message: p.message })),
    };
  });
}
