import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table developers (
      id uuid primary key,
      email text not null,
      name text not null,
      password_hash text not null,
      plan text not null default 'hobby',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index developers_email_key on developers (lower(email))`.execute(db);

  await sql`
    create table api_keys (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      name text not null,
      key_hash text not null,
      prefix text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`create unique index api_keys_key_hash_key on api_keys (key_hash)`.execute(db);
  await sql`create index api_keys_developer_idx on api_keys (developer_id, created_at)`.execute(db);

  await sql`
    create table users (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      first_name text,
      last_name text,
      email text,
      external_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // Emails are unique per tenant, case-insensitively; two developers may each have a jane@example.com.
  await sql`create unique index users_developer_email_key on users (developer_id, lower(email)) where email is not null`.execute(
    db,
  );
  await sql`create unique index users_developer_external_id_key on users (developer_id, external_id) where external_id is not null`.execute(
    db,
  );
  await sql`create index users_developer_created_idx on users (developer_id, created_at, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table users`.execute(db);
  await sql`drop table api_keys`.execute(db);
  await sql`drop table developers`.execute(db);
}
