import { type Kysely, sql } from 'kysely';

/**
 * The canonical health store. `samples` is the big table (~500k rows per user-month): narrow rows, a
 * small-int series type, and a primary key that is both the idempotency key and the (user, type, time)
 * index every read uses. It carries no foreign keys on purpose: per-row RI triggers would cost a third
 * of bulk-ingest throughput, so deleting a user deletes its samples explicitly (users.repo.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table data_sources (
      id integer generated always as identity primary key,
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      device_name text,
      device_model text,
      device_type text,
      device_manufacturer text,
      app_name text,
      app_id text,
      software_version text,
      fingerprint text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index data_sources_user_fingerprint_key on data_sources (user_id, fingerprint)`.execute(
    db,
  );

  await sql`
    create table samples (
      user_id uuid not null,
      series_type smallint not null,
      start_time timestamptz not null,
      source_id integer not null,
      duration_ms integer not null default 0,
      value double precision not null,
      utc_offset_min smallint,
      primary key (user_id, series_type, start_time, source_id, duration_ms)
    )`.execute(db);

  await sql`
    create table workouts (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      source_id integer not null references data_sources (id) on delete cascade,
      dedupe_key text not null,
      external_id text,
      type text not null,
      source_activity_type text,
      start_time timestamptz not null,
      end_time timestamptz not null,
      duration_s double precision not null,
      distance_m double precision,
      energy_kcal double precision,
      avg_heart_rate_bpm double precision,
      max_heart_rate_bpm double precision,
      avg_pace_sec_per_km double precision,
      elevation_gain_m double precision,
      steps double precision,
      utc_offset_min smallint,
      statistics jsonb not null default '{}',
      segments jsonb not null default '[]',
      metadata jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index workouts_dedupe_key on workouts (user_id, source_id, dedupe_key)`.execute(db);
  await sql`create index workouts_user_start_idx on workouts (user_id, start_time, id)`.execute(db);

  await sql`
    create table workout_route_points (
      workout_id uuid not null references workouts (id) on delete cascade,
      time timestamptz not null,
      latitude double precision not null,
      longitude double precision not null,
      altitude_m double precision,
      speed_m_per_s double precision,
      course_deg double precision,
      horizontal_accuracy_m double precision,
      vertical_accuracy_m double precision,
      primary key (workout_id, time)
    )`.execute(db);

  // Stage intervals exactly as sources send them; sessions are rebuilt from these, so a night that
  // arrives over several batches still becomes one session.
  await sql`
    create table sleep_stage_intervals (
      user_id uuid not null references users (id) on delete cascade,
      source_id integer not null references data_sources (id) on delete cascade,
      start_time timestamptz not null,
      end_time timestamptz not null,
      stage text not null,
      external_id text,
      utc_offset_min smallint,
      primary key (user_id, source_id, start_time, stage)
    )`.execute(db);

  await sql`
    create table sleep_sessions (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      source_id integer not null references data_sources (id) on delete cascade,
      start_time timestamptz not null,
      end_time timestamptz not null,
      is_nap boolean not null,
      in_bed_s double precision not null,
      asleep_s double precision not null,
      awake_s double precision not null,
      light_s double precision not null,
      deep_s double precision not null,
      rem_s double precision not null,
      unknown_s double precision not null,
      efficiency_percent double precision,
      interruptions integer not null,
      stages jsonb not null,
      utc_offset_min smallint,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index sleep_sessions_source_start_key on sleep_sessions (user_id, source_id, start_time)`.execute(
    db,
  );
  await sql`create index sleep_sessions_user_start_idx on sleep_sessions (user_id, start_time, id)`.execute(
    db,
  );

  await sql`
    create table health_scores (
      id uuid primary key,
      user_id uuid not null references users (id) on delete cascade,
      source_id integer references data_sources (id) on delete cascade,
      provider text not null,
      date date not null,
      category text not null,
      score double precision not null,
      range_min double precision not null,
      range_max double precision not null,
      components jsonb not null default '{}',
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index health_scores_key on health_scores (user_id, provider, category, date)`.execute(
    db,
  );

  await sql`
    create table raw_payloads (
      id bigint generated always as identity primary key,
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      kind text not null,
      content_type text not null,
      encoding text not null,
      size_bytes integer not null,
      body bytea not null,
      received_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index raw_payloads_user_idx on raw_payloads (user_id, received_at)`.execute(db);

  await sql`
    create table sync_runs (
      id text primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      source text not null,
      stage text not null,
      status text not null,
      message text,
      items_processed integer,
      items_total integer,
      error jsonb,
      result jsonb,
      raw_payload_id bigint references raw_payloads (id) on delete set null,
      started_at timestamptz,
      ended_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index sync_runs_user_created_idx on sync_runs (user_id, created_at desc)`.execute(db);
  // Recovery scans for runs a crash left unfinished.
  await sql`create index sync_runs_open_idx on sync_runs (created_at) where ended_at is null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'sync_runs',
    'raw_payloads',
    'health_scores',
    'sleep_sessions',
    'sleep_stage_intervals',
    'workout_route_points',
    'workouts',
    'samples',
    'data_sources',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}
