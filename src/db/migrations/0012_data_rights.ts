import { type Kysely, sql } from 'kysely';

/**
 * Data rights (issue 18): the append-only audit log with its per-developer hash chain, user exports,
 * user deletion as a resumable job, and per-developer retention.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // No foreign key to developers: the trail outlives what it describes. Append-only: a trigger refuses
  // UPDATE and DELETE for every role the application uses (tampering then needs a superuser, and the
  // hash chain makes it detectable: `wearlink audit verify`).
  await sql`
    create table audit_logs (
      id bigint generated always as identity primary key,
      developer_id uuid not null,
      seq bigint not null,
      actor_type text not null,
      actor_id text,
      action text not null,
      target_type text,
      target_id text,
      ip text,
      user_agent text,
      request_id text,
      detail jsonb not null default '{}',
      created_at timestamptz not null,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create unique index audit_logs_developer_seq_key on audit_logs (developer_id, seq)`.execute(db);
  await sql`create index audit_logs_developer_time_idx on audit_logs (developer_id, created_at, id)`.execute(
    db,
  );
  await sql`
    create table audit_chain_heads (
      developer_id uuid primary key,
      seq bigint not null,
      hash text not null
    )`.execute(db);
  await sql`
    create function audit_logs_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_logs is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_logs_no_update before update or delete on audit_logs
    for each row execute function audit_logs_append_only()`.execute(db);

  await sql`
    create table data_exports (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      run_id text,
      -- queued | running | ready | failed | expired
      status text not null,
      format_version integer not null,
      blob_key text,
      size_bytes bigint,
      manifest jsonb,
      error jsonb,
      -- the download token's nonce: single use is one conditional UPDATE that clears it
      token_nonce text,
      expires_at timestamptz,
      downloaded_at timestamptz,
      created_at timestamptz not null default now(),
      completed_at timestamptz
    )`.execute(db);
  await sql`create index data_exports_user_idx on data_exports (user_id, created_at)`.execute(db);
  // A download finds its export by the token's nonce (random, 128+ bits), once.
  await sql`create unique index data_exports_token_nonce_key on data_exports (token_nonce) where token_nonce is not null`.execute(
    db,
  );

  // A user being deleted disappears from the API at once (every lookup filters on this); the rows go
  // in batches by a job, and the user row itself last.
  await sql`alter table users add column deleted_at timestamptz`.execute(db);
  await sql`create index users_deleting_idx on users (deleted_at) where deleted_at is not null`.execute(db);

  await sql`
    create table data_retention_policies (
      developer_id uuid primary key references developers (id) on delete cascade,
      raw_payload_days integer,
      sample_days integer,
      delete_after_days integer,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table data_retention_policies`.execute(db);
  await sql`alter table users drop column deleted_at`.execute(db);
  await sql`drop table data_exports`.execute(db);
  await sql`drop table audit_chain_heads`.execute(db);
  await sql`drop table audit_logs`.execute(db);
  await sql`drop function audit_logs_append_only`.execute(db);
}
