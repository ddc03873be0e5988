import { type Kysely, sql } from 'kysely';

/**
 * `sample_offset_days` is now kept by insertSamples itself (the only writer of `samples`), in each
 * chunk's statement: a new chunk's (day, offset) pairs are tallied before the insert, which costs the
 * database a few rows per chunk where the statement trigger of 0007 grouped every inserted row
 * (measured: 3 s of database CPU per 2M samples on 2 cores). The table and its meaning are unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger samples_track_offset_days on samples`.execute(db);
  await sql`drop function sample_offset_days_track()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
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
