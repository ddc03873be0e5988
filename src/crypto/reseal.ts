import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { CANARY_CONTEXT } from './contexts.ts';
import { checkEncryptionKey } from './key-check.ts';
import {
  type ColumnResult,
  resealColumn,
  SEALED_COLUMNS,
  type SealedColumn,
  sealedColumnName,
} from './sealed-columns.ts';
import type { SecretBox } from './secret-box.ts';

/**
 * `wearlink secrets rotate`: every sealed value (OAuth tokens, provider app secrets, PKCE verifiers,
 * webhook endpoint secrets, the canary) not under the current ENCRYPTION_KEY is sealed again under it,
 * so ENCRYPTION_KEY_PREVIOUS can be dropped afterwards. Safe while the API and workers run (each update
 * is conditional on the value it replaces). A value no key opens is reported, never overwritten.
 *
 * @example
 * const results = await rotateSecrets(platform.deps.db, platform.deps.secrets);
 * results.every((r) => r.failed.length === 0); // nothing is left under an old key
 */
export async function rotateSecrets(db: Db, secrets: SecretBox): Promise<ColumnResult[]> {
  const before = await db
    .selectFrom('encryption_canary')
    .select('sealed')
    .where('id', '=', 1)
    .executeTakeFirst();
  // Opens the canary (a wrong key stops here), seals it again under the current key if it is not yet.
  await checkEncryptionKey(db, secrets);
  const canaryResealed = before !== undefined && secrets.needsReseal(before.sealed);
  const results: ColumnResult[] = [
    {
      name: 'encryption_canary.sealed',
      resealed: canaryResealed ? 1 : 0,
      sealed: before === undefined ? 1 : 0,
      current: before !== undefined && !canaryResealed ? 1 : 0,
      failed: [],
    },
  ];
  for (const column of SEALED_COLUMNS) results.push(await resealColumn(db, secrets, column, 'stale'));
  return results;
}

/**
 * How many values of each sealed column are under each key id (`plaintext` for values not sealed): what
 * `wearlink secrets rotate` prints afterwards, and what tests check.
 */
export async function sealedKeyIds(db: Db): Promise<Record<string, Record<string, number>>> {
  const columns: SealedColumn[] = [
    { table: 'encryption_canary', column: 'sealed', keys: ['id'], context: () => CANARY_CONTEXT },
    ...SEALED_COLUMNS,
  ];
  const out: Record<string, Record<string, number>> = {};
  for (const column of columns) {
    const value =
      column.jsonField === undefined
        ? sql.ref(column.column)
        : sql`(${sql.ref(column.column)} ->> ${sql.lit(column.jsonField)})`;
    const { rows } = await sql<{ key_id: string; n: number }>`
      select case when ${value} like 'wl1.%' then split_part(${value}, '.', 2) else 'plaintext' end as key_id,
             count(*)::int as n
      from ${sql.table(column.table)} where ${value} is not null group by 1 order by 1`.execute(db);
    out[sealedColumnName(column)] = Object.fromEntries(rows.map((r) => [r.key_id, r.n]));
  }
  return out;
}
