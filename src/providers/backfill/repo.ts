import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { ConnectionRow, ProviderBackfillWindowRow } from '../../db/schema.ts';
import type { CanonicalBatch } from '../../health-data/canonical.ts';
import type { ProviderManifest } from '../manifest.ts';
import { type PlannedWindow, UNCOVERING_STATUSES } from './planner.ts';

/** The SQL of vendor backfill windows (table `provider_backfill_windows`); decisions live elsewhere. */

export type BackfillWindowStatus =
  | 'pending'
  | 'requested'
  | 'received'
  | 'duplicate'
  | 'failed'
  | 'timed_out'
  | 'cancelled';

/** Every stored window of a connection's user at its vendor (what the planner subtracts). */
export function windowsOfUser(
  db: Db,
  connection: Pick<ConnectionRow, 'user_id' | 'provider'>,
): Promise<ProviderBackfillWindowRow[]> {
  return db
    .selectFrom('provider_backfill_windows')
    .selectAll()
    .where('user_id', '=', connection.user_id)
    .where('provider', '=', connection.provider)
    .orderBy('type')
    .orderBy('window_start')
    .execute();
}

/**
 * Stores planned windows as `pending` for `runId`. A window whose exact bounds are already stored is
 * taken over only when it covers nothing any more (failed, timed out, cancelled): a window that was
 * asked for, or arrived, is never asked again.
 */
export async function insertPlannedWindows(
  db: Db,
  connection: ConnectionRow,
  runId: string,
  planned: readonly PlannedWindow[],
): Promise<void> {
  if (planned.length === 0) return;
  await db
    .insertInto('provider_backfill_windows')
    .values(
      planned.map((w) => ({
        id: randomUUID(),
        developer_id: connection.developer_id,
        user_id: connection.user_id,
        connection_id: connection.id,
        provider: connection.provider,
        type: w.type,
        window_start: new Date(w.fromMs),
        window_end: new Date(w.toMs),
        status: 'pending',
        run_id: runId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'provider', 'type', 'window_start', 'window_end'])
        .doUpdateSet({
          status: 'pending',
          run_id: runId,
          detail: null,
          connection_id: connection.id,
          developer_id: connection.developer_id,
        })
        .where('provider_backfill_windows.status', 'in', [...UNCOVERING_STATUSES]),
    )
    .execute();
}

/**
 * Hands windows to `runId` as `pending`: a retry's failed/timed-out windows of one type, or windows a
 * run left pending when it ended early (they were never asked for).
 */
export async function adoptWindows(
  db: Db,
  connectionId: string,
  runId: string,
  where: { type?: string; statuses: readonly BackfillWindowStatus[] },
): Promise<number> {
  let query = db
    .updateTable('provider_backfill_windows')
    .set({ status: 'pending', run_id: runId, detail: null })
    .where('connection_id', '=', connectionId)
    .where('status', 'in', [...where.statuses])
    .where((eb) => eb.or([eb('run_id', 'is', null), eb('run_id', '!=', runId)]));
  if (where.type !== undefined) query = query.where('type', '=', where.type);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Windows still `requested` under a run that has ended without settling them (it failed: the
 * connection was revoked, the vendor refused the token): `timed_out`, so a later run plans them again.
 * Only one backfill run of a connection is active at a time, so any other run's are stale.
 */
export async function expireStaleRequests(db: Db, connectionId: string, runId: string): Promise<number> {
  const result = await db
    .updateTable('provider_backfill_windows')
    .set({ status: 'timed_out', detail: 'Its run ended before the data arrived' })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'requested')
    .where((eb) => eb.or([eb('run_id', 'is', null), eb('run_id', '!=', runId)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many of a connection's windows of `type` are in one of `statuses`. */
export async function countWindows(
  db: Db,
  connectionId: string,
  type: string,
  statuses: readonly BackfillWindowStatus[],
): Promise<number> {
  const row = await db
    .selectFrom('provider_backfill_windows')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('connection_id', '=', connectionId)
    .where('type', '=', type)
    .where('status', 'in', [...statuses])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function windowsOfRun(db: Db, runId: string): Promise<ProviderBackfillWindowRow[]> {
  return db
    .selectFrom('provider_backfill_windows')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('type')
    .orderBy('window_start')
    .execute();
}

/** The outcome of one request; only a window still `pending` changes (a cancel may have come first). */
export async function settleRequest(
  db: Db,
  id: string,
  status: 'requested' | 'duplicate' | 'failed',
  detail: string | null,
): Promise<void> {
  await db
    .updateTable('provider_backfill_windows')
    .set((eb) => ({
      status,
      detail,
      requested_at: new Date(),
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** Moves a run's windows in `from` to `to` (timed out, cancelled). */
export async function closeRunWindows(
  db: Db,
  runId: string,
  from: readonly BackfillWindowStatus[],
  to: 'timed_out' | 'cancelled',
  detail: string,
): Promise<number> {
  const result = await db
    .updateTable('provider_backfill_windows')
    .set({ status: to, detail })
    .where('run_id', '=', runId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * A delivery of the webhook list `listKey` arrived for this connection (a push's items, or a ping's
 * callback fetched: the engine passes the ping target's `details.list_key`, else its resource name): the requested windows of every
 * type the manifest delivers under that key, asked before now, count as received.
 *
 * @example
 * await markDelivered(db, connection, garmin.manifest, 'pulseox'); // pulseOx windows → received
 */
export async function markDelivered(
  db: Db,
  connection: Pick<ConnectionRow, 'id'>,
  manifest: ProviderManifest,
  listKey: string,
  span?: { fromMs: number; toMs: number },
): Promise<number> {
  const types = (manifest.backfill?.types ?? [])
    .filter((t) => t.delivered_as.includes(listKey))
    .map((t) => t.name);
  if (types.length === 0) return 0;
  let update = db
    .updateTable('provider_backfill_windows')
    .set({ status: 'received', received_at: new Date() })
    .where('connection_id', '=', connection.id)
    .where('type', 'in', types)
    .where('status', '=', 'requested')
    .where('requested_at', '<=', new Date());
  // Data whose times are known settles only the windows it falls in; data that mapped to nothing
  // (Move IQ, a partial epoch) still says the type's delivery came.
  if (span !== undefined)
    update = update
      .where('window_start', '<=', new Date(span.toMs))
      .where('window_end', '>=', new Date(span.fromMs));
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The time span of what a delivery mapped to (samples, workouts, sleep, score days), or undefined when nothing. */
export function dataSpan(batches: readonly CanonicalBatch[]): { fromMs: number; toMs: number } | undefined {
  let fromMs = Number.POSITIVE_INFINITY;
  let toMs = Number.NEGATIVE_INFINITY;
  const add = (start: number, end: number) => {
    if (!Number.isFinite(start) || !Number.isFinite(end)) return;
    fromMs = Math.min(fromMs, start);
    toMs = Math.max(toMs, end);
  };
  for (const batch of batches) {
    for (const s of batch.samples) add(s.startMs, s.startMs + s.durationMs);
    for (const w of batch.workouts) add(w.startMs, w.endMs);
    for (const i of batch.sleep) add(i.startMs, i.endMs);
    for (const score of batch.scores) {
      const day = Date.parse(`${score.date}T00:00:00Z`);
      add(day, day + 86_400_000);
    }
  }
  return fromMs <= toMs ? { fromMs, toMs } : undefined;
}

/** Every window of a connection (the status route aggregates them: a few per type and run). */
export function windowsOfConnection(db: Db, connectionId: string): Promise<ProviderBackfillWindowRow[]> {
  return db
    .selectFrom('provider_backfill_windows')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('type')
    .orderBy('window_start')
    .execute();
}
