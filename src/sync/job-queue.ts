import PgBoss from 'pg-boss';
import type { Config } from '../config/load-config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { Logger } from '../shared/logger.ts';

export const SYNC_QUEUE = 'sync';

export interface SyncJobData {
  runId: string;
}

/** Apple Health XML imports: long jobs on their own queue, so they never hold up provider syncs. */
export const IMPORT_QUEUE = 'import';

export interface ImportJobData {
  runId: string;
  userId: string;
  /** The stored upload (under UPLOAD_DIR), deleted once the import has ended. Unset for S3 uploads. */
  path?: string;
  /** A file the caller owns (the CLI imports a local file): never deleted. */
  keepFile?: boolean;
  /** An upload in the S3 bucket: downloaded by the worker, deleted once the import has ended. */
  s3Key?: string;
  /** The size the upload was granted: the object is refused if it grew after the upload was checked. */
  maxBytes?: number;
}

/**
 * Durable jobs on pg-boss, in the same database as everything else: PostgreSQL in production (workers
 * on any number of machines), the embedded PGlite otherwise. A job whose worker dies is retried after
 * SYNC_JOB_EXPIRE_SECONDS; a failing job is retried with backoff.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
  ) {}

  static async start(database: DatabaseHandle, config: Config, logger: Logger): Promise<JobQueue> {
    const schema = database.schema === 'public' ? 'pgboss' : `${database.schema}_pgboss`;
    const common = {
      schema,
      maintenanceIntervalSeconds: config.SYNC_MAINTENANCE_SECONDS,
      schedule: false,
    };
    const boss =
      database.queue.kind === 'postgres'
        ? new PgBoss({ ...common, connectionString: database.queue.url, max: 3 })
        : new PgBoss({ ...common, db: { executeSql: database.queue.executeSql } });
    boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
    await boss.start();
    const options = {
      name: SYNC_QUEUE,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: config.SYNC_JOB_EXPIRE_SECONDS,
    };
    const importOptions = {
      ...options,
      name: IMPORT_QUEUE,
      // A format error fails the run for good; retries are for a worker or database that went away.
      retryLimit: 3,
      expireInSeconds: Math.max(config.SYNC_JOB_EXPIRE_SECONDS, 3600),
    };
    for (const queue of [options, importOptions]) {
      try {
        if ((await boss.getQueue(queue.name)) === null) await boss.createQueue(queue.name, queue);
        else await boss.updateQueue(queue.name, queue);
      } catch (error) {
        // Another process created it between our look and our create.
        if ((await boss.getQueue(queue.name)) === null) throw error;
      }
    }
    return new JobQueue(boss, logger);
  }

  /** Returns pg-boss's job id. */
  async enqueue(data: SyncJobData, startAfterSeconds?: number): Promise<string> {
    const id = await this.boss.send(
      SYNC_QUEUE,
      data,
      startAfterSeconds ? { startAfter: startAfterSeconds } : {},
    );
    if (id === null) throw new Error('job not enqueued');
    return id;
  }

  async enqueueImport(data: ImportJobData): Promise<string> {
    const id = await this.boss.send(IMPORT_QUEUE, data, {});
    if (id === null) throw new Error('import job not enqueued');
    return id;
  }

  /** Runs imports one at a time per worker slot: each is CPU- and write-heavy. */
  async workImports(
    concurrency: number,
    handler: (data: ImportJobData, retry: { count: number; limit: number }) => Promise<void>,
  ): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<ImportJobData>(
        IMPORT_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true },
        async ([job]) => {
          if (job) await handler(job.data, { count: job.retryCount, limit: job.retryLimit });
        },
      );
    }
  }

  async cancel(jobId: string): Promise<void> {
    await this.boss.cancel(SYNC_QUEUE, jobId);
  }

  /** Runs `handler` for each job, `concurrency` at a time in this process. */
  async work(
    concurrency: number,
    handler: (data: SyncJobData, retry: { count: number; limit: number }) => Promise<void>,
  ): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<SyncJobData>(
        SYNC_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true },
        async ([job]) => {
          if (job) await handler(job.data, { count: job.retryCount, limit: job.retryLimit });
        },
      );
    }
  }

  async stop(graceMs: number): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: Math.max(graceMs, 1), wait: true });
    this.logger.debug('job queue stopped');
  }
}
