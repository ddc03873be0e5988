/**
 * Reference-corpus leg: every HealthKit identifier in the real exports under `../shared/reference`
 * gets a catalog answer other than `unmapped`. The folder is not part of the repository (licences,
 * personal data); without it this suite skips and says why.
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyHealthKitIdentifier } from './healthkit.ts';

const APPLE_DIR = fileURLToPath(new URL('../../../shared/reference/apple-health/', import.meta.url));
const SEEN_FILE = join(APPLE_DIR, 'HK_IDENTIFIERS_SEEN.txt');
const MAX_FILE_BYTES = 200 * 1024 * 1024;
const present = existsSync(APPLE_DIR);
const title = present
  ? 'HealthKit reference corpus'
  : `HealthKit reference corpus (skipped: ${APPLE_DIR} not found; it exists in CI and beside a full checkout)`;

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return xmlFiles(path);
    return entry.name.endsWith('.xml') && statSync(path).size <= MAX_FILE_BYTES ? [path] : [];
  });
}

interface Found {
  readonly types: Map<string, string>;
  readonly workoutActivityTypes: Map<string, string>;
  readonly otherIdentifiers: Map<string, string>;
}

/** Streams each export line by line: the largest real exports run to gigabytes. */
async function scan(files: readonly string[]): Promise<Found> {
  const found: Found = { types: new Map(), workoutActivityTypes: new Map(), otherIdentifiers: new Map() };
  for (const file of files) {
    const lines = createInterface({
      input: createReadStream(file, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      for (const m of line.matchAll(/\btype="(HK[^"]*)"/g)) {
        if (m[1] !== undefined && !found.types.has(m[1])) found.types.set(m[1], file);
      }
      for (const m of line.matchAll(/\bworkoutActivityType="([^"]*)"/g)) {
        if (m[1] !== undefined && !found.workoutActivityTypes.has(m[1]))
          found.workoutActivityTypes.set(m[1], file);
      }
      // Identifiers in other attribute values (metadata keys, category and characteristic values) and
      // as attribute names (the `Me` element's characteristics).
      for (const m of [...line.matchAll(/="(HK[A-Za-z0-9]+)"/g), ...line.matchAll(/\s(HK[A-Za-z0-9]+)="/g)]) {
        if (m[1] !== undefined && !found.otherIdentifiers.has(m[1])) found.otherIdentifiers.set(m[1], file);
      }
    }
  }
  return found;
}

function unmapped(ids: Iterable<string>): string[] {
  return [...ids].filter((id) => {
    const c = classifyHealthKitIdentifier(id);
    return c.kind === 'kept_raw' && c.reason === 'unmapped';
  });
}

describe.skipIf(!present)(title, () => {
  it('classifies every identifier listed in HK_IDENTIFIERS_SEEN.txt', () => {
    const ids = readFileSync(SEEN_FILE, 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ids.length).toBeGreaterThan(50);
    expect(unmapped(ids)).toEqual([]);
  });

  it('classifies every type="HK…" and workoutActivityType in the exports', async () => {
    const files = xmlFiles(APPLE_DIR);
    expect(files.length).toBeGreaterThan(5);
    const found = await scan(files);
    expect(found.types.size).toBeGreaterThan(30);
    expect(found.workoutActivityTypes.size).toBeGreaterThan(3);

    expect(unmapped(found.types.keys())).toEqual([]);
    for (const [value, file] of found.workoutActivityTypes) {
      expect(classifyHealthKitIdentifier(value).kind, `${value} in ${file}`).toBe('workout_activity_type');
    }
    expect(unmapped(found.otherIdentifiers.keys())).toEqual([]);
  });
});
