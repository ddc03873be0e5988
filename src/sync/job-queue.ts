import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Config } from '../config/load-config.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import type { Logger } from '../shared/logger.ts';
import { type StoredError, toStoredError } from './stored-error.ts';

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
 * Pushed batches (SDK, WearMetrics): short jobs replayed from the archived raw payload. On their own
 * queue so a backlog of provider syncs never delays them, and a dead node's batch is retried by any
 * node after INGEST_JOB_EXPIRE_SECONDS instead of by whichever process starts next.
 */
export const INGEST_QUEUE = 'ingest';

export interface IngestJobData {
  runId: string;
}

/**
 * Vendor webhooks (src/providers/webhooks): a stored inbound request turned into pulls and revocations,
 * and the periodic check of the vendor subscriptions WearLink keeps alive. Short jobs on their own queue,
 * so a delivery is handled within seconds even while long syncs fill the sync queue.
 */
export const PROVIDER_WEBHOOK_QUEUE = 'provider-webhook';

export type ProviderWebhookJobData =
  /** Process the stored `inbound_webhooks` row. */
  | { inboundId: string }
  /** Create or renew the per-app subscriptions of every configured vendor app (one per time slot). */
  | { task: 'app-subscriptions' };

/**
 * How long a provider-webhook job may run before the queue hands it to another worker: processing a
 * delivery only reads rows and queues runs. The subscription check calls vendors, so it is sent with
 * its own, longer expiry (PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS).
 */
const PROVIDER_WEBHOOK_JOB_EXPIRE_SECONDS = 120;
export const PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS = 1800;

/**
 * Data-rights work (src/data-rights): building a user's export, deleting a user or one provider's data
 * in batches, and the periodic retention pass. Every task is idempotent and resumable (it re-reads what
 * is left), so a retry after a lost worker carries on where the last attempt stopped.
 */
export const DATA_RIGHTS_QUEUE = 'data-rights';

export type DataRightsJobData =
  | { task: 'export'; exportId: string }
  | { task: 'delete-user'; userId: string }
  | { task: 'delete-provider-data'; userId: string; provider: string }
  | { task: 'retention' };

/** Nutrition (src/nutrition): recognising a meal photo with the configured vision model. */
export const NUTRITION_QUEUE = 'nutrition';

export type NutritionJobData = { task: 'recognize'; logId: string };

export type QueueName =
  | typeof SYNC_QUEUE
  | typeof IMPORT_QUEUE
  | typeof INGEST_QUEUE
  | typeof PROVIDER_WEBHOOK_QUEUE
  | typeof DATA_RIGHTS_QUEUE
  | typeof NUTRITION_QUEUE;
const QUEUES: readonly QueueName[] = [
  SYNC_QUEUE,
  IMPORT_QUEUE,
  INGEST_QUEUE,
  PROVIDER_WEBHOOK_QUEUE,
  DATA_RIGHTS_QUEUE,
  NUTRITION_QUEUE,
];

/** Ingest jobs one process runs at once: each holds a mapped batch (up to 32 MiB of JSON) in memory. */
export const INGEST_WORKER_CONCURRENCY = 2;
/**
 * How often an idle worker asks for work. Jobs enqueued by this process wake a worker at once
 * (`wake`), and a worker that just finished a job asks again at once, so this only bounds how late a
 * job sent by another process starts.
 */
const POLLING_INTERVAL_SECONDS = {
  [SYNC_QUEUE]: 0.5,
  [IMPORT_QUEUE]: 0.5,
  [INGEST_QUEUE]: 1,
  [PROVIDER_WEBHOOK_QUEUE]: 1,
  [DATA_RIGHTS_QUEUE]: 1,
  [NUTRITION_QUEUE]: 1,
} as const;
/** How often a failed attempt's record is retried while the database is away. */
const RECORD_FAILURE_RETRY_MS = 1000;

export interface EnqueueOptions {
  /**
   * A transaction to insert the job in: the job then exists exactly when the caller's rows (its run)
   * do, so no crash can leave a queued run without a job, or a job without its run.
   */
  db?: Db;
  /** The job's id (a UUID), so the caller can store it on its run in the same transaction. */
  id?: string;
  startAfterSeconds?: number;
}

export interface ProviderWebhookEnqueueOptions extends EnqueueOptions {
  /**
   * At most one job per `singletonKey` per slot of this many seconds, across every process: a send
   * into a slot that already has its job enqueues nothing (returns undefined).
   */
  singleton?: { key: string; seconds: number };
  expireInSeconds?: number;
}

export interface JobAttempt {
  /** Retries so far (0 on the first attempt) and how many the queue allows. */
  count: number;
  limit: number;
  jobId: string;
}

/** A job as the queue last recorded it (for reaping runs whose job is gone or ended). */
export interface JobState {
  state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  retryCount: number;
  output: unknown;
}

/** Called when a job's last attempt threw: no retry follows, so its run must end here. */
export type GiveUp = (queue: QueueName, runId: string, error: StoredError) => Promise<void>;

/**
 * What a failed job hands to pg-boss, which serializes it (with serialize-error) into the job's jsonb
 * `output`: only `{code, message}`, made storable. Never the thrown object itself: a driver error carries
 * the statement's parameters (user data) and a stack, and a NUL in any of it made pg-boss's own write
 * fail as an unawaited promise, which ended an embedded server.
 */
export class JobFailedError extends Error {
  override name = 'JobFailedError';
  readonly code: string;
  constructor(stored: StoredError) {
    super(stored.message);
    this.code = stored.code;
  }
  toJSON(): StoredError {
    return { code: this.code, message: this.message };
  }
}

/** pg-boss's statements through the caller's Kysely transaction (PostgreSQL and PGlite alike). */
function transactionExecutor(trx: Db): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({
      rows: (await trx.executeQuery(CompiledQuery.raw(text, values ?? []))).rows as unknown[],
    }),
  };
}

interface WorkerSlot {
  id: string;
  busy: boolean;
}

/**
 * Durable jobs on pg-boss, in the same database as everything else: PostgreSQL in production (workers
 * on any number of machines), the embedded PGlite otherwise. A job whose worker dies is retried after
 * its queue's expiry; a failing job is retried with backoff; a job's last failure ends its run (GiveUp).
 */
export class JobQueue {
  readonly #slots = new Map<QueueName, WorkerSlot[]>();
  #stopped = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
    private readonly giveUp: GiveUp | undefined,
    /** pg-boss's schema, in the same database as ours (its `job` table holds every live job). */
    readonly schema: string,
  ) {}

  static async start(
    database: DatabaseHandle,
    config: Config,
    logger: Logger,
    options: { giveUp?: GiveUp } = {},
  ): Promise<JobQueue> {
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
    boss.on('error', (error) => logger.error({ err: toStoredError(error) }, 'job queue error'));
    await boss.start();
    const syncOptions = {
      name: SYNC_QUEUE,
      retryLimit: 5,
      retryDelay: 2,
      retryBackoff: true,
      expireInSeconds: config.SYNC_JOB_EXPIRE_SECONDS,
    };
    const importOptions = {
      ...syncOptions,
      name: IMPORT_QUEUE,
      // A format error fails the run for good; retries are for a worker or database that went away.
      retryLimit: 3,
      expireInSeconds: Math.max(config.SYNC_JOB_EXPIRE_SECONDS, 3600),
    };
    const ingestOptions = {
      ...syncOptions,
      name: INGEST_QUEUE,
      // A batch that fails on its data fails at once (IngestService); retries are for lost workers
      // and databases.
      retryLimit: 5,
      retryDelay: 1,
      expireInSeconds: config.INGEST_JOB_EXPIRE_SECONDS,
    };
    const providerWebhookOptions = {
      ...syncOptions,
      name: PROVIDER_WEBHOOK_QUEUE,
      // Processing a delivery is idempotent (its row's status says what is done); retries cover a
      // database or worker that went away. The last failure marks the row failed.
      retryLimit: 5,
      retryDelay: 2,
      expireInSeconds: PROVIDER_WEBHOOK_JOB_EXPIRE_SECONDS,
    };
    const dataRightsOptions = {
      ...syncOptions,
      name: DATA_RIGHTS_QUEUE,
      // Exports and deletions of big accounts take minutes; a lost worker's task resumes after this.
      retryLimit: 5,
      retryDelay: 5,
      expireInSeconds: Math.max(config.SYNC_JOB_EXPIRE_SECONDS, 3600),
    };
    const nutritionOptions = {
      ...syncOptions,
      name: NUTRITION_QUEUE,
      // Vision models answer in seconds; retries cover their 429s, timeouts and 5xx. One attempt may
      // make up to ~5 calls (a malformed answer is asked again, the verifier asks twice): its expiry
      // covers that many timeouts, so a slow model is never re-run by a second worker meanwhile.
      retryLimit: 3,
      retryDelay: 5,
      expireInSeconds: Math.max(300, Math.ceil((config.VISION_TIMEOUT_MS * 5) / 1000) + 60),
    };
    for (const queue of [
      syncOptions,
      importOptions,
      ingestOptions,
      providerWebhookOptions,
      dataRightsOptions,
      nutritionOptions,
    ]) {
      try {
        if ((await boss.getQueue(queue.name)) === null) await boss.createQueue(queue.name, queue);
        else await boss.updateQueue(queue.name, queue);
      } catch (error) {
        // Another process created it between our look and our create.
        if ((await boss.getQueue(queue.name)) === null) throw error;
      }
    }
    const queue = new JobQueue(boss, logger, options.giveUp, schema);
    if (database.queue.kind === 'pglite') await queue.#releaseJobsOfDeadProcess(database.queue, schema);
    return queue;
  }

  /**
   * Embedded PGlite belongs to one process at a time, so a job still `active` when it opens was being run
   * by a process that is gone: fail it now (it is retried at once, within its retry limit) instead of
   * waiting out its expiry. On PostgreSQL other nodes may be running their jobs right now: expiry decides.
   */
  async #releaseJobsOfDeadProcess(
    connection: Extract<DatabaseHandle['queue'], { kind: 'pglite' }>,
    schema: string,
  ): Promise<void> {
    const { rows } = (await connection.executeSql(
      `select id, name from "${schema}".job where state = 'active' and name = any($1::text[])`,
      [QUEUES],
    )) as { rows: { id: string; name: QueueName }[] };
    for (const name of QUEUES) {
      const ids = rows.filter((row) => row.name === name).map((row) => row.id);
      if (ids.length === 0) continue;
      for (const id of ids) {
        await this.boss.fail(name, id, {
          code: 'WORKER_LOST',
          message: 'The process running this job stopped; retried after a restart',
        });
      }
      this.logger.info({ queue: name, jobs: ids.length }, 'retrying jobs a stopped process left active');
    }
  }

  async #send(queue: QueueName, data: object, options: EnqueueOptions): Promise<string> {
    const id = await this.#sendMaybe(queue, data, options);
    if (id === undefined) throw new Error(`${queue} job not enqueued`);
    return id;
  }

  async #sendMaybe(
    queue: QueueName,
    data: object,
    options: ProviderWebhookEnqueueOptions,
  ): Promise<string | undefined> {
    const id = await this.boss.send(queue, data, {
      ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.db === undefined ? {} : { db: transactionExecutor(options.db) }),
      ...(options.singleton === undefined
        ? {}
        : { singletonKey: options.singleton.key, singletonSeconds: options.singleton.seconds }),
      ...(options.expireInSeconds === undefined ? {} : { expireInSeconds: options.expireInSeconds }),
    });
    return id ?? undefined;
  }

  /** Enqueues a job for a run on the given queue (the reaper's generic path). */
  enqueueJob(
    queue: typeof SYNC_QUEUE | typeof INGEST_QUEUE,
    data: { runId: string },
    options: EnqueueOptions = {},
  ): Promise<string> {
    return this.#send(queue, data, options);
  }

  /** Returns pg-boss's job id. */
  enqueue(data: SyncJobData, options: EnqueueOptions = {}): Promise<string> {
    return this.#send(SYNC_QUEUE, data, options);
  }

  enqueueImport(data: ImportJobData, options: EnqueueOptions = {}): Promise<string> {
    return this.#send(IMPORT_QUEUE, data, options);
  }

  enqueueIngest(data: IngestJobData, options: EnqueueOptions = {}): Promise<string> {
    return this.#send(INGEST_QUEUE, data, options);
  }

  /**
   * Queues a provider-webhook job. Returns its id, or undefined when `singleton` found its slot taken.
   *
   * @example
   * await queue.enqueueProviderWebhook({ inboundId }, { db: trx }); // with the stored row
   * await queue.enqueueProviderWebhook({ task: 'app-subscriptions' }, { singleton: { key: 'app-subscriptions', seconds: 3600 } });
   */
  enqueueProviderWebhook(
    data: ProviderWebhookJobData,
    options: ProviderWebhookEnqueueOptions = {},
  ): Promise<string | undefined> {
    return this.#sendMaybe(PROVIDER_WEBHOOK_QUEUE, data, options);
  }

  /**
   * Queues a data-rights task. `singleton` as for provider webhooks (the retention pass runs once per slot).
   *
   * @example
   * await queue.enqueueDataRights({ task: 'delete-user', userId }, { db: trx });
   */
  enqueueDataRights(
    data: DataRightsJobData,
    options: ProviderWebhookEnqueueOptions = {},
  ): Promise<string | undefined> {
    return this.#sendMaybe(DATA_RIGHTS_QUEUE, data, options);
  }

  enqueueNutrition(data: NutritionJobData, options: EnqueueOptions = {}): Promise<string> {
    return this.#send(NUTRITION_QUEUE, data, options);
  }

  /**
   * Makes an idle worker of this process ask for `queue`'s jobs now instead of at its next poll. Call
   * after the transaction that enqueued has committed (before, the job is not visible yet).
   */
  wake(queue: QueueName): void {
    const idle = this.#slots.get(queue)?.find((slot) => !slot.busy);
    if (idle) this.boss.notifyWorker(idle.id);
  }

  /** The job as last recorded (archived jobs included), or undefined when it no longer exists. */
  async job(queue: QueueName, id: string): Promise<JobState | undefined> {
    const job = await this.boss.getJobById(queue, id, { includeArchive: true });
    return job === null ? undefined : { state: job.state, retryCount: job.retryCount, output: job.output };
  }

  /**
   * Fails a job found `active` whose worker the caller knows to be gone (an import whose lease lapsed,
   * or whose process no longer exists), so that the queue retries it now, within its retry limit,
   * instead of after its expiry. Returns the job's state afterwards: `retry`, or `failed` when no retry
   * was left (the caller then ends the run).
   */
  async failActiveJob(
    queue: QueueName,
    id: string,
    error: StoredError,
  ): Promise<JobState['state'] | undefined> {
    await this.boss.fail(queue, id, { ...error });
    return (await this.job(queue, id))?.state;
  }

  /** Runs `handler` for each sync job, `concurrency` at a time in this process. */
  work(
    concurrency: number,
    handler: (data: SyncJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(SYNC_QUEUE, concurrency, handler);
  }

  /** Runs imports one at a time per worker slot: each is CPU- and write-heavy. */
  workImports(
    concurrency: number,
    handler: (data: ImportJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(IMPORT_QUEUE, concurrency, handler);
  }

  workIngest(
    concurrency: number,
    handler: (data: IngestJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(INGEST_QUEUE, concurrency, handler);
  }

  /** Provider-webhook jobs: no run of their own (a failed delivery is marked on its inbound row). */
  workProviderWebhooks(
    concurrency: number,
    handler: (data: ProviderWebhookJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(PROVIDER_WEBHOOK_QUEUE, concurrency, handler);
  }

  workDataRights(
    concurrency: number,
    handler: (data: DataRightsJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(DATA_RIGHTS_QUEUE, concurrency, handler);
  }

  workNutrition(
    concurrency: number,
    handler: (data: NutritionJobData, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    return this.#work(NUTRITION_QUEUE, concurrency, handler);
  }

  /**
   * The one place job failures are handled: whatever a handler throws is reduced to a storable
   * `{code, message}` for pg-boss, and on the job's last attempt its run is ended with it (`giveUp`).
   * Nothing a handler throws reaches pg-boss raw, and nothing here throws anything else.
   */
  async #work<T extends object>(
    queue: QueueName,
    concurrency: number,
    handler: (data: T, attempt: JobAttempt) => Promise<void>,
  ): Promise<void> {
    const slots = this.#slots.get(queue) ?? [];
    this.#slots.set(queue, slots);
    for (let i = 0; i < concurrency; i++) {
      const slot: WorkerSlot = { id: '', busy: false };
      slot.id = await this.boss.work<T>(
        queue,
        { batchSize: 1, pollingIntervalSeconds: POLLING_INTERVAL_SECONDS[queue], includeMetadata: true },
        async ([job]) => {
          if (!job) return;
          slot.busy = true;
          const attempt = { count: job.retryCount, limit: job.retryLimit, jobId: job.id };
          const runId = (job.data as { runId?: unknown } | undefined)?.runId;
          try {
            await handler(job.data, attempt);
          } catch (error) {
            const stored = toStoredError(error);
            const last = attempt.count >= attempt.limit;
            this.logger.warn(
              { queue, job_id: job.id, run_id: runId, retry: attempt.count, error: stored },
              last ? 'job failed for good' : 'job failed; the queue retries it',
            );
            if (last && this.giveUp && typeof runId === 'string') {
              await this.giveUp(queue, runId, stored).catch((giveUpError: unknown) =>
                this.logger.error(
                  { queue, run_id: runId, error: toStoredError(giveUpError) },
                  'could not end the run of a failed job',
                ),
              );
            }
            // Recorded here, not by pg-boss: it records a thrown error once, without awaiting, so
            // when the database is away (the usual reason an attempt fails) that write is lost and
            // the job stays `active` with no worker until its expiry, 15 min for a sync (issue 15
            // #13). Returning after our own record, pg-boss's completion touches only an `active`
            // job, which this one no longer is (its retry waits at least retryDelay).
            if (await this.#recordFailure(queue, job.id, job.expireInSeconds, stored)) return;
            throw new JobFailedError(stored);
          } finally {
            slot.busy = false;
            // Ask for the next job right away rather than after the polling interval: a backlog drains
            // at the speed of the handler.
            if (!this.#stopped) this.boss.notifyWorker(slot.id);
          }
        },
      );
      slots.push(slot);
    }
  }

  /**
   * Fails the job (a retry, or its end when none is left), retrying while the database cannot be
   * reached: up to the job's expiry, after which pg-boss's maintenance fails it anyway, or until the
   * queue stops. False when it never got through.
   */
  async #recordFailure(
    queue: QueueName,
    jobId: string,
    expireInSeconds: number,
    stored: StoredError,
  ): Promise<boolean> {
    const deadline = Date.now() + expireInSeconds * 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.fail(queue, jobId, { ...stored });
        if (attempt > 1) this.logger.info({ queue, job_id: jobId, attempt }, 'failed attempt recorded');
        return true;
      } catch (error) {
        if (attempt === 1)
          this.logger.warn(
            { queue, job_id: jobId, error: toStoredError(error) },
            'could not record a failed attempt; retrying until the database answers',
          );
        if (this.#stopped || Date.now() + RECORD_FAILURE_RETRY_MS > deadline) return false;
        await new Promise((r) => setTimeout(r, RECORD_FAILURE_RETRY_MS));
      }
    }
  }

  async cancel(jobId: string): Promise<void> {
    await this.boss.cancel(SYNC_QUEUE, jobId);
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    await this.boss.stop({ graceful: true, timeout: Math.max(graceMs, 1), wait: true });
    this.logger.debug('job queue stopped');
  }
}
