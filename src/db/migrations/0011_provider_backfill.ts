import { type Kysely, sql } from 'kysely';

/**
 * Vendor backfill windows (Garmin): one row per window of one summary type asked of the vendor for a
 * user. The unique key is what keeps WearLink from asking the same window twice (the vendor answers a
 * repeat with 409), and what a later run's planner subtracts so only the gap is asked after a reconnect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table provider_backfill_windows (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      -- set null, not cascade: a deleted and re-made connection must still not ask for these again
      connection_id uuid references connections (id) on delete set null,
      provider text not null,
      type text not null,
      window_start timestamptz not null,
      window_end timestamptz not null,
      -- pending | requested | received | duplicate | failed | timed_out | cancelled
      status text not null default 'pending',
      -- the backfill run that last asked (or will ask) for it
      run_id text,
      requested_at timestamptz,
      received_at timestamptz,
      detail text,
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      check (window_end > window_start)
    )`.execute(db);
  await sql`
    create unique index provider_backfill_windows_key
      on provider_backfill_windows (user_id, provider, type, window_start, window_end)`.execute(db);
  await sql`create index provider_backfill_windows_run_idx on provider_backfill_windows (run_id)`.execute(db);
  await sql`
    create index provider_backfill_windows_connection_idx
      on provider_backfill_windows (connection_id, type, status)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table provider_backfill_windows`.execute(db);
}
