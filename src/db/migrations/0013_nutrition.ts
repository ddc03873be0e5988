import { type Kysely, sql } from 'kysely';

/**
 * Nutrition (issue 19): meal logs (a photo awaiting recognition, or a manual entry) with their dish items,
 * and the per-developer daily photo counter the plan quota is checked against.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table nutrition_logs (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      status text not null
        check (status in ('pending', 'recognized', 'manual', 'failed', 'discarded')),
      -- set when the log needs (or had) a human look: the user keeps seeing 'pending' while queued
      review_state text check (review_state in ('queued', 'approved', 'rejected')),
      meal_type text not null default 'other'
        check (meal_type in ('breakfast', 'lunch', 'dinner', 'snack', 'other')),
      detected_at timestamptz not null,
      note text,
      -- only the pointer into the blob store lives here, never the bytes
      image_key text,
      image_content_type text,
      image_bytes integer,
      -- the redacted EXIF dict (no location), kept for debugging
      exif jsonb,
      vision_model text,
      verifier_model text,
      confidence_score double precision,
      verifier_agreed boolean,
      human_reviewed boolean not null default false,
      failure jsonb,
      job_id text,
      discarded_at timestamptz,
      -- the photo was removed by retention; the log and its items stay
      image_deleted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index nutrition_logs_user_time_idx on nutrition_logs (user_id, detected_at, id)`.execute(
    db,
  );
  await sql`
    create index nutrition_logs_review_idx on nutrition_logs (created_at, id)
    where review_state = 'queued'`.execute(db);
  await sql`
    create index nutrition_logs_image_retention_idx on nutrition_logs (created_at)
    where image_key is not null and image_deleted_at is null`.execute(db);

  await sql`
    create table nutrition_items (
      id uuid primary key,
      log_id uuid not null references nutrition_logs (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      position integer not null,
      dish_name text not null,
      quantity_grams double precision,
      quantity_uncertainty double precision,
      confidence double precision,
      calories_kcal double precision,
      protein_g double precision,
      carbs_g double precision,
      fat_g double precision,
      fiber_g double precision,
      sugar_g double precision,
      sodium_mg double precision,
      food_db_source text,
      food_db_id text,
      is_corrected boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index nutrition_items_log_idx on nutrition_items (log_id, position)`.execute(db);
  await sql`create index nutrition_items_user_idx on nutrition_items (user_id)`.execute(db);

  // The quota counts every photo accepted for the developer's users that UTC day. A counter (not a count
  // of logs) so a photo keeps counting after its log is soft-deleted, and after its user is deleted.
  await sql`
    create table nutrition_image_usage (
      developer_id uuid not null references developers (id) on delete cascade,
      day date not null,
      used integer not null default 0,
      primary key (developer_id, day)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table nutrition_image_usage`.execute(db);
  await sql`drop table nutrition_items`.execute(db);
  await sql`drop table nutrition_logs`.execute(db);
}
