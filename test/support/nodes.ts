import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/load-config.ts';
import { openPlatform, type Platform } from '../../src/platform.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startSyncWorker } from '../../src/sync/workers.ts';
import { ApiClient, type DatabaseLeg, uniqueSuffix } from './harness.ts';

/**
 * One database that several WearLink "nodes" (an API server with its own platform: pool, job queue,
 * workers) open in turn or side by side, so a test can restart a node, or run two, on the same data:
 * a PostgreSQL schema, or a PGlite data directory (one node at a time, as PGlite allows).
 */
export interface SharedDatabase {
  leg: DatabaseLeg;
  env: Record<string, string>;
  /** pg-boss's schema (for tests that look at or lock its tables). */
  bossSchema: string;
  schema: string;
  drop(): Promise<void>;
}

export function sharedDatabase(leg: DatabaseLeg): SharedDatabase {
  const schema = `nodes_${uniqueSuffix()}`;
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-that-is-long-enough-012345',
    RATE_LIMIT_REGISTER_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
  };
  if (leg === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    Object.assign(env, { DATABASE_URL: url, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '5' });
    return {
      leg,
      env,
      schema,
      bossSchema: `${schema}_pgboss`,
      async drop() {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`drop schema if exists "${schema}" cascade`);
          await admin.query(`drop schema if exists "${schema}_pgboss" cascade`);
        } finally {
          await admin.end();
        }
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'wearlink-nodes-'));
  env.WEARLINK_DATA_DIR = dataDir;
  env.DATABASE_SCHEMA = schema;
  return {
    leg,
    env,
    schema,
    bossSchema: `${schema}_pgboss`,
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

export interface Node {
  platform: Platform;
  server: RunningServer;
  api: ApiClient;
  close(): Promise<void>;
}

/** Starts a node as `wearlink serve` does (with a worker unless told otherwise). */
export async function startNode(
  database: SharedDatabase,
  options: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<Node> {
  const config = loadConfig({ ...database.env, ...options.env });
  const platform = await openPlatform(config, createLogger(config.LOG_LEVEL), { migrations: 'migrate' });
  const server = await startServer(platform);
  if (options.worker !== false) await startSyncWorker(platform);
  let closed: Promise<void> | undefined;
  return {
    platform,
    server,
    api: new ApiClient(`http://127.0.0.1:${server.port}`),
    close: () =>
      (closed ??= (async () => {
        await server.close();
        await platform.close();
      })()),
  };
}
