import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SyncRunRow } from '../db/schema.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import {
  canTransition,
  predecessorsOf,
  type SyncSource,
  type SyncStage,
  type SyncStatus,
  type TerminalStage,
} from './run-state.ts';
import { storableJson, storableRunError, storableText } from './stored-error.ts';

export class InvalidTransitionError extends Error {
  override name = 'InvalidTransitionError';
}

/** `sdk_apple_m1x2k3_ab12cd`: source, provider, time and entropy; stable for the run's lifetime. */
export function newRunId(source: SyncSource, provider: string): string {
  return `${source}_${provider}_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}

export async function createRun(
  db: Db,
  run: {
    id: string;
    /** The id of the queue job created in the same transaction (pg-boss takes the id it is given). */
    queueJobId?: string;
    developerId: string;
    userId: string;
    provider: string;
    source: SyncSource;
    itemsTotal?: number | undefined;
    rawPayloadId?: number | undefined;
    message?: string;
    connectionId?: string;
    mode?: string;
    windowFromMs?: number;
    windowToMs?: number;
    /** A webhook run's pull targets. */
    targets?: unknown;
  },
): Promise<SyncRunRow> {
  return db
    .insertInto('sync_runs')
    .values({
      id: run.id,
      developer_id: run.developerId,
      user_id: run.userId,
      provider: run.provider,
      source: run.source,
      stage: 'queued',
      status: 'in_progress',
      message: storableText(run.message ?? 'Queued'),
      items_total: run.itemsTotal ?? null,
      items_processed: 0,
      raw_payload_id: run.rawPayloadId ?? null,
      queue_job_id: run.queueJobId ?? null,
      connection_id: run.connectionId ?? null,
      mode: run.mode ?? null,
      window_from: run.windowFromMs === undefined ? null : new Date(run.windowFromMs),
      window_to: run.windowToMs === undefined ? null : new Date(run.windowToMs),
      targets: run.targets === undefined ? null : JSON.stringify(run.targets),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface RunProgress {
  message?: string;
  itemsProcessed?: number;
  itemsTotal?: number;
}

/**
 * Moves a run to `stage`, atomically refusing transitions the state machine does not allow (including
 * anything after a terminal stage, e.g. progress from a worker after a cancel).
 */
export async function transitionRun(
  db: Db,
  runId: string,
  stage: Exclude<SyncStage, TerminalStage>,
  progress: RunProgress = {},
): Promise<SyncRunRow> {
  // Only the start is a webhook event; other progress steps stay single statements.
  if (stage === 'started' && !db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      const row = await transitionRun(trx, runId, stage, progress);
      await enqueueWebhookEvents(trx, [runEvent('sync.started', row)]);
      return row;
    });
  }
  const now = new Date();
  const row = await db
    .updateTable('sync_runs')
    .set({
      stage,
      updated_at: now,
      ...(stage === 'started' ? { started_at: now } : {}),
      ...(progress.message !== undefined ? { message: storableText(progress.message) } : {}),
      ...(progress.itemsProcessed !== undefined ? { items_processed: progress.itemsProcessed } : {}),
      ...(progress.itemsTotal !== undefined ? { items_total: progress.itemsTotal } : {}),
    })
    .where('id', '=', runId)
    .where('stage', 'in', predecessorsOf(stage))
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new InvalidTransitionError(`run ${runId} cannot move to ${stage}`);
  return row;
}

/** One step of `advanceRun`: a stage and the progress reported with it. */
export interface RunStep {
  stage: Exclude<SyncStage, TerminalStage>;
  progress?: RunProgress;
}

/**
 * Moves a run through `steps` (each allowed after the one before by the state machine) with one
 * conditional UPDATE to the last step, refused unless the run may enter the first step; a `started`
 * step's `sync.started` webhook event is written in the same transaction, as `transitionRun` writes
 * it. Returns the run as of each step (the stored row with each step's stage and the progress reported
 * up to it, over `before`, the run as the caller last read it), one sync event each: clients get every
 * step's event as before, the database one statement instead of one per step (an SDK batch went
 * queued → started → processing → saving in 6 round trips and 3 commits; now 4 and 1).
 */
export async function advanceRun(
  db: Db,
  before: SyncRunRow,
  steps: readonly RunStep[],
): Promise<SyncRunRow[]> {
  const first = steps[0];
  const last = steps.at(-1);
  if (first === undefined || last === undefined) return [];
  for (let i = 1; i < steps.length; i++) {
    const from = (steps[i - 1] as RunStep).stage;
    const to = (steps[i] as RunStep).stage;
    if (!canTransition(from, to)) throw new Error(`a run cannot step from ${from} to ${to}`);
  }
  const startsAt = steps.findIndex((step) => step.stage === 'started');
  if (startsAt >= 0 && !db.isTransaction) {
    return db.transaction().execute((trx) => advanceRun(trx, before, steps));
  }
  const reported: RunProgress = Object.assign({}, ...steps.map((step) => step.progress ?? {}));
  const now = new Date();
  const row = await db
    .updateTable('sync_runs')
    .set({
      stage: last.stage,
      updated_at: now,
      ...(startsAt >= 0 ? { started_at: now } : {}),
      ...(reported.message !== undefined ? { message: storableText(reported.message) } : {}),
      ...(reported.itemsProcessed !== undefined ? { items_processed: reported.itemsProcessed } : {}),
      ...(reported.itemsTotal !== undefined ? { items_total: reported.itemsTotal } : {}),
    })
    .where('id', '=', before.id)
    .where('stage', 'in', predecessorsOf(first.stage))
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new InvalidTransitionError(`run ${before.id} cannot move to ${first.stage}`);
  let { message, items_processed, items_total } = before;
  const rows = steps.map((step) => {
    const p = step.progress ?? {};
    if (p.message !== undefined) message = storableText(p.message);
    if (p.itemsProcessed !== undefined) items_processed = p.itemsProcessed;
    if (p.itemsTotal !== undefined) items_total = p.itemsTotal;
    return { ...row, stage: step.stage, message, items_processed, items_total };
  });
  if (startsAt >= 0) await enqueueWebhookEvents(db, [runEvent('sync.started', rows[startsAt] as SyncRunRow)]);
  return rows;
}

export async function finishRun(
  db: Db,
  runId: string,
  end: {
    stage: TerminalStage;
    status: Exclude<SyncStatus, 'in_progress'>;
    message: string;
    result?: unknown;
    error?: unknown;
    itemsProcessed?: number;
  },
): Promise<SyncRunRow> {
  if (!db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      const row = await finishRun(trx, runId, end);
      await enqueueWebhookEvents(trx, [runEvent(`sync.${end.stage}`, row)]);
      return row;
    });
  }
  const now = new Date();
  const row = await db
    .updateTable('sync_runs')
    .set({
      stage: end.stage,
      status: end.status,
      // Messages, results and errors can quote user data and driver errors: stored only in a form that
      // text/jsonb accept (see stored-error.ts), so recording a failure cannot itself fail.
      message: storableText(end.message),
      result: end.result === undefined ? null : JSON.stringify(storableJson(end.result)),
      error: end.error === undefined ? null : JSON.stringify(storableRunError(end.error)),
      ended_at: now,
      updated_at: now,
      ...(end.itemsProcessed !== undefined ? { items_processed: end.itemsProcessed } : {}),
    })
    .where('id', '=', runId)
    .where('stage', 'in', predecessorsOf(end.stage))
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new InvalidTransitionError(`run ${runId} cannot end as ${end.stage}`);
  return row;
}

/** `sync.*` event data: the run as the sync-run API shows it. */
function runEvent(
  type: string,
  row: SyncRunRow,
): { type: string; userId: string; data: Record<string, unknown> } {
  return {
    type,
    userId: row.user_id,
    data: {
      run_id: row.id,
      user_id: row.user_id,
      provider: row.provider,
      source: row.source,
      stage: row.stage,
      status: row.status,
      message: row.message,
      items_processed: row.items_processed,
      items_total: row.items_total,
      error: row.error ?? null,
      started_at: row.started_at?.toISOString() ?? null,
      ended_at: row.ended_at?.toISOString() ?? null,
    },
  };
}

export function findRun(
  db: Db,
  developerId: string,
  userId: string,
  runId: string,
): Promise<SyncRunRow | undefined> {
  return db
    .selectFrom('sync_runs')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('user_id', '=', userId)
    .where('id', '=', runId)
    .executeTakeFirst();
}

export interface TenantRunFilter {
  developerId: string;
  status?: SyncStatus | undefined;
  provider?: string | undefined;
  userId?: string | undefined;
}

/** Where a page ends: the last row's created_at with microseconds (a Date would drop them) and its id. */
export interface TenantRunPosition {
  createdAt: string;
  id: string;
}

/**
 * The tenant's runs, all users, newest first (created_at, then id, so rows created in the same
 * microsecond still page without gaps or repeats). Each row carries its position (`position_at`) for
 * the next page's cursor.
 */
export function listTenantRuns(
  db: Db,
  filter: TenantRunFilter,
  page: { limit: number; before?: TenantRunPosition | undefined },
): Promise<(SyncRunRow & { position_at: string })[]> {
  let query = db
    .selectFrom('sync_runs')
    .selectAll()
    .select(
      sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position_at'),
    )
    .where('developer_id', '=', filter.developerId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.provider !== undefined) query = query.where('provider', '=', filter.provider);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  const before = page.before;
  if (before !== undefined) {
    query = query.where(sql<boolean>`(created_at, id) < (${before.createdAt}::timestamptz, ${before.id})`);
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}
