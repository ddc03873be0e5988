import { randomUUID } from 'node:crypto';
import { updateConnection } from '../connections/connections.repo.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { ConnectionRow, SyncRunRow } from '../db/schema.ts';
import { archiveRawPayload } from '../health-data/raw-payloads.repo.ts';
import { writeCanonicalBatch } from '../ingest/write-batch.ts';
import { ProviderAuthError, ProviderRateLimitError, type PullProvider } from '../providers/pull-provider.ts';
import { pullProviders } from '../providers/sandbox/sandbox-provider.ts';
import type { Logger } from '../shared/logger.ts';
import { type JobQueue, SYNC_QUEUE } from './job-queue.ts';
import type { SyncRunRecorder } from './run-recorder.ts';
import { createRun, newRunId } from './sync-runs.repo.ts';

export type SyncMode = 'incremental' | 'historical';

/** How far back an incremental pull reaches for a connection that has never synced. */
const FIRST_INCREMENTAL_DAYS = 2;
const DAY = 86_400_000;

export type SyncErrorCode =
  | 'PLATFORM_ERROR'
  | 'AUTH_ERROR'
  | 'RATE_LIMIT'
  | 'CONNECTION_NOT_FOUND'
  | 'INTERNAL_ERROR';

export interface SyncError {
  code: SyncErrorCode;
  message: string;
  details?: { retry_after?: number };
}

export class UnknownProviderError extends Error {
  override name = 'UnknownProviderError';
}

/**
 * Pull syncs as durable jobs: a request creates a queued run (one unfinished run per connection and
 * mode: a second request gets the first one back) and a pg-boss job; a worker runs the job window by
 * window through fetching → processing → saving, checking for cancellation between windows and resuming
 * after the last finished window when the job is retried (a crash, a provider 429).
 */
export class SyncEngine {
  constructor(
    private readonly db: Db,
    private readonly runs: SyncRunRecorder,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
    /**
     * A job hands the rest of its run to a fresh job after this long, so no job outlives the queue's
     * expiry (which is what turns a dead worker's job into a retry).
     */
    private readonly jobBudgetMs: number,
    private readonly providers: Record<string, PullProvider> = pullProviders,
  ) {}

  providerFor(slug: string): PullProvider {
    const provider = this.providers[slug];
    if (provider === undefined) throw new UnknownProviderError(`No pull provider "${slug}"`);
    return provider;
  }

  async requestSync(
    connection: ConnectionRow,
    mode: SyncMode,
    force = false,
  ): Promise<{ run: SyncRunRow; created: boolean }> {
    const existing = await this.#activeRun(connection.id, mode);
    if (existing) return { run: existing, created: false };
    const provider = this.providerFor(connection.provider);
    const now = Date.now();
    const full = mode === 'historical' || force;
    const fromMs = full
      ? now - provider.historicalDays * DAY
      : (connection.last_synced_at?.getTime() ?? now - FIRST_INCREMENTAL_DAYS * DAY);
    const windows = provider.windows(fromMs, now);
    const runId = newRunId(mode === 'historical' ? 'backfill' : 'pull', connection.provider);
    const jobId = randomUUID();
    let run: SyncRunRow;
    try {
      // The run and its job commit together: a crash can leave neither or both, never a queued run
      // that no job will ever pick up (which would hold the connection's one active slot for good).
      run = await this.db.transaction().execute(async (trx) => {
        const created = await createRun(trx, {
          id: runId,
          queueJobId: jobId,
          developerId: connection.developer_id,
          userId: connection.user_id,
          provider: connection.provider,
          source: mode === 'historical' ? 'backfill' : 'pull',
          itemsTotal: windows.length,
          connectionId: connection.id,
          mode,
          windowFromMs: fromMs,
          windowToMs: now,
        });
        await this.queue.enqueue({ runId }, { db: trx, id: jobId });
        return created;
      });
    } catch (error) {
      // A concurrent request won the race for this connection and mode.
      const winner = isUniqueViolation(error) ? await this.#activeRun(connection.id, mode) : undefined;
      if (winner) return { run: winner, created: false };
      throw error;
    }
    await this.runs.announce(run);
    this.queue.wake(SYNC_QUEUE);
    return { run, created: true };
  }

  /**
   * Hands the rest of a run to a new job (after a 429, or before this job's expiry): the new job and the
   * run's pointer to it commit together, and a job that no longer matches the pointer does nothing.
   */
  async #handOver(runId: string, startAfterSeconds?: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const jobId = await this.queue.enqueue(
        { runId },
        startAfterSeconds === undefined ? { db: trx } : { db: trx, startAfterSeconds },
      );
      await trx.updateTable('sync_runs').set({ queue_job_id: jobId }).where('id', '=', runId).execute();
    });
    if (startAfterSeconds === undefined) this.queue.wake(SYNC_QUEUE);
  }

  #activeRun(connectionId: string, mode: SyncMode): Promise<SyncRunRow | undefined> {
    return this.db
      .selectFrom('sync_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('mode', '=', mode)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
  }

  /** Cooperative: a queued run ends at once; a running one stops at its next checkpoint. */
  async cancel(run: SyncRunRow): Promise<SyncRunRow> {
    if (run.ended_at !== null) return run;
    if (run.stage === 'queued') {
      if (run.queue_job_id) await this.queue.cancel(run.queue_job_id).catch(() => undefined);
      return this.runs.finish(run.id, {
        stage: 'cancelled',
        status: 'cancelled',
        message: 'Cancelled before it started',
      });
    }
    return (
      (await this.db
        .updateTable('sync_runs')
        .set({ cancel_requested_at: new Date() })
        .where('id', '=', run.id)
        .where('ended_at', 'is', null)
        .returningAll()
        .executeTakeFirst()) ?? run
    );
  }

  /** The worker side: runs (or resumes) one run. Throwing makes the queue retry the job. */
  async runJob(runId: string, retry: { count: number; limit: number; jobId?: string }): Promise<void> {
    let claim = this.db
      .updateTable('sync_runs')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', runId);
    // A job the run has since been handed over from (an expired job retried after its successor was
    // queued) must not run it a second time in parallel. Runs queued before job ids were recorded
    // with the run have none: any job may run them.
    if (retry.jobId !== undefined)
      claim = claim.where((eb) =>
        eb.or([eb('queue_job_id', 'is', null), eb('queue_job_id', '=', retry.jobId as string)]),
      );
    const run = await claim.returningAll().executeTakeFirst();
    if (run === undefined || run.ended_at !== null) return; // cancelled, finished or handed over meanwhile
    const connection = run.connection_id
      ? await this.db
          .selectFrom('connections')
          .selectAll()
          .where('id', '=', run.connection_id)
          .executeTakeFirst()
      : undefined;
    if (connection === undefined || connection.status === 'revoked') {
      await this.#fail(run, {
        code: 'CONNECTION_NOT_FOUND',
        message: 'The connection was removed or revoked',
      });
      return;
    }
    try {
      await this.#pull(run, connection);
    } catch (error) {
      if (error instanceof ProviderRateLimitError) {
        await this.runs.transition(
          run.id,
          'fetching',
          {
            message: `Rate limited by ${run.provider}; resuming in ${error.retryAfterSeconds} s`,
          },
          { error: { code: 'RATE_LIMIT', details: { retry_after: error.retryAfterSeconds } } },
        );
        await this.#handOver(runId, error.retryAfterSeconds);
        return;
      }
      if (error instanceof ProviderAuthError) {
        await updateConnection(this.db, connection.id, { status: 'error' });
        await this.#fail(run, {
          code: 'AUTH_ERROR',
          message: `${run.provider} refused the credentials: ${error.message}`,
        });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (retry.count >= retry.limit) {
        await this.#fail(run, { code: 'INTERNAL_ERROR', message });
        return;
      }
      this.logger.warn(
        { err: error, run_id: runId, retry: retry.count },
        'sync job failed; it will be retried',
      );
      throw error;
    }
  }

  async #pull(run: SyncRunRow, connection: ConnectionRow): Promise<void> {
    const provider = this.providerFor(connection.provider);
    const windows = provider.windows(run.window_from?.getTime() ?? 0, run.window_to?.getTime() ?? Date.now());
    let current = run;
    if (current.stage === 'queued')
      current = await this.runs.transition(run.id, 'started', { message: 'Started' });
    // Resume after the last window that was saved.
    const done = current.items_processed ?? 0;
    const startedAt = Date.now();
    let samples = 0;
    for (let index = done; index < windows.length; index++) {
      if (index > done && Date.now() - startedAt > this.jobBudgetMs) {
        await this.#handOver(run.id);
        return;
      }
      const window = windows[index] as (typeof windows)[number];
      const check = await this.db
        .selectFrom('sync_runs')
        .select(['cancel_requested_at', 'ended_at'])
        .where('id', '=', run.id)
        .executeTakeFirstOrThrow();
      if (check.ended_at !== null) return;
      if (check.cancel_requested_at !== null) {
        await this.runs.finish(run.id, {
          stage: 'cancelled',
          status: 'cancelled',
          message: `Cancelled after ${index} of ${windows.length} windows; data saved so far is kept`,
          itemsProcessed: index,
        });
        return;
      }
      const context = {
        userId: run.user_id,
        settings: (connection.settings ?? {}) as Record<string, unknown>,
        windowIndex: index,
        attempt: run.attempts,
      };
      await this.runs.transition(run.id, 'fetching', { message: `Fetching ${window.label}` });
      const payload = await provider.fetch(context, window);
      await this.runs.transition(run.id, 'processing', { message: `Normalising ${window.label}` });
      const batch = provider.map(payload, context);
      await archiveRawPayload(this.db, {
        userId: run.user_id,
        provider: run.provider,
        kind: `pull:${run.provider}`,
        contentType: 'application/json',
        body: JSON.stringify(payload),
      });
      await this.runs.transition(run.id, 'saving', { message: `Saving ${window.label}` });
      const counts = await writeCanonicalBatch(this.db, run.user_id, batch);
      samples += counts.samples.inserted;
      await this.runs.transition(
        run.id,
        'saving',
        {
          message: `Saved ${window.label}`,
          itemsProcessed: index + 1,
        },
        { window: window.label, samples_inserted: counts.samples.inserted, workouts: counts.workouts },
      );
    }
    await this.runs.finish(run.id, {
      stage: 'completed',
      status: 'success',
      message: `Synced ${windows.length} windows`,
      itemsProcessed: windows.length,
      result: { windows: windows.length, samples_inserted_this_attempt: samples },
    });
    await updateConnection(this.db, connection.id, { last_synced_at: run.window_to });
  }

  async #fail(run: SyncRunRow, error: SyncError): Promise<void> {
    await this.runs.finish(run.id, { stage: 'failed', status: 'failed', message: error.message, error });
  }
}
