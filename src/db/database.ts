import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type Migration, type MigrationResultSet, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { PGliteDialect, SessionLock } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; schema: string; poolSize: number }
  | { kind: 'pglite'; dataDir: string | undefined; schema: string };

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseOptions['kind'];
  schema: string;
  /** Checks the database answers; used by /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

// int8 (count(*), bigserial) as number: counts here stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

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
    await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    return {
      db,
      kind: 'postgres',
      schema: options.schema,
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }

  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = join(options.dataDir, 'pgdata');
  }
  const pglite = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  await pglite.exec(`create schema if not exists ${quotedSchema}; set search_path to ${quotedSchema};`);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite, new SessionLock()) });
  return {
    db,
    kind: 'pglite',
    schema: options.schema,
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
