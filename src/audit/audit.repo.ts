import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AuditLogsTable } from '../db/schema.ts';

export type AuditLogRow = Selectable<AuditLogsTable>;

/** What a list or an export selects: one developer's rows in a time window, of some actions. */
export interface AuditFilter {
  developerId: string;
  /** Rows created at or after this instant. */
  since?: Date | undefined;
  /** Rows created before this instant. */
  until?: Date | undefined;
  /** Only these actions (a wildcard already expanded against the catalogue). */
  actions?: readonly string[] | undefined;
}

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_logs').selectAll().where('developer_id', '=', filter.developerId);
  if (filter.since !== undefined) query = query.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('created_at', '<', filter.until);
  if (filter.actions !== undefined) query = query.where('action', 'in', [...filter.actions]);
  return query;
}

/**
 * One page of a developer's trail, newest first, keyed on `seq` (unique per developer, the chain's
 * order): `beforeSeq` is the last seq of the previous page. Asks for `limit` rows.
 */
export function listAuditLogs(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; beforeSeq?: number | undefined },
): Promise<AuditLogRow[]> {
  let query = filtered(db, filter);
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  return query.orderBy('seq', 'desc').limit(page.limit).execute();
}

/** The seq of the developer's newest row (0: none yet); an export stops there, so it is one point in time. */
export async function auditHeadSeq(db: Db, developerId: string): Promise<number> {
  const head = await db
    .selectFrom('audit_chain_heads')
    .select('seq')
    .where('developer_id', '=', developerId)
    .executeTakeFirst();
  return Number(head?.seq ?? 0);
}

/**
 * A developer's rows in seq order, `pageSize` at a time by keyset (`seq > last`): one page in memory at
 * once, however long the trail. `filter` narrows what is yielded; `throughSeq` ends the walk.
 */
export async function* auditRowsInOrder(
  db: Db,
  filter: AuditFilter,
  options: { pageSize: number; throughSeq?: number },
): AsyncGenerator<AuditLogRow[]> {
  let after = 0;
  for (;;) {
    let query = filtered(db, filter).where('seq', '>', after);
    if (options.throughSeq !== undefined) query = query.where('seq', '<=', options.throughSeq);
    const rows = await query.orderBy('seq').limit(options.pageSize).execute();
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < options.pageSize) return;
    after = Number(rows[rows.length - 1]?.seq);
  }
}

/** Every developer with a trail: those with a chain head, and any with rows but no head (tampering). */
export async function auditedDevelopers(db: Db): Promise<string[]> {
  const heads = await db.selectFrom('audit_chain_heads').select('developer_id').execute();
  const withRows = await db.selectFrom('audit_logs').select('developer_id').distinct().execute();
  return [...new Set([...heads, ...withRows].map((r) => r.developer_id))].sort();
}

export async function auditChainHead(
  db: Db,
  developerId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const head = await db
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('developer_id', '=', developerId)
    .executeTakeFirst();
  return head === undefined ? undefined : { seq: Number(head.seq), hash: head.hash };
}

/**
 * A developer's rows in seq order as NDJSON text, `pageSize` rows per query by keyset. The database
 * writes each line (the same object as the list route's rows, compact) and joins a page into one
 * string: per page the server holds one string, not a thousand row objects, which also keeps the
 * embedded database (PGlite, where each returned value costs) fast. Lines carry no raw newline: JSON
 * escapes them inside strings.
 */
export async function* auditNdjsonPages(
  db: Db,
  filter: AuditFilter,
  options: { pageSize: number; throughSeq: number },
): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ text: string | null; last: number | null; n: number }>`
      select string_agg(line, E'\n' order by seq) as text, max(seq) as last, count(*)::int as n
      from (
        select l.seq, row_to_json(r)::text as line
        from audit_logs l
        cross join lateral (
          select l.id::text as id, l.seq, l.action,
                 (select row_to_json(a) from (select l.actor_type as type, l.actor_id as id) a) as actor,
                 case when l.target_type is null or l.target_id is null then null
                      else (select row_to_json(t) from (select l.target_type as type, l.target_id as id) t)
                 end as target,
                 l.ip, l.user_agent, l.request_id, l.detail,
                 to_char(l.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at,
                 l.hash, l.prev_hash
        ) r
        where l.developer_id = ${filter.developerId}
          and l.seq > ${after} and l.seq <= ${options.throughSeq}
          ${filter.since === undefined ? sql`` : sql`and l.created_at >= ${filter.since}`}
          ${filter.until === undefined ? sql`` : sql`and l.created_at < ${filter.until}`}
          ${filter.actions === undefined ? sql`` : sql`and l.action in (${sql.join([...filter.actions])})`}
        order by l.seq
        limit ${options.pageSize}
      ) page`.execute(db);
    const page = rows[0];
    if (page === undefined || page.text === null || page.last === null) return;
    yield `${page.text}\n`;
    if (page.n < options.pageSize) return;
    after = Number(page.last);
  }
}
