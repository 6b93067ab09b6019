/**
 * Writes the API's OpenAPI document to openapi.json (`npm run openapi`), so integrators can diff
 * it between versions. Nest's preview mode builds the module graph without instantiating
 * providers, so no database is needed; test/openapi.e2e.spec.ts checks that the file equals the
 * document the running app serves.
 */
import { NestFactory } from '@nestjs/core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { openApiDocument } from './http/openapi';

const OPENAPI_FILE = join(__dirname, '..', '..', '..', 'openapi.json');

async function main(): Promise<void> {
  // Never connected to: preview mode instantiates no providers.
  const config = { ...loadConfig({}), databaseUrl: 'postgres://preview.invalid/openapi' };
  const app = await NestFactory.create(AppModule.forRoot({ config }), {
    preview: true,
    logger: false,
  });
  await writeFile(OPENAPI_FILE, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
