import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  type CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type Migration,
  type MigrationResultSet,
  Migrator,
  PostgresDialect,
  type PostgresPool,
  sql,
} from 'kysely';
import pg from 'pg';
import { ServiceUnavailableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { registerCopyPool } from './binary-copy.ts';
import { migrations } from './migrations/index.ts';
import { PGliteDialect, SessionLock } from './pglite-dialect.ts';
import { createPgliteDataDir, pgliteTemplate } from './pglite-template.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; schema: string; poolSize: number; logger?: Logger }
  | { kind: 'pglite'; dataDir: string | undefined; schema: string };

/** How pg-boss reaches the same database: its own pool on PostgreSQL, the shared session on PGlite. */
export type QueueConnection =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * How a process hears `NOTIFY`: on PostgreSQL a listener opens a dedicated client of its own from the URL
 * (a pooled connection would lose its LISTEN when released); on PGlite the one session listens, its
 * LISTEN going through the session lock so it never lands inside one of our transactions.
 */
export type NotificationSource =
  | { kind: 'postgres'; url: string }
  | {
      kind: 'pglite';
      /** `channel`: a lower-case identifier. Resolves once listening, to the function that stops it. */
      listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
    };

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseOptions['kind'];
  schema: string;
  queue: QueueConnection;
  notifications: NotificationSource;
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

/**
 * PGlite's start parameters, with PostgreSQL's buffer pool cut from initdb's 128 MB to 16 MB. The buffer
 * pool lives in PGlite's WebAssembly memory, which never shrinks, and was touched whole: a bare PGlite
 * inserting 600k rows peaked at 440–454 MiB RSS with 128 MB, 331–350 MiB with 16 MB, for 11.5–13.5 vs
 * 12.5–14.4 CPU s (back to back, load 12–14); the data files stay in the OS page cache (or in
 * memory:// files) either way.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * The name a process's connections carry in `pg_stat_activity` (its own pool and pg-boss's), so an
 * operator (or a test) can tell them apart; an `application_name` in DATABASE_URL wins.
 */
export const APPLICATION_NAME = 'wearlink';

/**
 * Errors that say the connection failed, not the statement: the server went away or restarted
 * (SQLSTATE class 08, 57P01-57P03 when a backend is terminated), it cannot be reached, or the pool
 * gave up waiting for a connection. They mean "retry later", never "this request is wrong".
 */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
]);
const CONNECTION_ERROR_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended)/i;

export function isConnectionError(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Class 08 but 08P01 (protocol_violation), which a malformed statement can cause on a healthy connection.
  if (
    typeof code === 'string' &&
    (CONNECTION_ERROR_CODES.has(code) || (code.startsWith('08') && code !== '08P01'))
  )
    return true;
  return typeof message === 'string' && CONNECTION_ERROR_MESSAGES.test(message);
}

/**
 * The one place a lost database connection becomes the `unavailable` error kind (503 `{detail}` at the
 * HTTP edge, a retry for a job), whatever query met it.
 */
function unavailable(error: unknown): never {
  if (error instanceof ServiceUnavailableError || !isConnectionError(error)) throw error;
  throw new ServiceUnavailableError('The database is unavailable; retry shortly', { cause: error });
}

/** Every statement Kysely runs on this connection (transaction control included) maps lost connections. */
function mapConnectionErrors(connection: DatabaseConnection): void {
  const executeQuery = connection.executeQuery.bind(connection);
  connection.executeQuery = <R>(compiled: CompiledQuery) => executeQuery<R>(compiled).catch(unavailable);
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const quotedSchema = `"${options.schema}"`;
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      options: `-c search_path=${quotedSchema}`,
      connectionTimeoutMillis: 10_000,
      application_name: APPLICATION_NAME,
    });
    // A connection the server drops (restart, failover, pg_terminate_backend) is an 'error' event on
    // its client: on an idle one the pool re-emits it, on a checked-out one nobody listens. Unheard,
    // either ends the process (issue 15 #13); the pool replaces the client, and the statement that was
    // running fails on its own (and maps to 503 below).
    const lost = (error: Error) =>
      options.logger?.warn(
        { err: { code: (error as { code?: string }).code, message: error.message } },
        'database connection lost',
      );
    pool.on('error', lost);
    pool.on('connect', (client) => client.on('error', () => {}));
    const kyselyPool: PostgresPool = {
      connect: () => pool.connect().catch(unavailable),
      end: () => pool.end(),
    };
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: kyselyPool,
        onCreateConnection: async (c) => mapConnectionErrors(c),
      }),
    });
    registerCopyPool(db, pool);
    // On the pool itself: a start-up that cannot connect reports the driver's own reason.
    await pool.query(`create schema if not exists ${quotedSchema}`);
    return {
      db,
      kind: 'postgres',
      schema: options.schema,
      queue: { kind: 'postgres', url: withApplicationName(options.url) },
      notifications: { kind: 'postgres', url: withApplicationName(options.url) },
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }

  let dataDir: string | undefined;
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
    dataDir = join(options.dataDir, 'pgdata');
  }
  // A new database: not PGlite's in-process initdb (see pglite-template.ts).
  if (dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'))) await createPgliteDataDir(dataDir);
  const pgliteOptions: PGliteOptions = {
    ...(dataDir === undefined ? { loadDataDir: await pgliteTemplate() } : { dataDir }),
    parsers: pgliteParsers,
    // pg_trgm: the food table's trigram index (migration 0014); PGlite loads extensions only when created.
    extensions: { pg_trgm },
    startParams: PGLITE_START_PARAMS,
  };
  const pglite = await PGlite.create(pgliteOptions);
  // PGlite keeps this object for its life, and with it the 40 MB tarball (measured: 115 MiB more
  // ArrayBuffers after start, 38 MiB still after a forced GC, none once dropped).
  delete pgliteOptions.loadDataDir;
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
    notifications: {
      kind: 'pglite',
      // `channel` is a lower-case identifier: PGlite puts it into LISTEN/UNLISTEN as it is.
      listen: (channel, onNotify) =>
        lock.run(async () => {
          const unlisten = await pglite.listen(channel, onNotify);
          return () => lock.run(() => unlisten());
        }),
    },
    ping: async () => void (await sql`select 1`.execute(db)),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** pg-boss opens its own pool from the URL: the same application_name, unless the URL names one. */
function withApplicationName(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.searchParams.has('application_name')) return url;
    parsed.searchParams.set('application_name', APPLICATION_NAME);
    return parsed.toString();
  } catch {
    return url; // a form URL cannot parse (pg's own parser took it): leave it as it is
  }
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
