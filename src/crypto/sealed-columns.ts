import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import {
  connectionTokensContext,
  oauthStateContext,
  providerAppContext,
  providerSubscriptionContext,
  webhookEndpointContext,
} from './contexts.ts';
import { SecretBox } from './secret-box.ts';

/** A column of sealed values: where it is, how a row is named, and the context its values are sealed with. */
export interface SealedColumn {
  table: string;
  column: string;
  /** The value is this text field of the (jsonb) column, not the column itself. */
  jsonField?: string;
  /** The primary key: rows are named and visited (in order) by it. */
  keys: readonly string[];
  context(row: Record<string, string>): string;
  /** Rows from before sealing hold plaintext: they are sealed (not reported as unreadable). */
  legacyPlaintext?: true;
}

/** Every sealed column but the canary (which `checkEncryptionKey` looks after). */
export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    table: 'webhook_endpoints',
    column: 'secret',
    keys: ['id'],
    context: (r) => webhookEndpointContext(String(r.id), 'secret'),
    legacyPlaintext: true,
  },
  {
    table: 'webhook_endpoints',
    column: 'previous_secret',
    keys: ['id'],
    context: (r) => webhookEndpointContext(String(r.id), 'previous_secret'),
    legacyPlaintext: true,
  },
  {
    table: 'connections',
    column: 'tokens_sealed',
    keys: ['id'],
    context: (r) => connectionTokensContext(String(r.id)),
  },
  {
    table: 'provider_apps',
    column: 'client_secret_sealed',
    keys: ['developer_id', 'provider'],
    context: (r) => providerAppContext(String(r.developer_id), String(r.provider), 'client_secret'),
  },
  {
    table: 'provider_apps',
    column: 'webhook_secret_sealed',
    keys: ['developer_id', 'provider'],
    context: (r) => providerAppContext(String(r.developer_id), String(r.provider), 'webhook_secret'),
  },
  {
    table: 'oauth_states',
    column: 'code_verifier_sealed',
    keys: ['state_hash'],
    context: (r) => oauthStateContext(String(r.state_hash)),
  },
  {
    table: 'provider_subscriptions',
    column: 'details',
    jsonField: 'webhook_secret_sealed',
    keys: ['id'],
    context: (r) => providerSubscriptionContext(String(r.id)),
  },
];

/** `table.column` or `table.column.field`. */
export function sealedColumnName(column: SealedColumn): string {
  return [column.table, column.column, column.jsonField].filter(Boolean).join('.');
}

/** The SQL of a sealed column's value, and of setting it. */
function valueSql(column: SealedColumn) {
  const ref = sql.ref(column.column);
  if (column.jsonField === undefined)
    return { value: ref, assign: (sealed: string) => sql`${ref} = ${sealed}` };
  const field = column.jsonField;
  return {
    value: sql`(${ref} ->> ${sql.lit(field)})`,
    assign: (sealed: string) =>
      sql`${ref} = jsonb_set(${ref}, ${sql.lit(`{${field}}`)}, to_jsonb(${sealed}::text))`,
  };
}

export interface ColumnResult {
  /** `table.column` */
  name: string;
  /** Sealed again under the current key. */
  resealed: number;
  /** Plaintext (legacy) values sealed. */
  sealed: number;
  /** Already under the current key (rotate only). */
  current: number;
  /** Rows that could not be opened, named by their key, with the reason. */
  failed: { row: string; reason: string }[];
}

const BATCH = 500;

/**
 * Seals again, under the current key, the values of `column` that are not under it (`which: 'stale'`,
 * for `wearlink secrets rotate`), or only its plaintext ones (`'plaintext'`, at every start). Rows are
 * visited in key order, a batch at a time, and each update is conditional on the value it replaces, so
 * a value written meanwhile (by the API, another node) is left as it is, and two nodes doing it at once
 * seal each value once.
 */
export async function resealColumn(
  db: Db,
  secrets: SecretBox,
  column: SealedColumn,
  which: 'stale' | 'plaintext',
): Promise<ColumnResult> {
  const result: ColumnResult = {
    name: sealedColumnName(column),
    resealed: 0,
    sealed: 0,
    current: 0,
    failed: [],
  };
  const table = sql.table(column.table);
  const { value, assign } = valueSql(column);
  const keyList = sql.join(column.keys.map((k) => sql.ref(k)));
  const stale =
    which === 'stale' ? sql`${value} not like ${`wl1.${secrets.keyId}.%`}` : sql`${value} not like 'wl1.%'`;
  let after: string[] | undefined;
  for (;;) {
    const from = after === undefined ? sql`` : sql`and (${keyList}) > (${sql.join(after)})`;
    const { rows } = await sql<Record<string, string>>`
      select ${keyList}, ${value} as sealed_value from ${table}
      where ${value} is not null and ${stale} ${from}
      order by ${keyList} limit ${BATCH}`.execute(db);
    for (const row of rows) {
      const old = row.sealed_value as string;
      const context = column.context(row);
      let plaintext: string;
      if (SecretBox.isSealed(old)) {
        try {
          plaintext = secrets.open(old, context);
        } catch (error) {
          result.failed.push({
            row: column.keys.map((k) => row[k]).join('/'),
            reason: (error as Error).message,
          });
          continue;
        }
      } else if (column.legacyPlaintext) plaintext = old;
      else {
        result.failed.push({ row: column.keys.map((k) => row[k]).join('/'), reason: 'not a sealed value' });
        continue;
      }
      const match = sql.join(
        column.keys.map((k) => sql`${sql.ref(k)} = ${row[k]}`),
        sql` and `,
      );
      const updated = await sql`
        update ${table} set ${assign(secrets.seal(plaintext, context))}
        where ${match} and ${value} = ${old}`.execute(db);
      // Zero rows: rewritten meanwhile (under the current key, by whoever wrote it); nothing to do.
      if ((updated.numAffectedRows ?? 0n) > 0n) {
        if (SecretBox.isSealed(old)) result.resealed += 1;
        else result.sealed += 1;
      }
    }
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1] as Record<string, string>;
    after = column.keys.map((k) => last[k] as string);
  }
  if (which === 'stale') {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${table} where ${value} like ${`wl1.${secrets.keyId}.%`}`.execute(db);
    result.current = (rows[0]?.n ?? 0) - result.resealed - result.sealed;
  }
  return result;
}

/**
 * Seals the outgoing webhook endpoint secrets still stored in plaintext (rows from before secrets were
 * sealed, or written by a node not yet upgraded). Run at every start by `checkEncryptionKey`; a no-op once
 * every row is sealed.
 */
export async function sealLegacyWebhookSecrets(db: Db, secrets: SecretBox): Promise<number> {
  let sealed = 0;
  for (const column of SEALED_COLUMNS.filter((c) => c.legacyPlaintext)) {
    const result = await resealColumn(db, secrets, column, 'plaintext');
    sealed += result.sealed;
  }
  return sealed;
}
