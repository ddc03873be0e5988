import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SyncRunRow } from '../db/schema.ts';
import { enqueueWebhookEvents } from '../webhooks/outbox.ts';
import {
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
