import { Redis } from 'ioredis';
import type { Config } from './config/load-config.ts';
import { checkEncryptionKey } from './crypto/key-check.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase, pendingMigrations } from './db/database.ts';
import type { AppDeps } from './http/context.ts';
import { MemoryRateLimiter, type RateLimiter, RedisRateLimiter } from './http/rate-limit.ts';
import { AppleImportService } from './importers/apple-health/import-service.ts';
import { IngestService } from './ingest/ingest-service.ts';
import { connectionHttp } from './providers/connection-http.ts';
import type { Logger } from './shared/logger.ts';
import { MemoryEventBus, type SyncEventBus } from './sync/event-bus.ts';
import { JobQueue } from './sync/job-queue.ts';
import { RedisEventBus } from './sync/redis-event-bus.ts';
import { SyncRunRecorder } from './sync/run-recorder.ts';
import { SyncEngine } from './sync/sync-engine.ts';
import { InvalidTransitionError } from './sync/sync-runs.repo.ts';

/**
 * The long-lived resources of one WearLink process, opened in dependency order and closed in reverse.
 * `serve`, `migrate` and (later) `worker` all start from here, so the two deployment shapes share it.
 */
export interface Platform {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  redis: Redis | undefined;
  deps: AppDeps;
  queue: JobQueue;
  close(): Promise<void>;
}

export class StartupError extends Error {
  override name = 'StartupError';
}

async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 5000 });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError(`Cannot reach Redis at REDIS_URL: ${(error as Error).message}`);
  }
  return redis;
}

/**
 * `migrate`: apply pending migrations now; `require`: refuse to start while any are pending (production
 * runs `wearlink migrate` as a release step); `skip`: neither (the `migrate` command itself).
 */
export type MigrationPolicy = 'migrate' | 'require' | 'skip';

export async function openPlatform(
  config: Config,
  logger: Logger,
  options: { migrations: MigrationPolicy },
): Promise<Platform> {
  let database: DatabaseHandle;
  try {
    database =
      config.mode === 'postgres' && config.DATABASE_URL !== undefined
        ? await openDatabase({
            kind: 'postgres',
            url: config.DATABASE_URL,
            schema: config.DATABASE_SCHEMA,
            poolSize: config.DATABASE_POOL_SIZE,
            logger,
          })
        : await openDatabase({ kind: 'pglite', dataDir: config.dataDir, schema: config.DATABASE_SCHEMA });
  } catch (error) {
    const where = config.mode === 'postgres' ? 'DATABASE_URL' : `the data directory ${config.dataDir}`;
    throw new StartupError(`Cannot open the database (${where}): ${(error as Error).message}`);
  }
  if (options.migrations === 'migrate') {
    const { results } = await migrateToLatest(database);
    for (const r of results ?? [])
      logger.debug({ migration: r.migrationName, status: r.status }, 'migration');
  } else if (options.migrations === 'require') {
    const pending = await pendingMigrations(database);
    if (pending.length > 0) {
      await database.close();
      throw new StartupError(
        `The database has ${pending.length} pending migration(s) (${pending.join(', ')}). Run \`wearlink migrate\` first.`,
      );
    }
  }
  const secrets = SecretBox.fromConfig(config);
  // Only once the schema is there (`migrate` itself skips it): a wrong ENCRYPTION_KEY stops the start.
  if (options.migrations !== 'skip') {
    try {
      await checkEncryptionKey(database.db, secrets);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  let redis: Redis | undefined;
  try {
    redis = config.REDIS_URL === undefined ? undefined : await connectRedis(config.REDIS_URL, logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter(redis, config.REDIS_KEY_PREFIX)
    : new MemoryRateLimiter();
  const readinessChecks: AppDeps['readinessChecks'] = {};
  if (redis) readinessChecks.redis = async () => void (await redis.ping());

  const events: SyncEventBus = redis
    ? new RedisEventBus(redis, config.REDIS_KEY_PREFIX, logger)
    : new MemoryEventBus();
  const runs = new SyncRunRecorder(database.db, events, logger);
  const queue = await JobQueue.start(database, config, logger, {
    // A job's last attempt failed: its run ends with the (storable) error instead of staying unfinished.
    giveUp: async (_queue, runId, error) => {
      await runs
        .finish(runId, {
          stage: 'failed',
          status: 'failed',
          message: 'Failed after every retry',
          error: { code: 'INTERNAL_ERROR', message: error.message },
        })
        .catch((finishError: unknown) => {
          if (!(finishError instanceof InvalidTransitionError)) throw finishError; // already ended
        });
    },
  });
  const ingest = new IngestService(database.db, queue, runs, logger);
  const providerRuntime = { db: database.db, config, logger, rateLimiter, secrets };
  const sync = new SyncEngine(
    database.db,
    runs,
    queue,
    logger,
    (config.SYNC_JOB_EXPIRE_SECONDS * 1000) / 3,
    (module, connection) => connectionHttp(providerRuntime, module, connection),
    {
      backfillTiming: {
        pollSeconds: config.BACKFILL_POLL_SECONDS,
        waitMinutes: config.BACKFILL_WAIT_MINUTES,
      },
    },
  );
  const appleImports = new AppleImportService(database.db, runs, queue, config, logger);

  return {
    config,
    logger,
    database,
    redis,
    deps: {
      config,
      db: database.db,
      logger,
      rateLimiter,
      readinessChecks,
      redis,
      ingest,
      events,
      runs,
      sync,
      appleImports,
      secrets,
      queue,
    },
    queue,
    async close() {
      // Running jobs get the grace period; whatever does not finish is retried (here after a restart
      // on PGlite, by any node after the job's expiry on PostgreSQL).
      await queue.stop(config.SHUTDOWN_TIMEOUT_MS);
      await events.close();
      await rateLimiter.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
}
