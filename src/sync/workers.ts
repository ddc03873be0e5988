import parser from 'cron-parser';
import { sql } from 'kysely';
import { startDataRightsWorker } from '../data-rights/worker.ts';
import type { ConnectionRow, SyncRunRow } from '../db/schema.ts';
import { startNutritionWorker } from '../nutrition/worker.ts';
import type { Platform } from '../platform.ts';
import { providerModules } from '../providers/registry.ts';
import { startProviderWebhookWorker } from '../providers/webhooks/worker.ts';
import type { Logger } from '../shared/logger.ts';
import { INGEST_QUEUE, INGEST_WORKER_CONCURRENCY, SYNC_QUEUE } from './job-queue.ts';
import { toStoredError } from './stored-error.ts';
import { InvalidTransitionError } from './sync-runs.repo.ts';

/**
 * Runs jobs in this process: `serve` does by default, `wearlink worker` does nothing else. Also reaps
 * runs whose job is gone, at start and then every SYNC_MAINTENANCE_SECONDS.
 */
export async function startSyncWorker(platform: Platform): Promise<void> {
  const { config, deps, logger } = platform;
  await platform.queue.work(config.SYNC_WORKER_CONCURRENCY, ({ runId }, attempt) =>
    deps.sync.runJob(runId, attempt),
  );
  await deps.ingest.work(INGEST_WORKER_CONCURRENCY);
  // Apple Health XML imports: one at a time per worker process (each keeps a core busy).
  // (The import service also reaps imports whose process died: it knows their leases.)
  await deps.appleImports.startWorker();
  // Vendor webhooks: stored deliveries turned into pulls, and the vendor subscriptions kept alive.
  await startProviderWebhookWorker(platform);
  // Exports, deletions and the retention pass (issue 18); meal-photo recognition (issue 19).
  await startDataRightsWorker(platform);
  await startNutritionWorker(platform);
  const reap = () =>
    reapOrphanedRuns(platform).catch((error: unknown) =>
      logger.error({ error: toStoredError(error) }, 'reaping orphaned runs failed'),
    );
  await reap();
  const timer = setInterval(() => {
    if (platform.queue.stopped) clearInterval(timer);
    else void reap();
  }, config.SYNC_MAINTENANCE_SECONDS * 1000);
  timer.unref();
}

/** The queue that runs each source's runs; imports are reaped by the import service itself. */
const queueOfSource: Partial<Record<SyncRunRow['source'], typeof SYNC_QUEUE | typeof INGEST_QUEUE>> = {
  pull: SYNC_QUEUE,
  backfill: SYNC_QUEUE,
  // Targeted pulls a vendor webhook asked for (SyncEngine.requestTargets): sync jobs too.
  webhook: SYNC_QUEUE,
  sdk: INGEST_QUEUE,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Unfinished runs looked at per pass; the rest wait for the next one. */
const REAP_BATCH = 500;

class ClaimLost extends Error {}

/**
 * Ends the crash windows of runs whose job is gone. A run is created with its job in one transaction,
 * but runs from before that (or whose job a database restore lost) may have none, and a job whose
 * workers kept dying exhausts its retries without its handler ever ending the run. Either way the run
 * would stay unfinished for good, and a sync run holds its connection's one active slot meanwhile. So:
 * a run with no job gets a new one (it resumes; writes are idempotent); a run whose job ended without
 * ending it is failed. Safe on any number of nodes: the new job and the run's pointer to it commit
 * together only if the pointer was still the one looked at.
 */
export async function reapOrphanedRuns(
  platform: Pick<Platform, 'deps' | 'queue' | 'logger'>,
): Promise<{ requeued: string[]; failed: string[] }> {
  const { db, runs } = platform.deps;
  const sources = Object.keys(queueOfSource) as SyncRunRow['source'][];
  // Only runs without a live job in pg-boss's table (same database): a backlog of thousands of queued
  // batches costs one query, not one per run. Each candidate's job is then looked up through pg-boss.
  const liveJobs = sql.table(`${platform.queue.schema}.job`);
  const open = await db
    .selectFrom('sync_runs')
    .selectAll()
    .where('ended_at', 'is', null)
    .where('source', 'in', sources)
    .where(({ not, exists }) =>
      not(
        exists(
          sql`(select 1 from ${liveJobs} j where j.state in ('created', 'retry', 'active')
                 and j.name = case sync_runs.source when 'sdk' then ${INGEST_QUEUE} else ${SYNC_QUEUE} end
                 and j.id = case when sync_runs.queue_job_id ~* ${UUID.source}
                                 then sync_runs.queue_job_id::uuid end)`,
        ),
      ),
    )
    .orderBy('created_at')
    .limit(REAP_BATCH)
    .execute();
  const requeued: string[] = [];
  const failed: string[] = [];
  for (const run of open) {
    const queue = queueOfSource[run.source] as typeof SYNC_QUEUE;
    const jobId = run.queue_job_id;
    const job = jobId !== null && UUID.test(jobId) ? await platform.queue.job(queue, jobId) : undefined;
    if (job !== undefined && ['created', 'retry', 'active'].includes(job.state)) continue;
    if (job === undefined || job.state === 'completed') {
      try {
        await db.transaction().execute(async (trx) => {
          const newJob = await platform.queue.enqueueJob(queue, { runId: run.id }, { db: trx });
          const claimed = await trx
            .updateTable('sync_runs')
            .set({ queue_job_id: newJob })
            .where('id', '=', run.id)
            .where('ended_at', 'is', null)
            .where('queue_job_id', 'is not distinct from', jobId)
            .executeTakeFirst();
          if (claimed.numUpdatedRows === 0n) throw new ClaimLost();
        });
      } catch (error) {
        if (error instanceof ClaimLost) continue; // ended, or another node requeued it first
        throw error;
      }
      platform.queue.wake(queue);
      platform.logger.warn({ run_id: run.id, stage: run.stage }, 'run had no job; queued it again');
      requeued.push(run.id);
      continue;
    }
    try {
      await runs.finish(run.id, {
        stage: 'failed',
        status: 'failed',
        message: 'Its job ended without finishing it (the workers running it stopped)',
        error: {
          code: 'INTERNAL_ERROR',
          message: `job ${job.state} after ${job.retryCount} retries`,
        },
      });
      failed.push(run.id);
    } catch (error) {
      if (!(error instanceof InvalidTransitionError)) throw error;
    }
  }
  return { requeued, failed };
}

let safetyNetInstalled = false;

/**
 * For `serve` and `worker`: a promise rejected with nobody listening (a library's fire-and-forget
 * bookkeeping write, such as pg-boss completing or failing a job, while the database is away) is logged
 * and the process carries on. Node's default would end it, and with it every tenant's requests and the
 * embedded database. Thrown exceptions keep the default (the process ends; jobs resume elsewhere or on
 * restart): after one, the process's state is unknown.
 */
export function installProcessSafetyNet(logger: Logger): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('unhandledRejection', (reason) => {
    logger.error(
      { error: toStoredError(reason), stack: reason instanceof Error ? reason.stack : undefined },
      'unhandled promise rejection; carrying on',
    );
  });
}

/** When a connection syncs next: its cron expression (UTC), else the default interval. */
export function nextSyncAt(
  connection: Pick<ConnectionRow, 'schedule_cron'>,
  after: Date,
  defaultMinutes: number,
): Date {
  if (connection.schedule_cron) {
    return parser
      .parseExpression(connection.schedule_cron, { currentDate: after, utc: true })
      .next()
      .toDate();
  }
  return new Date(after.getTime() + defaultMinutes * 60_000);
}

export function isValidCron(expression: string): boolean {
  try {
    parser.parseExpression(expression, { utc: true });
    return expression.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

/**
 * Every tick, starts an incremental sync for each active connection that is due, and moves its
 * `next_sync_at` on. Safe to run in several processes: claiming a connection is one conditional
 * UPDATE, and a second sync request for the same connection gets the running one back anyway.
 */
export function startScheduler(platform: Pick<Platform, 'config' | 'deps' | 'logger'>): {
  stop(): void;
  tick(): Promise<number>;
} {
  const { config, deps, logger } = platform;
  const tick = async (): Promise<number> => {
    const now = new Date();
    // Push vendors (Garmin) send their data themselves: never scheduled for a pull.
    const pushOnly = [...providerModules.values()]
      .filter((m) => m.manifest.sync.strategy === 'push')
      .map((m) => m.manifest.slug);
    let query = deps.db
      .selectFrom('connections')
      .selectAll()
      .where('status', '=', 'active')
      .where('schedule_enabled', '=', true)
      .where('next_sync_at', '<=', now);
    if (pushOnly.length > 0) query = query.where('provider', 'not in', pushOnly);
    const due = await query.limit(500).execute();
    let started = 0;
    for (const connection of due) {
      const claimed = await deps.db
        .updateTable('connections')
        .set({ next_sync_at: nextSyncAt(connection, now, config.SYNC_DEFAULT_INTERVAL_MINUTES) })
        .where('id', '=', connection.id)
        .where('next_sync_at', '=', connection.next_sync_at)
        .returningAll()
        .executeTakeFirst();
      if (claimed === undefined) continue; // another scheduler took it
      try {
        const { created } = await deps.sync.requestSync(claimed, 'incremental');
        if (created) started += 1;
      } catch (error) {
        logger.warn({ err: error, connection_id: connection.id }, 'scheduled sync not started');
      }
    }
    return started;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => logger.error({ err: error }, 'scheduler tick failed'));
  }, config.SCHEDULER_TICK_SECONDS * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
