import { type Kysely, sql } from 'kysely';

/**
 * Outgoing webhooks: endpoints per developer, the outbox of messages (written in the same transaction as
 * the change that causes them), one delivery per message × subscribed endpoint, and every attempt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id text primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      url text not null,
      description text,
      -- empty: every event type; entries are event types, 'group.*' wildcards or '*'
      filter_types text[] not null default '{}',
      enabled boolean not null default true,
      disabled_reason text,
      secret text not null,
      -- the secret before the last rotation, still signing (next to the new one) until it expires
      previous_secret text,
      previous_secret_expires_at timestamptz,
      failing_since timestamptz,
      consecutive_failures integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index webhook_endpoints_developer_idx on webhook_endpoints (developer_id, created_at)`.execute(
    db,
  );

  await sql`
    create table webhook_messages (
      id text primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      event_type text not null,
      -- the exact body sent: signatures are computed over these bytes
      payload text not null,
      created_at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create index webhook_messages_developer_idx on webhook_messages (developer_id, created_at)`.execute(
    db,
  );

  await sql`
    create table webhook_deliveries (
      id bigint generated always as identity primary key,
      message_id text not null references webhook_messages (id) on delete cascade,
      endpoint_id text not null references webhook_endpoints (id) on delete cascade,
      status text not null default 'pending',
      attempts integer not null default 0,
      -- when pending: due time; while claimed, the end of the claim's lease (a dead worker's claim expires)
      next_attempt_at timestamptz default clock_timestamp(),
      lease_id uuid,
      created_at timestamptz not null default clock_timestamp(),
      updated_at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (endpoint_id, next_attempt_at) where status = 'pending'`.execute(
    db,
  );
  await sql`create index webhook_deliveries_message_idx on webhook_deliveries (message_id)`.execute(db);

  await sql`
    create table webhook_attempts (
      id bigint generated always as identity primary key,
      delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
      endpoint_id text not null references webhook_endpoints (id) on delete cascade,
      message_id text not null,
      attempt integer not null,
      status_code integer,
      response_excerpt text,
      error text,
      duration_ms integer not null,
      next_attempt_at timestamptz,
      created_at timestamptz not null default clock_timestamp()
    )`.execute(db);
  await sql`create index webhook_attempts_endpoint_idx on webhook_attempts (endpoint_id, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_attempts`.execute(db);
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_messages`.execute(db);
  await sql`drop table webhook_endpoints`.execute(db);
}
