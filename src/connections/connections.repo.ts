import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { ConnectionRow } from '../db/schema.ts';
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
    return await db.transaction().execute(async (trx) => {
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

/** Revoking keeps the row (history, ingested data) but stops syncs and drops the credentials. */
export async function revokeConnection(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
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
  });
}

function connectionEventData(row: ConnectionRow): Record<string, unknown> {
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
