import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { openPlatform, type Platform } from '../../src/platform.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { createLogger, type Logger } from '../../src/shared/logger.ts';
import { startSyncWorker } from '../../src/sync/workers.ts';
import { startWebhookDelivery } from '../../src/webhooks/delivery.ts';

/**
 * Storage legs: every storage-touching suite runs on PGlite always, and on PostgreSQL and Redis when
 * `.ci/run` (or you) export TEST_DATABASE_URL / TEST_REDIS_URL. A missing leg is skipped, with the reason
 * in its title.
 */
export type DatabaseLeg = 'pglite' | 'postgres';
export type BusLeg = 'memory' | 'redis';

const testDatabaseUrl = process.env.TEST_DATABASE_URL;
const testRedisUrl = process.env.TEST_REDIS_URL;

export const databaseLegs: { leg: DatabaseLeg; skip: string | undefined }[] = [
  { leg: 'pglite', skip: undefined },
  { leg: 'postgres', skip: testDatabaseUrl ? undefined : 'TEST_DATABASE_URL is not set' },
];
export const busLegs: { leg: BusLeg; skip: string | undefined }[] = [
  { leg: 'memory', skip: undefined },
  { leg: 'redis', skip: testRedisUrl ? undefined : 'TEST_REDIS_URL is not set' },
];

export const uniqueSuffix = () => randomBytes(6).toString('hex');

export interface TestServer {
  url: string;
  platform: Platform;
  server: RunningServer;
  api: ApiClient;
  close(): Promise<void>;
}

export async function startTestServer(
  options: {
    database?: DatabaseLeg;
    bus?: BusLeg;
    env?: Record<string, string>;
    worker?: boolean;
    /** Where the server logs (tests that read its log lines); default: `LOG_LEVEL` to stdout. */
    logger?: Logger;
  } = {},
): Promise<TestServer> {
  const suffix = uniqueSuffix();
  const schema = `test_${suffix}`;
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    WEARLINK_DATA_DIR: 'memory://',
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-that-is-long-enough-012345',
    // Suites register many developers from 127.0.0.1; the rate-limit suite sets the real limits.
    RATE_LIMIT_REGISTER_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_PER_MINUTE: '100000',
    ...options.env,
  };
  if (options.database === 'postgres') {
    if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set');
    env.DATABASE_URL = testDatabaseUrl;
    env.DATABASE_SCHEMA = schema;
    env.DATABASE_POOL_SIZE = '5';
  }
  if (options.bus === 'redis') {
    if (!testRedisUrl) throw new Error('TEST_REDIS_URL is not set');
    env.REDIS_URL = testRedisUrl;
    env.REDIS_KEY_PREFIX = `wltest:${suffix}:`;
  }
  const config = loadConfig(env);
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const platform = await openPlatform(config, logger, { migrations: 'migrate' });
  const server = await startServer(platform);
  // As `wearlink serve` does by default: sync jobs run in the same process.
  if (options.worker !== false) await startSyncWorker(platform);
  const webhooks = options.worker !== false ? startWebhookDelivery(platform) : undefined;
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    platform,
    server,
    api: new ApiClient(url),
    async close() {
      await server.close();
      await webhooks?.stop();
      if (options.bus === 'redis' && platform.redis) {
        const keys = await platform.redis.keys(`${env.REDIS_KEY_PREFIX}*`);
        if (keys.length) await platform.redis.del(...keys);
      }
      await platform.close();
      // Dropped once the platform has stopped: a worker or reaper still querying the schema could
      // deadlock with the DROP (seen under CI load).
      if (options.database === 'postgres') await dropTestSchemas(env.DATABASE_URL as string, schema);
    },
  };
}

/** Drops a test server's schema and its job queue's, retrying a deadlock with another file's teardown. */
async function dropTestSchemas(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(
          `drop schema if exists "${schema}" cascade; drop schema if exists "${schema}_pgboss" cascade`,
        );
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
}

/**
 * `describe` once per database leg, with one server per leg shared by the block's tests (one PGlite
 * instance per file; tests isolate by registering their own developers).
 */
export function describeEachDatabase(
  title: string,
  body: (ctx: () => TestServer, leg: DatabaseLeg) => void,
  options: { bus?: BusLeg; env?: Record<string, string>; worker?: boolean; logger?: Logger } = {},
): void {
  for (const { leg, skip } of databaseLegs) {
    describe.skipIf(skip !== undefined)(`${title} [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
      let server: TestServer | undefined;
      beforeAll(async () => {
        // The PostgreSQL leg is the production shape: with Redis for events and limits when it answers.
        const bus = options.bus ?? (leg === 'postgres' && testRedisUrl ? 'redis' : 'memory');
        server = await startTestServer({ database: leg, ...options, bus });
      });
      afterAll(async () => {
        await server?.close();
      });
      body(() => {
        if (!server) throw new Error('server not started');
        return server;
      }, leg);
    });
  }
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export type Credential = { key: string } | { bearer: string } | undefined;

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: {
      json?: unknown;
      body?: FormData | URLSearchParams | string | Uint8Array;
      auth?: Credential;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth && 'key' in options.auth) headers['X-WearLink-API-Key'] = options.auth.key;
    if (options.auth && 'bearer' in options.auth) headers.Authorization = `Bearer ${options.auth.bearer}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body ?? null });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  /** Registers a fresh developer; returns its default API key and credentials. */
  async registerDeveloper(name = 'Dev') {
    const email = `dev-${uniqueSuffix()}@example.com`;
    const password = 'correct horse battery staple';
    const res = await this.request('POST', '/api/v1/auth/register', { json: { email, password, name } });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
    return { id: res.body.id as string, email, password, key: res.body.api_key.key as string };
  }

  async createUser(key: string, fields: Record<string, unknown> = {}) {
    const res = await this.request('POST', '/api/v1/users', { auth: { key }, json: fields });
    if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${res.text}`);
    return res.body as { id: string; email: string | null };
  }
}

/** Polls a sync run until it reaches a terminal stage; returns the run. */
export async function waitForRun(
  api: ApiClient,
  auth: Credential,
  userId: string,
  runId: string,
  timeoutMs = 30_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await api.request('GET', `/api/v1/users/${userId}/sync/runs/${runId}`, { auth });
    if (run.status !== 200) throw new Error(`run lookup failed: ${run.status} ${run.text}`);
    if (['completed', 'failed', 'cancelled'].includes(run.body.stage)) return run.body;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.body.stage} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
