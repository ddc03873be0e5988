import type { Selectable } from 'kysely';
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
