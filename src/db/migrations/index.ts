import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as healthData from './0002_health_data.ts';
import * as rollupsAndPriority from './0003_rollups_and_priority.ts';
import * as connections from './0004_connections_and_sync_jobs.ts';
import * as webhooks from './0005_webhooks.ts';
import * as pendingUploads from './0006_pending_uploads.ts';
import * as sampleOffsetDays from './0007_sample_offset_days.ts';
import * as offsetDaysInInsert from './0008_offset_days_in_insert.ts';
import * as importLeases from './0009_import_leases.ts';
import * as providerPlatform from './0010_provider_platform.ts';
import * as providerBackfill from './0011_provider_backfill.ts';
import * as dataRights from './0012_data_rights.ts';
import * as nutrition from './0013_nutrition.ts';
import * as foodDb from './0014_food_db.ts';
import * as team from './0015_team.ts';
import * as adminBilling from './0016_admin_billing.ts';
import * as dailyRollups from './0017_daily_rollups.ts';

/** Every migration, in order. One set for PostgreSQL and PGlite alike; names are never renamed. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_health_data': healthData,
  '0003_rollups_and_priority': rollupsAndPriority,
  '0004_connections_and_sync_jobs': connections,
  '0005_webhooks': webhooks,
  '0006_pending_uploads': pendingUploads,
  '0007_sample_offset_days': sampleOffsetDays,
  '0008_offset_days_in_insert': offsetDaysInInsert,
  '0009_import_leases': importLeases,
  '0010_provider_platform': providerPlatform,
  '0011_provider_backfill': providerBackfill,
  '0012_data_rights': dataRights,
  '0013_nutrition': nutrition,
  '0014_food_db': foodDb,
  '0015_team': team,
  '0016_admin_billing': adminBilling,
  '0017_daily_rollups': dailyRollups,
};
