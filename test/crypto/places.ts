import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/load-config.ts';
import { openPlatform, type Platform } from '../../src/platform.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { type DatabaseLeg, uniqueSuffix } from '../support/harness.ts';

export const KEY_A = 'key-a-encryption-key-that-is-long-enough-0123456789';
export const KEY_B = 'key-b-encryption-key-that-is-long-enough-0123456789';
export const KEY_C = 'key-c-encryption-key-that-is-long-enough-0123456789';

/**
 * One database that platforms (and `wearlink` processes) can be opened on again and again, each with
 * its own keys: a PostgreSQL schema, or a PGlite data directory on disk (one process at a time).
 */
export interface Place {
  /** The storage part of the environment. */
  env: Record<string, string>;
  /** Opens a platform here with ENCRYPTION_KEY (and ENCRYPTION_KEY_PREVIOUS when given). */
  open(key: string, previous?: string, extra?: Record<string, string>): Promise<Platform>;
  /** Environment for a `wearlink` process here with these keys. */
  processEnv(key: string, previous?: string): Record<string, string>;
  remove(): Promise<void>;
}

export function newPlace(leg: DatabaseLeg): Place {
  const suffix = uniqueSuffix();
  const schema = `test_crypto_${suffix}`;
  let dir: string | undefined;
  let env: Record<string, string>;
  if (leg === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    env = { DATABASE_URL: url, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '5' };
  } else {
    dir = mkdtempSync(join(tmpdir(), 'wearlink-crypto-'));
    env = { WEARLINK_DATA_DIR: dir };
  }
  const processEnv = (key: string, previous?: string) => ({
    ...env,
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEY: key,
    ...(previous === undefined ? {} : { ENCRYPTION_KEY_PREVIOUS: previous }),
  });
  return {
    env,
    processEnv,
    async open(key, previous, extra = {}) {
      const config = loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'silent',
        RATE_LIMIT_REGISTER_PER_MINUTE: '100000',
        ...processEnv(key, previous),
        ...extra,
      });
      return openPlatform(config, createLogger(config.LOG_LEVEL), { migrations: 'migrate' });
    },
    async remove() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      if (leg === 'postgres') {
        const admin = new pg.Client({ connectionString: env.DATABASE_URL });
        await admin.connect();
        try {
          await admin.query(
            `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_pgboss" cascade`,
          );
        } finally {
          await admin.end();
        }
      }
    },
  };
}
