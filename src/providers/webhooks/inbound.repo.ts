import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ConnectionRow, InboundWebhookRow } from '../../db/schema.ts';
import type { InboundRequest } from '../types.ts';

/** What became of a stored delivery: `received` until its job has run. */
export type InboundStatus = 'received' | 'processed' | 'ignored' | 'failed';

/**
 * Stores a vendor's request unless the same delivery (provider + dedupe key) is already stored.
 * Returns whether this call stored it: false for a vendor's retry of a delivery WearLink already has.
 */
export async function insertInbound(
  db: Db,
  row: {
    id: string;
    provider: string;
    dedupeKey: string;
    request: InboundRequest;
    developerId: string | null;
    status?: InboundStatus;
    detail?: string;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('inbound_webhooks')
    .values({
      id: row.id,
      provider: row.provider,
      dedupe_key: row.dedupeKey,
      headers: JSON.stringify(row.request.headers),
      query: JSON.stringify(row.request.query),
      body: row.request.body,
      developer_id: row.developerId,
      ...(row.status === undefined ? {} : { status: row.status }),
      detail: row.detail ?? null,
      processed_at: row.status === undefined || row.status === 'received' ? null : new Date(),
    })
    .onConflict((oc) => oc.columns(['provider', 'dedupe_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findInboundByKey(
  db: Db,
  provider: string,
  dedupeKey: string,
): Promise<Pick<InboundWebhookRow, 'id' | 'status' | 'detail'> | undefined> {
  return db
    .selectFrom('inbound_webhooks')
    .select(['id', 'status', 'detail'])
    .where('provider', '=', provider)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
}

export function findInbound(db: Db, id: string): Promise<InboundWebhookRow | undefined> {
  return db.selectFrom('inbound_webhooks').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The items a push delivery carried for one target (Garmin: `indexes` of the body's `key` list), read
 * back from the stored request; undefined when the delivery is gone or no longer holds them.
 */
export async function deliveredItems(
  db: Db,
  delivery: { inboundId?: string; key: string; indexes: number[] },
): Promise<unknown[] | undefined> {
  if (delivery.inboundId === undefined) return undefined;
  const row = await db
    .selectFrom('inbound_webhooks')
    .select('body')
    .where('id', '=', delivery.inboundId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(row.body).toString('utf8'));
  } catch {
    return undefined;
  }
  const list = (body as Record<string, unknown> | null)?.[delivery.key];
  if (!Array.isArray(list)) return undefined;
  return delivery.indexes.filter((i) => i >= 0 && i < list.length).map((i) => list[i]);
}

/** The stored request as the vendor module reads it. */
export function inboundRequestOf(row: InboundWebhookRow): InboundRequest {
  return {
    method: 'POST',
    headers: row.headers,
    query: row.query,
    body: new Uint8Array(row.body),
  };
}

/**
 * Records the outcome of a delivery still `received`; false when it was already settled (a retried job
 * after its first attempt got this far), so the caller does not report it twice.
 */
export async function settleInbound(
  db: Db,
  id: string,
  status: Exclude<InboundStatus, 'received'>,
  detail: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable('inbound_webhooks')
    .set({ status, detail, processed_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'received')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Whose connections a verified delivery may touch: the developer whose own app verified it; the
 * developers without an app of their own (the instance default verified it); or, for a vendor that
 * does not sign, every developer's (the vendor's user id is all there is to go on).
 */
export type ConnectionScope =
  | { kind: 'developer'; developerId: string }
  | { kind: 'instance_app' }
  | { kind: 'any' };

/**
 * The connections of a vendor's user within a scope: `active` ones (to pull for), or every one not yet
 * revoked (a deauthorization also ends a connection waiting for re-authorization).
 */
export function findConnectionsOfProviderUser(
  db: Db,
  provider: string,
  providerUserId: string,
  scope: ConnectionScope,
  which: 'active' | 'not_revoked',
): Promise<ConnectionRow[]> {
  let query = db
    .selectFrom('connections as c')
    .selectAll('c')
    .where('c.provider', '=', provider)
    .where('c.provider_user_id', '=', providerUserId)
    .where('c.status', which === 'active' ? '=' : '<>', which === 'active' ? 'active' : 'revoked');
  if (scope.kind === 'developer') query = query.where('c.developer_id', '=', scope.developerId);
  else if (scope.kind === 'instance_app')
    query = query.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('provider_apps as pa')
            .select('pa.provider')
            .whereRef('pa.developer_id', '=', 'c.developer_id')
            .whereRef('pa.provider', '=', 'c.provider'),
        ),
      ),
    );
  return query.orderBy('c.created_at').execute();
}

/**
 * Whether a webhook run of this connection pulling exactly `targets` was created at or after `since`
 * (a delivery's receipt): a retried delivery job then has nothing left to queue for it.
 */
export async function hasWebhookRunSince(
  db: Db,
  connectionId: string,
  targets: readonly unknown[],
  since: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('sync_runs')
    .select('id')
    .where('connection_id', '=', connectionId)
    .where('source', '=', 'webhook')
    .where('created_at', '>=', since)
    .where(sql<boolean>`targets = cast(${JSON.stringify(targets)} as jsonb)`)
    .executeTakeFirst();
  return row !== undefined;
}
