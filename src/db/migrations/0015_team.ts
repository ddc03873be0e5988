import { type Kysely, sql } from 'kysely';

/**
 * Teams (issue 20): a developer account (the tenant, `tenant_id` null, role owner) invites people into
 * its tenant. A member is a `developers` row of its own (its own email and password, so login is the
 * same) with `tenant_id` = the owner's id and role admin or viewer; every data table stays keyed by the
 * tenant's id. Removing the owner removes its members (cascade), as it removes everything else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table developers add column tenant_id uuid references developers (id) on delete cascade`.execute(
    db,
  );
  await sql`alter table developers add column role text not null default 'owner'`.execute(db);
  // The owner is its own tenant; a member belongs to one and is never an owner.
  await sql`
    alter table developers add constraint developers_role_check check (
      (tenant_id is null and role = 'owner') or (tenant_id is not null and role in ('admin', 'viewer'))
    )`.execute(db);
  await sql`create index developers_tenant_idx on developers (tenant_id) where tenant_id is not null`.execute(
    db,
  );

  // Only the token's SHA-256 is stored: the link is a bearer capability (random 32 bytes), shown or
  // mailed once. Single use: accepting sets accepted_at in the one UPDATE that checks it is still open.
  await sql`
    create table team_invitations (
      id uuid primary key,
      developer_id uuid not null references developers (id) on delete cascade,
      email text not null,
      role text not null check (role in ('admin', 'viewer')),
      token_hash text not null,
      created_by uuid references developers (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create unique index team_invitations_token_hash_key on team_invitations (token_hash)`.execute(db);
  await sql`create index team_invitations_developer_idx on team_invitations (developer_id, created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table team_invitations`.execute(db);
  await sql`drop index developers_tenant_idx`.execute(db);
  await sql`alter table developers drop constraint developers_role_check`.execute(db);
  await sql`alter table developers drop column role`.execute(db);
  await sql`alter table developers drop column tenant_id`.execute(db);
}
