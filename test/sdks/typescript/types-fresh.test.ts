import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { expect, it } from 'vitest';
import {
  generateCommand,
  generatedPath,
  generateTypes,
  repoRoot,
} from '../../../sdks/typescript/scripts/generate.ts';

// The SDK's types are generated from the OpenAPI document the server serves; a route or schema change
// without regenerating them fails here (and so in CI).
it('the committed SDK types match the served OpenAPI document', async () => {
  const fresh = await generateTypes();
  let committed = '';
  try {
    committed = readFileSync(generatedPath, 'utf8');
  } catch {
    // missing: stale
  }
  const file = relative(repoRoot, generatedPath);
  if (committed !== fresh) {
    expect.fail(`${file} is stale (the API changed since it was generated): run \`${generateCommand}\``);
  }
  expect(committed).toMatch(/^\/\*\*\n \* GENERATED FILE: do not edit/);
}, 120_000);
