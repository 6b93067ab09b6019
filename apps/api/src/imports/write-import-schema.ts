// Writes docs/import.schema.json from the schema the import validates with (import-schema.ts).
//   node -r @swc-node/register apps/api/src/imports/write-import-schema.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IMPORT_SCHEMA } from './import-schema';

const target = resolve(__dirname, '../../../../docs/import.schema.json');
writeFileSync(target, `${JSON.stringify(IMPORT_SCHEMA, null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
