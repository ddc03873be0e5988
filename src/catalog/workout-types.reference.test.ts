/**
 * Reference-corpus leg: every workout/activity type value in the vendor payload examples under
 * `../shared/reference/providers` maps exactly (not by guess). Skips, saying why, when the folder is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WorkoutSource } from './workout-types.ts';
import { toCanonicalWorkoutType } from './workout-types.ts';

const PROVIDERS_DIR = fileURLToPath(new URL('../../../shared/reference/providers/', import.meta.url));
const present = existsSync(PROVIDERS_DIR);
const title = present
  ? 'workout types in vendor payload examples'
  : `workout types in vendor payload examples (skipped: ${PROVIDERS_DIR} not found; it exists in CI)`;

/** Which JSON keys hold an activity type, per provider folder; `where` limits the objects looked at. */
const FIELDS: readonly {
  readonly folder: string;
  readonly source: WorkoutSource;
  readonly keys: readonly string[];
  readonly where?: (o: Record<string, unknown>) => boolean;
}[] = [
  { folder: 'garmin', source: 'garmin', keys: ['activityType'] },
  // Strava's `type` key also names stream types; activities are the objects with a start date.
  { folder: 'strava', source: 'strava', keys: ['type', 'sport_type'], where: (o) => 'start_date' in o },
  { folder: 'oura', source: 'oura', keys: ['activity'], where: (o) => 'start_datetime' in o },
  { folder: 'whoop', source: 'whoop', keys: ['sport_name', 'sport_id'] },
  { folder: 'polar', source: 'polar', keys: ['sport', 'detailed-sport-info'] },
];

function collect(
  node: unknown,
  keys: readonly string[],
  where: ((o: Record<string, unknown>) => boolean) | undefined,
  out: Set<string | number>,
): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, keys, where, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (where === undefined || where(record)) {
    for (const key of keys) {
      const v = record[key];
      if (typeof v === 'string' || typeof v === 'number') out.add(v);
    }
  }
  for (const value of Object.values(record)) collect(value, keys, where, out);
}

describe.skipIf(!present)(title, () => {
  for (const { folder, source, keys, where } of FIELDS) {
    it(`maps every ${folder} value exactly`, () => {
      const dir = join(PROVIDERS_DIR, folder);
      // Vendor OpenAPI documents hold schema examples for other objects (routes, segments): examples only.
      const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !/openapi|swagger/i.test(f));
      const values = new Set<string | number>();
      for (const file of files)
        collect(JSON.parse(readFileSync(join(dir, file), 'utf8')), keys, where, values);
      expect(values.size, `no ${keys.join('/')} values found in ${dir}`).toBeGreaterThan(0);
      for (const value of values) {
        expect(toCanonicalWorkoutType(source, value), `${folder}: ${String(value)}`).toMatchObject({
          exact: true,
        });
      }
    });
  }
});
