import { type Kysely, sql } from 'kysely';

/**
 * Which UTC offsets each series of a user's samples was recorded with, per UTC day. `sample_rollups`
 * are per local hour; a `1hour` timeseries bucket is a UTC hour. The two coincide exactly where every
 * sample that could land in the rollup rows read carries the same whole-hour offset, and this table is
 * what lets the read path (src/health-data/timeseries.ts) prove that with a few hundred rows instead of
 * reading every sample's offset. It is a superset by construction: a statement-level trigger (since
 * 0008, insertSamples itself) adds the (type, source, day, offset) of every inserted sample, in the
 * inserting statement, and nothing removes rows except deleting the user, so a stale row can only make the read path fall back to the samples.
 * `utc_offset_min` is -32768 for samples without an offset (the user's time zone applies to those).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sample_offset_days (
      user_id uuid not null references users (id) on delete cascade,
      series_type smallint not null,
      source_id integer not null,
      day date not null,
      utc_offset_min smallint not null,
      primary key (user_id, series_type, source_id, day, utc_offset_min)
    )`.execute(db);
  // Created before the backfill: from here on inserts wait for this transaction, so none is missed.
  await createOffsetDaysTrigger(db);
  await sql`
    insert into sample_offset_days (user_id, series_type, source_id, day, utc_offset_min)
    select s.user_id, s.series_type, s.source_id, (s.start_time at time zone 'UTC')::date,
           coalesce(s.utc_offset_min, -32768)
    from samples s
    where exists (select 1 from users u where u.id = s.user_id)
    group by 1, 2, 3, 4, 5
    on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropOffsetDaysTrigger(db);
  await sql`drop table sample_offset_days`.execute(db);
}

/** The statement trigger that kept the table from 0007 until 0008 (whose down restores it). */
export async function createOffsetDaysTrigger(db: Kysely<unknown>): Promise<void> {
  // Insert-only (on conflict do nothing): a day already recorded costs one index probe and takes no
  // lock, so concurrent batches of the same series do not queue behind each other here. Keys go in
  // sorted order, as the rollup upserts do. The search_path is pinned to this schema's.
  await sql`
    create function sample_offset_days_track() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into sample_offset_days (user_id, series_type, source_id, day, utc_offset_min)
      select * from (
        select user_id, series_type, source_id, (start_time at time zone 'UTC')::date as day,
               coalesce(utc_offset_min, -32768) as utc_offset_min
        from inserted_samples
        group by 1, 2, 3, 4, 5
      ) g
      order by 1, 2, 3, 4, 5
      on conflict do nothing;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger samples_track_offset_days after insert on samples
    referencing new table as inserted_samples
    for each statement execute function sample_offset_days_track()`.execute(db);
}

export async function dropOffsetDaysTrigger(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger samples_track_offset_days on samples`.execute(db);
  await sql`drop function sample_offset_days_track()`.execute(db);
}
