import { type Kysely, sql } from 'kysely';

/**
 * Hourly rollups of samples in each sample's local wall-clock time, maintained at ingest from the rows
 * actually inserted (so re-sent data never counts twice). Daily summaries read these instead of raw
 * samples: a year is ~9k rows per type and source, not ~500k. Local hours line up with local days for
 * every UTC offset, which UTC hours would not (+05:30, +05:45).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sample_rollups (
      user_id uuid not null,
      series_type smallint not null,
      local_hour timestamp not null,
      source_id integer not null,
      n integer not null,
      sum double precision not null,
      min double precision not null,
      max double precision not null,
      primary key (user_id, series_type, local_hour, source_id)
    )`.execute(db);
  // IANA zone used for samples that arrive without an offset (e.g. plain UTC timestamps).
  await sql`alter table users add column timezone text`.execute(db);
  // Ordered source-priority rules (see src/health-data/source-priority.ts); null means the default.
  await sql`alter table users add column source_priority jsonb`.execute(db);
  await sql`alter table developers add column source_priority jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table developers drop column source_priority`.execute(db);
  await sql`alter table users drop column source_priority`.execute(db);
  await sql`alter table users drop column timezone`.execute(db);
  await sql`drop table sample_rollups`.execute(db);
}
