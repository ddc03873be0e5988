import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { ConnectionRow, SyncRunRow } from '../db/schema.ts';
import { archiveRawPayload } from '../health-data/raw-payloads.repo.ts';
import { writeCanonicalBatch } from '../ingest/write-batch.ts';
import { PushOnlyError } from '../providers/backfill/errors.ts';
import { dataSpan, markDelivered } from '../providers/backfill/repo.ts';
import { retryTargets, runBackfill } from '../providers/backfill/runner.ts';
import { ProviderAuthError, ProviderRateLimitError, ProviderResponseError } from '../providers/errors.ts';
import { urlForLogs } from '../providers/http/url-for-logs.ts';
import { findProviderModule } from '../providers/registry.ts';
import type { ProviderModule, PullContext, PullTarget, PullWindow, VendorHttp } from '../providers/types.ts';
import { deliveredItems } from '../providers/webhooks/inbound.repo.ts';
import type { Logger } from '../shared/logger.ts';
import { isUserGone } from '../users/user-gone.ts';
import { type JobQueue, SYNC_QUEUE } from './job-queue.ts';
import type { SyncRunRecorder } from './run-recorder.ts';
import { createRun, newRunId } from './sync-runs.repo.ts';

export type SyncMode = 'incremental' | 'historical';

/** How the engine gets an authenticated vendor client for a connection (its app and its tokens). */
export type ConnectionHttp = (module: ProviderModule, connection: ConnectionRow) => Promise<VendorHttp>;

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

type WorkItem =
  | { kind: 'window'; window: PullWindow; label: string }
  | { kind: 'target'; target: PullTarget; label: string };

/**
 * A client made on its first call, once: the sandbox never calls out, and a vendor's app and tokens are
 * resolved once per job.
 */
function lazyHttp(make: () => Promise<VendorHttp>): VendorHttp {
  let pending: Promise<VendorHttp> | undefined;
  const client = () => {
    pending ??= make();
    return pending;
  };
  return {
    request: async (r) => (await client()).request(r),
    json: async (r) => (await client()).json(r),
  };
}

export class UnknownProviderError extends Error {
  override name = 'UnknownProviderError';
}

/**
 * A pull cut into windows of the manifest's size, aligned to UTC days so re-runs fetch the same slices;
 * the last one ends at `toMs`.
 */
export function pullWindows(fromMs: number, toMs: number, windowDays: number): PullWindow[] {
  const out: PullWindow[] = [];
  const step = windowDays * DAY;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let start = Math.floor(fromMs / DAY) * DAY; start < toMs; start += step) {
    const end = Math.min(start + step, toMs);
    const last = day(Math.max(start, end - 1));
    out.push({
      fromMs: start,
      toMs: end,
      label: day(start) === last ? day(start) : `${day(start)}..${last}`,
    });
  }
  return out;
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
    private readonly httpFor: ConnectionHttp,
    options: {
      /** The provider modules by slug (tests: a vendor of their own). */
      modules?: (slug: string) => ProviderModule | undefined;
      /** How a backfill run waits for pushed data (BACKFILL_POLL_SECONDS, BACKFILL_WAIT_MINUTES). */
      backfillTiming?: { pollSeconds: number; waitMinutes: number | undefined };
    } = {},
  ) {
    this.modules = options.modules ?? findProviderModule;
    this.backfillTiming = options.backfillTiming ?? { pollSeconds: 10, waitMinutes: undefined };
  }

  private readonly modules: (slug: string) => ProviderModule | undefined;
  private readonly backfillTiming: { pollSeconds: number; waitMinutes: number | undefined };

  providerFor(slug: string): ProviderModule {
    const module = this.modules(slug);
    if (module === undefined || !module.manifest.capabilities.pull)
      throw new UnknownProviderError(`No pull provider "${slug}"`);
    return module;
  }

  /**
   * Where an incremental pull starts: the oldest resource cursor (or, before any, the connection's last
   * sync or two days back), less the vendor's lookback, since vendors revise recent days.
   */
  #incrementalFrom(module: ProviderModule, connection: ConnectionRow, now: number): number {
    const { sync } = module.manifest;
    const cursors = (connection.sync_cursors ?? {}) as Record<string, number>;
    const fallback = connection.last_synced_at?.getTime() ?? now - FIRST_INCREMENTAL_DAYS * DAY;
    const oldest = Math.min(...sync.resources.map((r) => cursors[r.name] ?? fallback));
    return Math.max(oldest - sync.lookback_hours * 3_600_000, now - sync.historical_days * DAY);
  }

  async requestSync(
    connection: ConnectionRow,
    mode: SyncMode,
    force = false,
  ): Promise<{ run: SyncRunRow; created: boolean }> {
    const { manifest } = this.providerFor(connection.provider);
    // A push vendor sends its data itself; only a backfill (historical) can be asked of it.
    if (manifest.sync.strategy === 'push' && mode === 'incremental') throw new PushOnlyError(manifest.name);
    const existing = await this.#activeRun(connection.id, mode);
    if (existing) return { run: existing, created: false };
    if (manifest.sync.strategy === 'push') return this.#createBackfillRun(connection, undefined);
    const now = Date.now();
    const full = mode === 'historical' || force;
    const fromMs = full
      ? now - manifest.sync.historical_days * DAY
      : this.#incrementalFrom(this.providerFor(connection.provider), connection, now);
    const windows = pullWindows(fromMs, now, manifest.sync.window_days);
    const source = mode === 'historical' ? 'backfill' : 'pull';
    let run: SyncRunRow;
    try {
      run = await this.#createQueuedRun(connection, {
        source,
        mode,
        itemsTotal: windows.length,
        windowFromMs: fromMs,
        windowToMs: now,
      });
    } catch (error) {
      // A concurrent request won the race for this connection and mode.
      const winner = isUniqueViolation(error) ? await this.#activeRun(connection.id, mode) : undefined;
      if (winner) return { run: winner, created: false };
      throw error;
    }
    return { run, created: true };
  }

  /**
   * A push vendor's backfill run (src/providers/backfill/runner.ts); `retryType`: a run that asks again
   * only that type's failed and timed-out windows. `created: false` with the active one when a backfill
   * of this connection is already running.
   */
  async requestBackfill(
    connection: ConnectionRow,
    retryType?: string,
  ): Promise<{ run: SyncRunRow; created: boolean }> {
    const existing = await this.#activeRun(connection.id, 'historical');
    if (existing) return { run: existing, created: false };
    return this.#createBackfillRun(connection, retryType);
  }

  async #createBackfillRun(
    connection: ConnectionRow,
    retryType: string | undefined,
  ): Promise<{ run: SyncRunRow; created: boolean }> {
    try {
      const run = await this.#createQueuedRun(connection, {
        source: 'backfill',
        mode: 'historical',
        itemsTotal: 0,
        ...(retryType === undefined ? {} : { targets: retryTargets(retryType) }),
      });
      return { run, created: true };
    } catch (error) {
      const winner = isUniqueViolation(error)
        ? await this.#activeRun(connection.id, 'historical')
        : undefined;
      if (winner) return { run: winner, created: false };
      throw error;
    }
  }

  /**
   * A webhook's run: pulls exactly the objects or windows the vendor's notification named. Several may
   * be in flight for one connection (one-at-a-time holds for pulls and backfills only).
   *
   * @example await deps.sync.requestTargets(connection, [{ resource: 'sleep', objectId: 'a1b2' }]);
   */
  async requestTargets(connection: ConnectionRow, targets: PullTarget[]): Promise<SyncRunRow> {
    this.providerFor(connection.provider);
    return this.#createQueuedRun(connection, {
      source: 'webhook',
      mode: 'webhook',
      itemsTotal: targets.length,
      targets,
    });
  }

  /**
   * The run and its job commit together: a crash can leave neither or both, never a queued run that no
   * job will ever pick up (which would hold the connection's one active slot for good).
   */
  async #createQueuedRun(
    connection: ConnectionRow,
    input: {
      source: 'pull' | 'backfill' | 'webhook';
      mode: SyncMode | 'webhook';
      itemsTotal: number;
      windowFromMs?: number;
      windowToMs?: number;
      targets?: PullTarget[];
    },
  ): Promise<SyncRunRow> {
    const runId = newRunId(input.source, connection.provider);
    const jobId = randomUUID();
    const run = await this.db.transaction().execute(async (trx) => {
      const created = await createRun(trx, {
        id: runId,
        queueJobId: jobId,
        developerId: connection.developer_id,
        userId: connection.user_id,
        provider: connection.provider,
        connectionId: connection.id,
        ...input,
      });
      await this.queue.enqueue({ runId }, { db: trx, id: jobId });
      return created;
    });
    await this.runs.announce(run);
    this.queue.wake(SYNC_QUEUE);
    return run;
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
    if (connection === undefined || connection.status !== 'active') {
      await this.#fail(run, {
        code: 'CONNECTION_NOT_FOUND',
        message:
          connection === undefined
            ? 'The connection was removed'
            : `The connection is ${connection.status}; reconnect it first`,
      });
      return;
    }
    try {
      const module = this.modules(connection.provider);
      if (run.source === 'backfill' && module?.manifest.sync.strategy === 'push')
        await runBackfill(
          {
            db: this.db,
            runs: this.runs,
            logger: this.logger,
            http: lazyHttp(() => this.httpFor(module, connection)),
            handOver: (seconds) => this.#handOver(runId, seconds),
            jobBudgetMs: this.jobBudgetMs,
            ...this.backfillTiming,
          },
          module,
          run,
          connection,
        );
      else await this.#pull(run, connection);
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
        // The token store has already marked a refused refresh `reauth_required` (with its event).
        await this.#fail(run, { code: 'AUTH_ERROR', message: error.message });
        return;
      }
      if (error instanceof ProviderResponseError) {
        // Malformed JSON, an unexpected 4xx: retrying the same call cannot help.
        await this.#fail(run, { code: 'PLATFORM_ERROR', message: error.message });
        return;
      }
      if (isUserGone(error)) {
        // The user is being deleted (the write guard refused the batch): the deletion ends the run.
        await this.runs
          .finish(run.id, {
            stage: 'cancelled',
            status: 'cancelled',
            message: 'Cancelled: the user was deleted',
          })
          .catch(() => undefined);
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

  /**
   * The run's work items: the windows of a pull (each fetching every resource the window reaches), or
   * the targets a webhook named. Resumes after the last item saved.
   */
  async #pull(run: SyncRunRow, connection: ConnectionRow): Promise<void> {
    const module = this.providerFor(connection.provider);
    const items = this.#items(run, module);
    let current = run;
    if (current.stage === 'queued')
      current = await this.runs.transition(run.id, 'started', { message: 'Started' });
    const done = current.items_processed ?? 0;
    const startedAt = Date.now();
    const http = lazyHttp(() => this.httpFor(module, connection));
    const cursors = (connection.sync_cursors ?? {}) as Record<string, number>;
    let samples = 0;
    for (let index = done; index < items.length; index++) {
      if (index > done && Date.now() - startedAt > this.jobBudgetMs) {
        await this.#handOver(run.id);
        return;
      }
      const item = items[index] as (typeof items)[number];
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
          message: `Cancelled after ${index} of ${items.length} items; data saved so far is kept`,
          itemsProcessed: index,
        });
        return;
      }
      const context = (resource: string): PullContext => ({
        userId: run.user_id,
        providerUserId: connection.provider_user_id,
        settings: (connection.settings ?? {}) as Record<string, unknown>,
        windowIndex: index,
        attempt: run.attempts,
        cursorMs: cursors[resource],
        http,
      });
      await this.runs.transition(run.id, 'fetching', { message: `Fetching ${item.label}` });
      const payloads = await this.#fetchItem(module, item, context);
      await this.runs.transition(run.id, 'processing', { message: `Normalising ${item.label}` });
      const batches = payloads.map(({ resource, payload }) => ({
        resource,
        payload,
        batch: module.pull.map(resource, payload, {
          userId: run.user_id,
          providerUserId: connection.provider_user_id,
        }),
      }));
      await this.runs.transition(run.id, 'saving', { message: `Saving ${item.label}` });
      let inserted = 0;
      let workouts = 0;
      for (const { resource, payload, batch } of batches) {
        await archiveRawPayload(this.db, {
          userId: run.user_id,
          provider: run.provider,
          kind: `pull:${run.provider}:${resource}`,
          contentType: 'application/json',
          body: JSON.stringify(payload),
        });
        const counts = await writeCanonicalBatch(this.db, run.user_id, batch);
        inserted += counts.samples.inserted;
        workouts += counts.workouts.inserted + counts.workouts.updated;
      }
      samples += inserted;
      if (item.kind === 'target' && module.manifest.backfill !== undefined) {
        // Pushed or pinged data has landed: a backfill waiting for this list key over these times sees
        // its windows arrive (a routine push of today does not settle last month's window).
        const key = item.target.delivery?.key ?? item.target.details?.list_key ?? item.target.resource;
        await markDelivered(this.db, connection, module.manifest, key, dataSpan(batches.map((b) => b.batch)));
      }
      await this.runs.transition(
        run.id,
        'saving',
        { message: `Saved ${item.label}`, itemsProcessed: index + 1 },
        { window: item.label, samples_inserted: inserted, workouts },
      );
    }
    await this.runs.finish(run.id, {
      stage: 'completed',
      status: 'success',
      message: `Synced ${items.length} ${run.mode === 'webhook' ? 'targets' : 'windows'}`,
      itemsProcessed: items.length,
      result: { items: items.length, samples_inserted_this_attempt: samples },
    });
    if (run.mode !== 'webhook') await this.#advanceCursors(module, connection.id, run);
  }

  #items(run: SyncRunRow, module: ProviderModule): WorkItem[] {
    if (run.mode === 'webhook')
      return ((run.targets ?? []) as PullTarget[]).map((target) => ({
        kind: 'target',
        target,
        label: target.delivery
          ? `${target.resource} (${target.delivery.indexes.length} pushed)`
          : `${target.resource} ${target.objectId ?? (target.url === undefined ? '' : urlForLogs(target.url))}`.trim(),
      }));
    return pullWindows(
      run.window_from?.getTime() ?? 0,
      run.window_to?.getTime() ?? Date.now(),
      module.manifest.sync.window_days,
    ).map((window) => ({ kind: 'window', window, label: window.label }));
  }

  /** Every resource a window reaches (some are shallower than the vendor), or what a target names. */
  async #fetchItem(
    module: ProviderModule,
    item: WorkItem,
    context: (resource: string) => PullContext,
  ): Promise<{ resource: string; payload: unknown }[]> {
    if (item.kind === 'target') {
      const { target } = item;
      if (target.delivery !== undefined) {
        // Pushed data (Garmin): read back from the stored delivery, not fetched.
        const payload = await deliveredItems(this.db, target.delivery);
        if (payload === undefined)
          throw new ProviderResponseError(
            `The ${module.manifest.name} delivery holding ${target.resource} is no longer stored`,
          );
        return [{ resource: target.resource, payload }];
      }
      if (module.pull.fetchTarget !== undefined)
        return module.pull.fetchTarget(context(target.resource), target);
      if (target.fromMs === undefined || target.toMs === undefined)
        throw new ProviderResponseError(`${module.manifest.name} cannot pull a single ${target.resource}`);
      const window = { fromMs: target.fromMs, toMs: target.toMs, label: target.resource };
      return [
        {
          resource: target.resource,
          payload: await module.pull.fetch(context(target.resource), target.resource, window),
        },
      ];
    }
    const out: { resource: string; payload: unknown }[] = [];
    for (const resource of module.manifest.sync.resources) {
      const depth = resource.historical_days ?? module.manifest.sync.historical_days;
      if (item.window.toMs <= Date.now() - depth * DAY) continue;
      out.push({
        resource: resource.name,
        payload: await module.pull.fetch(context(resource.name), resource.name, item.window),
      });
    }
    return out;
  }

  /** After a completed pull every resource has been fetched up to the run's end. */
  async #advanceCursors(module: ProviderModule, connectionId: string, run: SyncRunRow): Promise<void> {
    const to = run.window_to?.getTime() ?? Date.now();
    const connection = await this.db
      .selectFrom('connections')
      .select('sync_cursors')
      .where('id', '=', connectionId)
      .executeTakeFirst();
    const cursors = { ...((connection?.sync_cursors ?? {}) as Record<string, number>) };
    for (const resource of module.manifest.sync.resources)
      cursors[resource.name] = Math.max(cursors[resource.name] ?? 0, to);
    await this.db
      .updateTable('connections')
      .set({ sync_cursors: JSON.stringify(cursors), last_synced_at: run.window_to, updated_at: new Date() })
      .where('id', '=', connectionId)
      .execute();
  }

  async #fail(run: SyncRunRow, error: SyncError): Promise<void> {
    await this.runs.finish(run.id, { stage: 'failed', status: 'failed', message: error.message, error });
  }
}
