import { type Kysely, sql } from 'kysely';

/** Provider connections (user × provider) with their sync schedule, and the job side of sync runs. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table connections (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      status text not null,
      provider_user_id text,
      scopes text[] not null default '{}',
      -- AES-256-GCM ciphertext of the provider's OAuth tokens (null for providers without OAuth)
      tokens_encrypted bytea,
      -- provider-specific settings (the sandbox's simulated latency and rate limits)
      settings jsonb not null default '{}',
      schedule_cron text,
      schedule_enabled boolean not null default true,
      last_synced_at timestamptz,
      next_sync_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index connections_user_provider_key on connections (user_id, provider)`.execute(db);
  await sql`create index connections_due_idx on connections (next_sync_at) where status = 'active' and schedule_enabled`.execute(
    db,
  );

  await sql`alter table sync_runs add column connection_id uuid references connections (id) on delete set null`.execute(
    db,
  );
  await sql`alter table sync_runs add column mode text`.execute(db);
  await sql`alter table sync_runs add column cancel_requested_at timestamptz`.execute(db);
  await sql`alter table sync_runs add column attempts integer not null default 0`.execute(db);
  // The time window a pull covers, fixed when the run is created so a retried job resumes the same work.
  await sql`alter table sync_runs add column window_from timestamptz`.execute(db);
  await sql`alter table sync_runs add column window_to timestamptz`.execute(db);
  await sql`alter table sync_runs add column queue_job_id text`.execute(db);
  // At most one unfinished run per connection and mode: the database enforces the dedupe.
  await sql`create unique index sync_runs_one_active_key on sync_runs (connection_id, mode) where ended_at is null`.execute(
    db,
  );
  await sql`create index sync_runs_connection_created_idx on sync_runs (connection_id, created_at desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index sync_runs_connection_created_idx`.execute(db);
  await sql`drop index sync_runs_one_active_key`.execute(db);
  for (const column of [
    'queue_job_id',
    'window_to',
    'window_from',
    'attempts',
    'cancel_requested_at',
    'mode',
    'connection_id',
  ]) {
    await sql`alter table sync_runs drop column ${sql.id(column)}`.execute(db);
  }
  await sql`drop table connections`.execute(db);
}
