import type { Db } from '../db/database.ts';
import type { ConnectionRow } from '../db/schema.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import { connectionEventData } from './connections.repo.ts';

/**
 * The connection row, locked until `trx` ends (`SELECT … FOR UPDATE`): the token store refreshes only
 * while it holds this, so workers on other nodes wait and then find the new tokens.
 */
export function lockConnection(trx: Db, id: string): Promise<ConnectionRow | undefined> {
  return trx.selectFrom('connections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findConnectionById(db: Db, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function writeConnectionTokens(
  db: Db,
  id: string,
  tokensSealed: string,
  expiresAt: Date | null,
): Promise<void> {
  await db
    .updateTable('connections')
    .set({ tokens_sealed: tokensSealed, token_expires_at: expiresAt, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/**
 * The vendor refused the connection's credentials: it stops syncing until the user connects again
 * (which reactivates it), and developers hear `connection.revoked` with status `reauth_required`, in the
 * same transaction as the change. Tokens are dropped: they are dead.
 */
export async function markReauthRequired(trx: Db, id: string, reason: string): Promise<void> {
  const row = await trx
    .updateTable('connections')
    .set({
      status: 'reauth_required',
      tokens_sealed: null,
      token_expires_at: null,
      next_sync_at: null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
  if (row !== undefined)
    await enqueueWebhookEvents(trx, [
      { type: 'connection.revoked', userId: row.user_id, data: { ...connectionEventData(row), reason } },
    ]);
}
