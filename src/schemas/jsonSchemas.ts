import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { rigFileSchema } from '../../hil/rigs/rigFile.ts';
import { runReportSchema } from '../../hil/report/runReportSchema.ts';
import { runSummarySchema } from '../../hil/report/runSummary.ts';
import { scenarioSchema } from '../../hil/scenario/scenarioSchema.ts';
import { engineRegistry } from '../presets/engineRegistry.ts';
import { presetFileSchema } from '../presets/presetFile.ts';
import { REPO_ROOT } from '../presets/presetStore.ts';

/** Where the generated JSON Schemas are shipped, and referenced from files by `$schema`. */
export const SCHEMAS_DIR = join(REPO_ROOT, 'schemas');

interface SchemaSource {
  file: string;
  title: string;
  description: string;
  schema: z.ZodType;
  /** 'input' for files people write (keys with defaults are optional), 'output' for files the harness writes. */
  io: 'input' | 'output';
}

function sources(): SchemaSource[] {
  return [
    { file: 'scenario.schema.json', title: 'Studio Rig HIL scenario', description: 'scenarios/<name>.json: a timeline of events, what the engine must do, and the budgets a run must meet.', schema: scenarioSchema, io: 'input' },
    { file: 'rig.schema.json', title: 'Studio Rig rig file', description: 'hil/rigs/<name>.json: one audio interface and how it is wired. Channel keys say they are indices (inputIndexPerOutput, pilot.outputIndex, pilot.inputIndex) and count from 0: index 0 is the interface\'s channel 1.', schema: rigFileSchema, io: 'input' },
    ...Object.entries(engineRegistry).map(([engine, entry]) => ({
      file: `preset-${engine}.schema.json`, title: `Studio Rig ${engine} preset`, description: `presets/${engine}/<name>.json: the preset envelope with the ${engine} engine's parameters.`,
      schema: presetFileSchema(entry.paramsSchema), io: 'input' as const,
    })),
    { file: 'run-report.schema.json', title: 'Studio Rig HIL run report', description: 'reports/runs/<run>/report.json: every figure of one HIL run. Channel keys say they are indices (channelIndex, outputIndex, inputIndex) and count from 0: index 0 is channel 1, as the page, JUnit and the CLI number it.', schema: runReportSchema, io: 'output' },
    { file: 'run-summary.schema.json', title: 'Studio Rig HIL run summary', description: 'reports/runs/<run>/summary.json: the figures of one run the index shows.', schema: runSummarySchema, io: 'output' },
  ];
}

/** Every shipped schema, file name → its text (2-space JSON and a final newline), generated from the zod schemas. */
export function generateSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources()) {
    const json = z.toJSONSchema(s.schema, { io: s.io, unrepresentable: 'any', target: 'draft-2020-12' });
    const { $schema, ...rest } = json as Record<string, unknown>;
    out.set(s.file, `${JSON.stringify({ $schema, $id: s.file, title: s.title, description: s.description, ...rest }, null, 2)}\n`);
  }
  return out;
}

/** Shipped schema files that differ from what the zod schemas generate now (empty: current). */
export function staleSchemas(dir = SCHEMAS_DIR): string[] {
  const stale: string[] = [];
  for (const [file, text] of generateSchemas()) {
    let shipped: string | null = null;
    try {
      shipped = readFileSync(join(dir, file), 'utf8');
    } catch { /* missing counts as stale */ }
    if (shipped !== text) stale.push(file);
  }
  return stale;
}
