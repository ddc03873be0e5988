import { type Kysely, sql } from 'kysely';

/**
 * The operator's side (issue 21): account state the admin portal needs on `developers` (superuser
 * flag, email verification, failed-login counter and lockout, organisation), Razorpay billing
 * (subscriptions, invoices, and every webhook event id seen, for idempotency), support tickets and
 * platform announcements (exactly one active at a time: a unique partial index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table developers
      add column is_superuser boolean not null default false,
      add column email_verified_at timestamptz,
      add column failed_login_count integer not null default 0,
      add column last_failed_login_at timestamptz,
      add column locked_until timestamptz,
      add column organization text`.execute(db);

  await sql`
    create table billing_subscriptions (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      plan text not null,
      status text not null check (status in ('created', 'authenticated', 'active', 'pending', 'halted', 'cancelled', 'completed', 'expired')),
      razorpay_subscription_id text,
      razorpay_plan_id text,
      amount_inr_paise bigint not null default 0,
      current_start timestamptz,
      current_end timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      activated_at timestamptz,
      cancelled_at timestamptz
    )`.execute(db);
  await sql`create unique index billing_subscriptions_razorpay_key on billing_subscriptions (razorpay_subscription_id) where razorpay_subscription_id is not null`.execute(
    db,
  );
  await sql`create index billing_subscriptions_developer_idx on billing_subscriptions (developer_id, created_at)`.execute(
    db,
  );

  await sql`
    create table billing_invoices (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      subscription_id uuid references billing_subscriptions (id) on delete set null,
      plan text not null,
      status text not null check (status in ('paid', 'failed', 'refunded')),
      amount_inr_paise bigint not null,
      refunded_inr_paise bigint not null default 0,
      razorpay_payment_id text,
      razorpay_invoice_id text,
      failure_reason text,
      paid_at timestamptz,
      refunded_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index billing_invoices_payment_key on billing_invoices (razorpay_payment_id) where razorpay_payment_id is not null`.execute(
    db,
  );
  await sql`create index billing_invoices_created_idx on billing_invoices (created_at)`.execute(db);

  // Razorpay retries a webhook until it gets a 2xx, and may send one event twice: the event id is the
  // idempotency key, recorded in the same transaction as the event's effect.
  await sql`
    create table billing_webhook_events (
      event_id text primary key,
      event text not null,
      received_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table support_tickets (
      id uuid primary key,
      email text not null,
      name text,
      subject text not null,
      message text not null,
      status text not null default 'open' check (status in ('open', 'resolved')),
      developer_id uuid references developers (id) on delete set null,
      created_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid references developers (id) on delete set null
    )`.execute(db);
  await sql`create index support_tickets_status_idx on support_tickets (status, created_at)`.execute(db);

  await sql`
    create table announcements (
      id uuid primary key,
      severity text not null check (severity in ('info', 'warning', 'critical')),
      title text not null,
      body text not null,
      cta_label text,
      cta_url text,
      active boolean not null default true,
      published_by uuid references developers (id) on delete set null,
      published_at timestamptz not null default now(),
      deactivated_at timestamptz
    )`.execute(db);
  await sql`create unique index announcements_one_active on announcements ((true)) where active`.execute(db);

  // The dashboard's tenant-wide run list (GET /api/v1/sync/runs) reads a developer's newest runs.
  await sql`create index sync_runs_developer_created_idx on sync_runs (developer_id, created_at desc, id desc)`.execute(
    db,
  );
}
