import { type Expression, type Selectable, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AuditLogsTable, DeveloperRow } from '../db/schema.ts';

/**
 * Cross-tenant reads for the operator's portal. Every query here deliberately spans all tenants: the
 * routes that call them are behind `authenticateSuperuser` and nowhere else.
 */

/** `q` as an ILIKE pattern matching anywhere, with the client's own % and _ taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

// ---- overview ----------------------------------------------------------------------------------

export async function tenantCounts(db: Db) {
  const row = await db
    .selectFrom('developers')
    .select([
      sql<number>`count(*) filter (where tenant_id is null)::int`.as('tenants'),
      sql<number>`count(*) filter (where tenant_id is not null)::int`.as('team_members'),
      sql<number>`count(*) filter (where tenant_id is null and email_verified_at is not null)::int`.as(
        'verified_tenants',
      ),
      sql<number>`count(*) filter (where tenant_id is null and created_at >= now() - interval '7 days')::int`.as(
        'new_tenants_7d',
      ),
      sql<number>`count(*) filter (where tenant_id is null and created_at >= now() - interval '30 days')::int`.as(
        'new_tenants_30d',
      ),
    ])
    .executeTakeFirstOrThrow();
  return row;
}

/** Tenants per plan (team members have their tenant's plan: not counted again). */
export async function planDistribution(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('developers')
    .select(['plan', sql<number>`count(*)::int`.as('n')])
    .where('tenant_id', 'is', null)
    .groupBy('plan')
    .execute();
  return new Map(rows.map((r) => [r.plan, r.n]));
}

/** New tenants per UTC day from `from` (a UTC midnight) on: only days with signups. */
export async function signupsByDay(db: Db, from: Date): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('developers')
    .select([
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD')`.as('day'),
      sql<number>`count(*)::int`.as('n'),
    ])
    .where('tenant_id', 'is', null)
    .where('created_at', '>=', from)
    .groupBy(sql`1`)
    .execute();
  return new Map(rows.map((r) => [r.day, r.n]));
}

export async function openSupportTickets(db: Db): Promise<number> {
  const row = await db
    .selectFrom('support_tickets')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Accounts (tenants and team members) locked now, and accounts whose address is not verified. */
export async function accountStateCounts(db: Db) {
  return db
    .selectFrom('developers')
    .select([
      sql<number>`count(*) filter (where locked_until > now())::int`.as('locked'),
      sql<number>`count(*) filter (where email_verified_at is null)::int`.as('unverified'),
    ])
    .executeTakeFirstOrThrow();
}

/** Accounts with at least `min` failed logins since `since` (audit `developer.login_failed`), most first. */
export async function failedLoginBursts(db: Db, since: Date, min: number) {
  const rows = await db
    .selectFrom('audit_logs as a')
    .leftJoin('developers as d', (join) => join.on(sql`d.id::text`, '=', sql.ref('a.target_id')))
    .select([
      'a.target_id as developer_id',
      'd.email as email',
      sql<number>`count(*)::int`.as('failures'),
      sql<Date>`max(a.created_at)`.as('last_at'),
    ])
    .where('a.action', '=', 'developer.login_failed')
    .where('a.target_type', '=', 'developer')
    .where('a.created_at', '>=', since)
    .groupBy(['a.target_id', 'd.email'])
    .having(sql<number>`count(*)`, '>=', min)
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('a.target_id')
    .execute();
  return rows.map((r) => ({
    developer_id: r.developer_id ?? '',
    email: r.email ?? null,
    failures: r.failures,
    last_at: new Date(r.last_at).toISOString(),
  }));
}

// ---- developers --------------------------------------------------------------------------------

export interface DeveloperFilter {
  q?: string | undefined;
  plan?: string | undefined;
  locked?: boolean | undefined;
  superuser?: boolean | undefined;
  /** SUPERUSER_EMAILS (lowercase): superusers by configuration, next to the flag. */
  superuserEmails: readonly string[];
}

function superuserExpr(emails: readonly string[]): Expression<SqlBool> {
  return emails.length === 0
    ? sql<SqlBool>`is_superuser`
    : sql<SqlBool>`(is_superuser or lower(email) in (${sql.join(emails.map((e) => sql`${e}`))}))`;
}

function developerQuery(db: Db, filter: DeveloperFilter) {
  let query = db.selectFrom('developers');
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('email', 'ilike', pattern),
        eb('name', 'ilike', pattern),
        eb('organization', 'ilike', pattern),
      ]),
    );
  }
  if (filter.plan !== undefined) query = query.where('plan', '=', filter.plan);
  if (filter.locked !== undefined) {
    query = query.where(
      filter.locked
        ? sql<SqlBool>`locked_until > now()`
        : sql<SqlBool>`(locked_until is null or locked_until <= now())`,
    );
  }
  if (filter.superuser !== undefined) {
    const expr = superuserExpr(filter.superuserEmails);
    query = query.where(filter.superuser ? expr : sql<SqlBool>`not ${expr}`);
  }
  return query;
}

export async function searchDevelopers(
  db: Db,
  filter: DeveloperFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DeveloperRow[]; total: number }> {
  const rows = await developerQuery(db, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await developerQuery(db, filter)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: count.n };
}

export async function developerCounts(db: Db, tenantId: string) {
  const keys = await db
    .selectFrom('api_keys')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('developer_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  const users = await db
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('developer_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { api_keys: keys.n, end_users: users.n };
}

export function teamMembers(db: Db, tenantId: string) {
  return db
    .selectFrom('developers')
    .select(['id', 'email', 'name', 'role', 'created_at', 'locked_until'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at')
    .execute();
}

/**
 * The newest `limit` audit rows the account acted in, on any trail: as itself (a session, or as an
 * admin) or, for a tenant, through one of its API keys.
 */
export function auditRowsByActor(db: Db, accountId: string, limit: number) {
  return db
    .selectFrom('audit_logs as a')
    .leftJoin('developers as d', 'd.id', 'a.developer_id')
    .selectAll('a')
    .select('d.email as developer_email')
    .where((eb) =>
      eb.or([
        eb.and([eb('a.actor_type', 'in', ['developer', 'admin']), eb('a.actor_id', '=', accountId)]),
        eb.and([
          eb('a.actor_type', '=', 'api_key'),
          eb(
            'a.actor_id',
            'in',
            eb
              .selectFrom('api_keys')
              .select(sql<string>`id::text`.as('id'))
              .where('developer_id', '=', accountId),
          ),
        ]),
      ]),
    )
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
}

// ---- end users ---------------------------------------------------------------------------------

function endUserQuery(db: Db, q: string | undefined) {
  let query = db
    .selectFrom('users as u')
    .innerJoin('developers as d', 'd.id', 'u.developer_id')
    .where('u.deleted_at', 'is', null);
  if (q !== undefined && q !== '') {
    const pattern = containsPattern(q);
    query = query.where((eb) =>
      eb.or([
        eb('u.email', 'ilike', pattern),
        eb('u.first_name', 'ilike', pattern),
        eb('u.last_name', 'ilike', pattern),
        eb('u.external_id', 'ilike', pattern),
        eb(sql`u.first_name || ' ' || u.last_name`, 'ilike', pattern),
        eb('d.email', 'ilike', pattern),
      ]),
    );
  }
  return query;
}

const endUserColumns = [
  'u.id',
  'u.developer_id',
  'u.email',
  'u.first_name',
  'u.last_name',
  'u.external_id',
  'u.created_at',
  'd.email as developer_email',
  'd.name as developer_name',
] as const;

export async function searchEndUsers(db: Db, q: string | undefined, page: { limit: number; offset: number }) {
  const rows = await endUserQuery(db, q)
    .select([...endUserColumns])
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const count = await endUserQuery(db, q)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: count.n };
}

export function findEndUser(db: Db, id: string) {
  return endUserQuery(db, undefined)
    .select([...endUserColumns, 'd.plan as developer_plan'])
    .where('u.id', '=', id)
    .executeTakeFirst();
}

export function endUserConnections(db: Db, userId: string) {
  return db
    .selectFrom('connections')
    .select(['id', 'provider', 'status', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

// ---- audit timeline ----------------------------------------------------------------------------

export type AuditRow = Selectable<AuditLogsTable>;

export interface TimelineFilter {
  actions?: readonly string[] | undefined;
  prefix?: string | undefined;
  since?: Date | undefined;
  q?: string | undefined;
  developerId?: string | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** Every tenant's trail, newest first, keyed on the row id (one sequence across trails). */
export async function auditTimeline(db: Db, filter: TimelineFilter) {
  let query = db
    .selectFrom('audit_logs as a')
    .leftJoin('developers as d', 'd.id', 'a.developer_id')
    .selectAll('a')
    .select('d.email as developer_email');
  if (filter.actions !== undefined) query = query.where('a.action', 'in', [...filter.actions]);
  if (filter.prefix !== undefined)
    query = query.where('a.action', 'like', `${filter.prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  if (filter.since !== undefined) query = query.where('a.created_at', '>=', filter.since);
  if (filter.developerId !== undefined) query = query.where('a.developer_id', '=', filter.developerId);
  if (filter.beforeId !== undefined) query = query.where('a.id', '<', filter.beforeId);
  if (filter.q !== undefined && filter.q !== '') {
    const pattern = containsPattern(filter.q);
    query = query.where((eb) =>
      eb.or([
        eb('a.action', 'ilike', pattern),
        eb('a.actor_id', 'ilike', pattern),
        eb('a.target_id', 'ilike', pattern),
        eb('a.ip', 'ilike', pattern),
        eb('d.email', 'ilike', pattern),
        eb(sql`a.detail::text`, 'ilike', pattern),
      ]),
    );
  }
  return query.orderBy('a.id', 'desc').limit(filter.limit).execute();
}
