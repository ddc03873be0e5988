import { randomUUID } from 'node:crypto';
import { generateApiKey, hashApiKey } from '../auth/api-key-secret.ts';
import type { Db } from '../db/database.ts';
import type { ApiKeyRow } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

export type NewApiKey = ApiKeyRow & { key: string };

export async function createApiKey(db: Db, developerId: string, name: string): Promise<NewApiKey> {
  const { key, hash, prefix } = generateApiKey();
  const row = await db
    .insertInto('api_keys')
    .values({ id: randomUUID(), developer_id: developerId, name, key_hash: hash, prefix })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, key };
}

export function listApiKeys(db: Db, developerId: string): Promise<ApiKeyRow[]> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy('created_at', 'asc')
    .orderBy('id')
    .execute();
}

export function findApiKey(db: Db, developerId: string, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findApiKeyBySecret(db: Db, key: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', hashApiKey(key)).executeTakeFirst();
}

/** The deleted key's name and prefix; undefined when there was none. */
export function deleteApiKey(
  db: Db,
  developerId: string,
  id: string,
): Promise<Pick<ApiKeyRow, 'name' | 'prefix'> | undefined> {
  return db
    .deleteFrom('api_keys')
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .returning(['name', 'prefix'])
    .executeTakeFirst();
}

/** Rotation is delete + create under the same name, atomically: the old key stops working at once. */
export function rotateApiKey(db: Db, developerId: string, id: string): Promise<NewApiKey | undefined> {
  return inTransaction(db, async (trx) => {
    const old = await trx
      .deleteFrom('api_keys')
      .where('developer_id', '=', developerId)
      .where('id', '=', id)
      .returning('name')
      .executeTakeFirst();
    return old === undefined ? undefined : createApiKey(trx, developerId, old.name);
  });
}

/** Recorded at most once a minute per key so that authenticating stays a read. */
export async function touchApiKey(db: Db, key: ApiKeyRow, now = new Date()): Promise<void> {
  if (key.last_used_at !== null && now.getTime() - key.last_used_at.getTime() < 60_000) return;
  await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', key.id).execute();
}
