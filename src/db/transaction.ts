import type { Db } from './database.ts';

/**
 * Runs `work` in a transaction: the caller's when `db` already is one, else a new one. Repos that need
 * several statements to commit together use this, so a route can run them inside its own transaction
 * next to another write that must commit with them (an audit row: `recordAudit`).
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const key = await rotateApiKey(trx, developerId, id); // joins trx instead of opening its own
 *   await recordAudit(trx, { ... });
 * });
 */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
