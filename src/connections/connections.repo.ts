import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { ConnectionRow } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { ConflictError } from '../shared/errors.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';

export async function createConnection(
  db: Db,
  input: {
    developerId: string;
    userId: string;
    provider: string;
    settings: Record<string, unknown>;
    providerUserId?: string;
  },
): Promise<ConnectionRow> {
  try {
    return await inTransaction(db, async (trx) => {
      const row = await trx
        .insertInto('connections')
        .values({
          id: randomUUID(),
          developer_id: input.developerId,
          user_id: input.userId,
          provider: input.provider,
          status: 'active',
          provider_user_id: input.providerUserId ?? null,
          settings: JSON.stringify(input.settings),
          // Due at once: a new connection syncs on the next scheduler tick.
          next_sync_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await enqueueWebhookEvents(trx, [
        { type: 'connection.created', userId: row.user_id, data: connectionEventData(row) },
      ]);
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError(`This user is already connected to ${input.provider}`);
    throw error;
  }
}

/**
 * Stores the outcome of an OAuth consent: a new connection, or the user's existing one for this provider
 * (revoked, `reauth_required`, or active with a stale grant) taken over with the new grant and
 * reactivated. `sealTokens` gets the row's id (tokens are sealed bound to their row). A new or
 * reactivated connection emits `connection.created` in the same transaction; a re-consent of an active
 * one only replaces its tokens.
 *
 * @example
 * const { row } = await upsertOAuthConnection(db, { developerId, userId, provider: 'oura',
 *   providerUserId: 'abc', scopes: ['daily'], tokenExpiresAt: null }, (id) => seal(tokens, id));
 */
export async function upsertOAuthConnection(
  db: Db,
  input: {
    developerId: string;
    userId: string;
    provider: string;
    providerUserId: string | null;
    scopes: string[];
    tokenExpiresAt: Date | null;
  },
  sealTokens: (connectionId: string) => string,
): Promise<{ row: ConnectionRow; created: boolean; reactivated: boolean }> {
  return inTransaction(db, async (trx) => {
    const existing = await trx
      .selectFrom('connections')
      .selectAll()
      .where('user_id', '=', input.userId)
      .where('provider', '=', input.provider)
      .forUpdate()
      .executeTakeFirst();
    const fields = {
      status: 'active',
      provider_user_id: input.providerUserId,
      scopes: input.scopes,
      token_expires_at: input.tokenExpiresAt,
      updated_at: new Date(),
    };
    let row: ConnectionRow;
    if (existing === undefined) {
      const id = randomUUID();
      row = await trx
        .insertInto('connections')
        .values({
          id,
          developer_id: input.developerId,
          user_id: input.userId,
          ...fields,
          provider: input.provider,
          tokens_sealed: sealTokens(id),
          settings: JSON.stringify({}),
          next_sync_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      row = await trx
        .updateTable('connections')
        .set({
          ...fields,
          tokens_sealed: sealTokens(existing.id),
          ...(existing.status === 'active' ? {} : { next_sync_at: new Date() }),
        })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    const announce = existing === undefined || existing.status !== 'active';
    if (announce)
      await enqueueWebhookEvents(trx, [
        { type: 'connection.created', userId: row.user_id, data: connectionEventData(row) },
      ]);
    return { row, created: existing === undefined, reactivated: existing !== undefined && announce };
  });
}

export function listConnections(db: Db, developerId: string, userId: string): Promise<ConnectionRow[]> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

export function findConnection(db: Db, developerId: string, id: string): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findConnectionByProvider(
  db: Db,
  developerId: string,
  userId: string,
  provider: string,
): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('user_id', '=', userId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

/**
 * Revoking keeps the row (history, ingested data) but stops syncs and drops the credentials. Returns
 * the revoked row (undefined when there is none); `db` may be the caller's transaction.
 */
export function revokeConnection(db: Db, id: string): Promise<ConnectionRow | undefined> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .updateTable('connections')
      .set({
        status: 'revoked',
        tokens_sealed: null,
        token_expires_at: null,
        next_sync_at: null,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row !== undefined) {
      await enqueueWebhookEvents(trx, [
        { type: 'connection.revoked', userId: row.user_id, data: connectionEventData(row) },
      ]);
    }
    return row;
  });
}

export function connectionEventData(row: ConnectionRow): Record<string, unknown> {
  return {
    connection_id: row.id,
    user_id: row.user_id,
    provider: row.provider,
    status: row.status,
    provider_user_id: row.provider_user_id,
  };
}

export async function updateConnection(
  db: Db,
  id: string,
  changes: Partial<
    Pick<ConnectionRow, 'status' | 'last_synced_at' | 'next_sync_at' | 'schedule_cron' | 'schedule_enabled'>
  >,
): Promise<ConnectionRow | undefined> {
  return db
    .updateTable('connections')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** What the user shares with WearLink at the vendor (Garmin's permissions), as the connection's scopes. */
export async function recordGrantedScopes(db: Db, id: string, scopes: readonly string[]): Promise<void> {
  await db
    .updateTable('connections')
    .set({ scopes: [...scopes], updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}
