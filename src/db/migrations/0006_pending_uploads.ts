import { type Kysely, sql } from 'kysely';

/**
 * Uploads handed out as S3 presigned PUT URLs. The bucket's notification (or the client's /complete)
 * only names a key; this row is what makes the key ours, says whose it is and how large it may be, and
 * `run_id` (set once, by a conditional UPDATE) makes starting its import happen exactly once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pending_uploads (
      key text primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      file_name text not null,
      max_bytes bigint not null,
      -- when the presigned URL stops working
      expires_at timestamptz not null,
      -- the import started for it; null while the upload is awaited
      run_id text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index pending_uploads_expires_idx on pending_uploads (expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table pending_uploads`.execute(db);
}
