import { type Kysely, sql } from 'kysely';

/**
 * The provider platform (issue 16): encrypted secrets with a key check, each developer's vendor apps,
 * single-use OAuth states, sealed tokens and per-resource sync cursors on connections, webhook-targeted
 * runs, and inbound vendor webhooks stored before they are acknowledged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row: a value sealed with the key the data was written with, so a start with another key fails
  // with a clear message instead of breaking every connection (see src/crypto).
  await sql`
    create table encryption_canary (
      id integer primary key check (id = 1),
      key_id text not null,
      sealed text not null,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // A developer's app registered with a vendor ("Settings → Providers"); instance-wide defaults come
  // from the environment and have no row.
  await sql`
    create table provider_apps (
      developer_id uuid not null references developers (id) on delete cascade,
      provider text not null,
      client_id text not null,
      client_secret_sealed text,
      -- Polar's signature_secret_key, Strava's and Oura's verify token, …
      webhook_secret_sealed text,
      -- null: the vendor manifest's default scopes
      scopes text[],
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (developer_id, provider)
    )`.execute(db);

  // An OAuth authorize in flight: the state is single-use and expires; only its hash is stored.
  await sql`
    create table oauth_states (
      state_hash text primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      provider text not null,
      redirect_uri text not null,
      code_verifier_sealed text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    )`.execute(db);
  await sql`create index oauth_states_expires_idx on oauth_states (expires_at)`.execute(db);

  // Tokens are sealed text (key id inside) instead of raw bytes; no row had tokens before this.
  await sql`alter table connections drop column tokens_encrypted`.execute(db);
  await sql`alter table connections add column tokens_sealed text`.execute(db);
  await sql`alter table connections add column token_expires_at timestamptz`.execute(db);
  // resource -> epoch ms up to which that resource has been pulled
  await sql`alter table connections add column sync_cursors jsonb not null default '{}'`.execute(db);
  await sql`create index connections_provider_user_idx on connections (provider, provider_user_id)`.execute(
    db,
  );

  // A webhook run pulls exactly the objects or windows its notifications name.
  await sql`alter table sync_runs add column targets jsonb`.execute(db);
  // Several webhook runs of one connection may be in flight; pulls and backfills stay one at a time.
  await sql`drop index sync_runs_one_active_key`.execute(db);
  await sql`
    create unique index sync_runs_one_active_key on sync_runs (connection_id, mode)
    where ended_at is null and mode <> 'webhook'`.execute(db);

  // A vendor's webhook request, stored durably before the 2xx, processed as a job.
  await sql`
    create table inbound_webhooks (
      id uuid primary key,
      provider text not null,
      dedupe_key text not null,
      received_at timestamptz not null default now(),
      headers jsonb not null,
      query jsonb not null,
      body bytea not null,
      -- the app whose secret verified it (null: the instance default, or an unsigned vendor)
      developer_id uuid references developers (id) on delete cascade,
      status text not null default 'received',
      detail text,
      processed_at timestamptz
    )`.execute(db);
  await sql`create unique index inbound_webhooks_dedupe_key on inbound_webhooks (provider, dedupe_key)`.execute(
    db,
  );
  await sql`create index inbound_webhooks_pending_idx on inbound_webhooks (received_at) where status = 'received'`.execute(
    db,
  );

  // Subscriptions WearLink keeps alive at a vendor: per app (Oura, Strava, Polar) or per connection (Withings).
  await sql`
    create table provider_subscriptions (
      id uuid primary key,
      provider text not null,
      developer_id uuid references developers (id) on delete cascade,
      connection_id uuid references connections (id) on delete cascade,
      kind text not null,
      vendor_subscription_id text,
      callback_url text not null,
      details jsonb not null default '{}',
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index provider_subscriptions_provider_idx on provider_subscriptions (provider, developer_id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table provider_subscriptions`.execute(db);
  await sql`drop table inbound_webhooks`.execute(db);
  await sql`drop index sync_runs_one_active_key`.execute(db);
  await sql`create unique index sync_runs_one_active_key on sync_runs (connection_id, mode) where ended_at is null`.execute(
    db,
  );
  await sql`alter table sync_runs drop column targets`.execute(db);
  await sql`drop index connections_provider_user_idx`.execute(db);
  for (const column of ['sync_cursors', 'token_expires_at', 'tokens_sealed'])
    await sql`alter table connections drop column ${sql.id(column)}`.execute(db);
  await sql`alter table connections add column tokens_encrypted bytea`.execute(db);
  await sql`drop table oauth_states`.execute(db);
  await sql`drop table provider_apps`.execute(db);
  await sql`drop table encryption_canary`.execute(db);
}
