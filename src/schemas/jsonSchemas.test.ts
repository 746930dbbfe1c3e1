import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../presets/presetStore.ts';
import { fixtureRunReport } from '../../hil/report/fixtureReport.ts';
import { summarise } from '../../hil/report/runSummary.ts';
import { SCHEMAS_DIR, generateSchemas, staleSchemas } from './jsonSchemas.ts';

const schemas = generateSchemas();
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validate = (file: string) => ajv.getSchema(file) ?? ajv.compile(JSON.parse(schemas.get(file)!));
const jsonFiles = (dir: string) => readdirSync(join(REPO_ROOT, dir)).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));

describe('the shipped JSON Schemas', () => {
  it('are current: schemas/ holds exactly what the zod schemas generate (npm run schemas)', () => {
    expect(staleSchemas()).toEqual([]);
    expect(readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json')).sort()).toEqual([...schemas.keys()].sort());
  });

  it('the staleness check can fail: a shipped schema that differs by one key is reported', () => {
    const copy = mkdtempSync(join(tmpdir(), 'schemas-'));
    try {
      for (const [file, text] of schemas) writeFileSync(join(copy, file), text);
      writeFileSync(join(copy, 'rig.schema.json'), schemas.get('rig.schema.json')!.replace('"formatVersion"', '"version"'));
      expect(staleSchemas(copy)).toEqual(['rig.schema.json']);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it.each([
    ['scenario.schema.json', jsonFiles('scenarios')],
    ['rig.schema.json', jsonFiles('hil/rigs')],
    ...['lossy', 'reverb', 'haptic'].map((e) => [`preset-${e}.schema.json`, jsonFiles(`presets/${e}`)] as [string, string[]]),
  ])('%s accepts every shipped file, and each file names it in $schema', (schemaFile, files) => {
    const check = validate(schemaFile);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const json = JSON.parse(readFileSync(join(REPO_ROOT, f), 'utf8')) as { $schema?: string };
      expect(check(json) ? [] : check.errors, f).toEqual([]);
      expect(json.$schema?.endsWith(`schemas/${schemaFile}`), f).toBe(true);
    }
  });

  it('refuse what the loaders refuse: an unknown key, a value out of range', () => {
    const scenario = validate('scenario.schema.json');
    expect(scenario({ formatVersion: 1, timeline: [{ type: 'noteOn', atMs: 0, channel: 16, note: 60, velocity: 100 }] })).toBe(false);
    expect(scenario({ formatVersion: 1, tempo: 120 })).toBe(false);
    expect(validate('rig.schema.json')({ formatVersion: 1, name: 'x', backend: 'virtual', sampleRate: 48000, periodFrame: 128, inputChannels: 2, outputChannels: 2 })).toBe(false);
  });

  it('describe the reports the harness writes', async () => {
    const report = await fixtureRunReport();
    const check = validate('run-report.schema.json');
    expect(check(JSON.parse(JSON.stringify(report))) ? [] : check.errors).toEqual([]);
    expect(validate('run-summary.schema.json')(JSON.parse(JSON.stringify(summarise('x', report))))).toBe(true);
  });
});
