/**
 * Generates `src/generated/openapi.ts` from the OpenAPI document WearLink serves.
 *
 *   npx tsx sdks/typescript/scripts/generate.ts          # write the file
 *   npx tsx sdks/typescript/scripts/generate.ts --check  # exit 1 when the committed file is stale
 *
 * The document is taken from a WearLink app built in-process (PGlite in memory, nothing listens), so the
 * types describe exactly the routes of this checkout. test/sdks/typescript/types-fresh.test.ts runs the
 * same generation and fails when the committed file differs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadConfig } from '../../../src/config/load-config.ts';
import { createApp } from '../../../src/http/app.ts';
import { openPlatform } from '../../../src/platform.ts';
import { createLogger } from '../../../src/shared/logger.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..', '..');
export const generatedPath = join(here, '..', 'src', 'generated', 'openapi.ts');
export const generateCommand = 'npx tsx sdks/typescript/scripts/generate.ts';

const HEADER = `/**
 * GENERATED FILE: do not edit. The types of WearLink's REST API, made by openapi-typescript from the
 * OpenAPI document the server serves at /api/v1/openapi.json.
 * Regenerate with \`${generateCommand}\` (test/sdks/typescript/types-fresh.test.ts fails when stale).
 */

`;

/** The served OpenAPI document of a WearLink app built in-process on an in-memory PGlite. */
export async function fetchOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '8000',
    LOG_LEVEL: 'silent',
    WEARLINK_DATA_DIR: 'memory://',
    JWT_SECRET: 'openapi-generation-secret-that-is-long-enough-0123',
    ENCRYPTION_KEY: 'openapi-generation-key-that-is-long-enough-012345',
  });
  const platform = await openPlatform(config, createLogger('silent'), { migrations: 'migrate' });
  try {
    const app = createApp(platform.deps, { ping: platform.database.ping });
    const response = await app.request('/api/v1/openapi.json');
    if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await platform.close();
  }
}

/** The file's text: openapi-typescript's output under our header, formatted by the repository's Biome. */
export async function generateTypes(): Promise<string> {
  const document = await fetchOpenApiDocument();
  // Structural copy: openapi-typescript annotates the object it is given.
  const ast = await openapiTS(JSON.parse(JSON.stringify(document)), {
    silent: true,
    alphabetize: true,
    // A default makes a field optional to send (request bodies), not always present.
    defaultNonNullable: false,
  });
  const source = HEADER + astToString(ast);
  // Formatted as `biome check` expects, so the committed file passes lint and compares byte for byte.
  const biome = spawnSync(
    process.execPath,
    [
      join(repoRoot, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'),
      'format',
      `--stdin-file-path=${relative(repoRoot, generatedPath)}`,
    ],
    { cwd: repoRoot, input: source, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (biome.status !== 0) throw new Error(`biome format failed: ${biome.stderr || biome.stdout}`);
  return biome.stdout;
}

async function main(): Promise<void> {
  const fresh = await generateTypes();
  if (process.argv.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(generatedPath, 'utf8');
    } catch {
      // missing: stale
    }
    if (committed !== fresh) {
      console.error(`${relative(repoRoot, generatedPath)} is stale: run \`${generateCommand}\``);
      process.exit(1);
    }
    console.log(`${relative(repoRoot, generatedPath)} is up to date`);
    return;
  }
  writeFileSync(generatedPath, fresh);
  console.log(`wrote ${relative(repoRoot, generatedPath)}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
