import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OAuthStateRow } from '../../db/schema.ts';

/** Only a state's hash is stored: a database read does not hand out usable states. */
export function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

export async function insertOAuthState(
  db: Db,
  row: {
    stateHash: string;
    developerId: string;
    userId: string;
    provider: string;
    redirectUri: string;
    codeVerifierSealed: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  // States nobody came back with are dropped a day after they expired (their callbacks get `state_unknown`).
  await db.deleteFrom('oauth_states').where('expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: row.stateHash,
      developer_id: row.developerId,
      user_id: row.userId,
      provider: row.provider,
      redirect_uri: row.redirectUri,
      code_verifier_sealed: row.codeVerifierSealed,
      expires_at: row.expiresAt,
    })
    .execute();
}

export type ConsumedState =
  | { outcome: 'ok'; row: OAuthStateRow }
  | { outcome: 'expired'; row: OAuthStateRow }
  | { outcome: 'used'; row: OAuthStateRow }
  | { outcome: 'unknown' };

/**
 * Takes a state exactly once: one conditional UPDATE, so of two callbacks racing with the same state
 * only one gets `ok`. A state that is not taken is looked at only to say why (used, expired, unknown).
 */
export async function consumeOAuthState(db: Db, stateHash: string): Promise<ConsumedState> {
  const taken = await db
    .updateTable('oauth_states')
    .set({ used_at: sql<Date>`now()` })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
  if (taken !== undefined) return { outcome: 'ok', row: taken };
  const row = await db
    .selectFrom('oauth_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (row === undefined) return { outcome: 'unknown' };
  return row.used_at !== null ? { outcome: 'used', row } : { outcome: 'expired', row };
}
