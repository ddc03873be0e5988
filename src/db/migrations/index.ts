import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as healthData from './0002_health_data.ts';

/** Every migration, in order. One set for PostgreSQL and PGlite alike; names are never renamed. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_health_data': healthData,
};
