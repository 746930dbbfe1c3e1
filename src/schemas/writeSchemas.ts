/**
 * Regenerates schemas/*.schema.json from the zod schemas: `npm run schemas` after changing a format
 * (and add a line to schemas/CHANGELOG.md). The test in jsonSchemas.test.ts fails while they differ.
 */
import { join } from 'node:path';
import { writeTextAtomic } from '../io/atomicText.ts';
import { SCHEMAS_DIR, generateSchemas } from './jsonSchemas.ts';

for (const [file, text] of generateSchemas()) await writeTextAtomic(join(SCHEMAS_DIR, file), text);
console.log(`wrote ${[...generateSchemas().keys()].join(', ')} to ${SCHEMAS_DIR}`);
