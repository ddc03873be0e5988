import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type Migration, type MigrationResultSet, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { registerCopyPool } from './binary-copy.ts';
import { migrations } from './migrations/index.ts';
import { PGliteDialect, SessionLock } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; schema: string; poolSize: number }
  | { kind: 'pglite'; dataDir: string | undefined; schema: string };

/** How pg-boss reaches the same database: its own pool on PostgreSQL, the shared session on PGlite. */
export type QueueConnection =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseOptions['kind'];
  schema: string;
  queue: QueueConnection;
  /** Checks the database answers; used by /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One decoding of the types whose defaults differ between drivers, or go wrong: int8 (counts, identity
 * ids) as number, since they stay far below 2^53; `date` and `timestamp without time zone` as their
 * text, since turning a wall-clock value into a JS Date would apply the server process's time zone.
 */
const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;
const asText = (value: string) => value;
pg.types.setTypeParser(INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(DATE, asText);
pg.types.setTypeParser(TIMESTAMP, asText);
const pgliteParsers = {
  [INT8]: (value: string) => Number.parseInt(value, 10),
  [DATE]: asText,
  [TIMESTAMP]: asText,
};

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const quotedSchema = `"${options.schema}"`;
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      options: `-c search_path=${quotedSchema}`,
      connectionTimeoutMillis: 10_000,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    registerCopyPool(db, pool);
    await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    return {
      db,
      kind: 'postgres',
      schema: options.schema,
      queue: { kind: 'postgres', url: options.url },
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }

  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = join(options.dataDir, 'pgdata');
  }
  const pglite = await PGlite.create(
    dataDir === undefined ? { parsers: pgliteParsers } : { dataDir, parsers: pgliteParsers },
  );
  await pglite.exec(`create schema if not exists ${quotedSchema}; set search_path to ${quotedSchema};`);
  const lock = new SessionLock();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, lock) });
  return {
    db,
    kind: 'pglite',
    schema: options.schema,
    // pg-boss shares the one session through the same lock as Kysely, so its statements never land in
    // the middle of one of our transactions. Parameter-less text may hold several statements (its
    // migrations and transactions): those go through exec.
    queue: {
      kind: 'pglite',
      executeSql: (text, values) =>
        lock.run(async () => {
          if (values !== undefined && values.length > 0)
            return { rows: (await pglite.query(text, values)).rows };
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        }),
    },
    ping: async () => void (await sql`select 1`.execute(db)),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

function migratorFor(handle: DatabaseHandle): Migrator {
  return new Migrator({
    db: handle.db,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => migrations },
    migrationTableSchema: handle.schema,
  });
}

/** Names of migrations not yet applied (all of them on an empty database). */
export async function pendingMigrations(handle: DatabaseHandle): Promise<string[]> {
  const all = await migratorFor(handle).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

export async function migrateToLatest(handle: DatabaseHandle): Promise<MigrationResultSet> {
  const result = await migratorFor(handle).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
