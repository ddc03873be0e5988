import type { Db } from '../../db/database.ts';
import type { ConnectionRow, ProviderBackfillWindowRow, SyncRunRow } from '../../db/schema.ts';
import type { Logger } from '../../shared/logger.ts';
import type { SyncRunRecorder } from '../../sync/run-recorder.ts';
import { ProviderResponseError } from '../errors.ts';
import type { ProviderModule, PullTarget, VendorHttp } from '../types.ts';
import { planBackfill } from './planner.ts';
import {
  adoptWindows,
  closeRunWindows,
  expireStaleRequests,
  insertPlannedWindows,
  settleRequest,
  windowsOfRun,
  windowsOfUser,
} from './repo.ts';

/**
 * What a backfill run (the historical sync of a `strategy: 'push'` vendor) does in one job:
 * 1. on its first start: plan the missing windows per type (a retry run instead takes over its type's
 *    failed and timed-out windows), stored `pending` under the run;
 * 2. ask the vendor for each pending window (`module.backfill.request`): requested, duplicate (the
 *    vendor already sent it) or failed. A 429 propagates: the engine hands the run over like a pull's;
 * 3. wait: while windows are `requested` and the wait has not passed, the job hands the run to a new
 *    job `pollSeconds` later (no job sleeps). Deliveries mark windows received meanwhile (markDelivered);
 *    when the wait has passed, the rest become `timed_out`. The run ends completed (partial when any
 *    window failed or timed out), or cancelled at the next checkpoint after a cancel.
 */

export interface BackfillHost {
  db: Db;
  runs: SyncRunRecorder;
  logger: Logger;
  http: VendorHttp;
  /** Hands the run to a new job: at once (job budget spent) or after `startAfterSeconds` (waiting). */
  handOver(startAfterSeconds?: number): Promise<void>;
  jobBudgetMs: number;
  pollSeconds: number;
  /** Overrides the manifest's `wait_minutes` (BACKFILL_WAIT_MINUTES). */
  waitMinutes: number | undefined;
}

/** Targets of a retry run: the one type whose failed windows it asks again. */
export function retryTargets(type: string): PullTarget[] {
  return [{ resource: type, details: { backfill: 'retry' } }];
}

function retryTypeOf(run: SyncRunRow): string | undefined {
  const targets = (run.targets ?? []) as PullTarget[];
  const retry = targets.find((t) => t.details?.backfill === 'retry');
  return retry?.resource;
}

const COUNTED = [
  'pending',
  'requested',
  'received',
  'duplicate',
  'failed',
  'timed_out',
  'cancelled',
] as const;
export type TypeCounts = Record<(typeof COUNTED)[number], number>;

/** Per type: how many of the windows are in each status. */
export function countByType(windows: readonly ProviderBackfillWindowRow[]): Record<string, TypeCounts> {
  const out: Record<string, TypeCounts> = {};
  for (const w of windows) {
    if (out[w.type] === undefined) out[w.type] = Object.fromEntries(COUNTED.map((s) => [s, 0])) as TypeCounts;
    const counts = out[w.type] as TypeCounts;
    if (w.status in counts) counts[w.status as keyof TypeCounts] += 1;
  }
  return out;
}

const settled = (w: ProviderBackfillWindowRow) => w.status !== 'pending' && w.status !== 'requested';

export async function runBackfill(
  host: BackfillHost,
  module: ProviderModule,
  run: SyncRunRow,
  connection: ConnectionRow,
): Promise<void> {
  const { db, runs } = host;
  const config = module.manifest.backfill;
  const adapter = module.backfill;
  if (config === undefined || adapter === undefined)
    throw new ProviderResponseError(`${module.manifest.name} has no backfill`);
  const retryType = retryTypeOf(run);
  const progress = async (message: string, windows: ProviderBackfillWindowRow[]) =>
    runs.transition(
      run.id,
      'fetching',
      { message, itemsProcessed: windows.filter(settled).length, itemsTotal: windows.length },
      { backfill: countByType(windows) },
    );

  if (run.stage === 'queued') {
    await expireStaleRequests(db, connection.id, run.id);
    if (retryType !== undefined)
      await adoptWindows(db, connection.id, run.id, { type: retryType, statuses: ['failed', 'timed_out'] });
    else {
      // Windows an earlier run planned but never asked for (it failed or was stopped) are this run's.
      await adoptWindows(db, connection.id, run.id, { statuses: ['pending'] });
      const planned = planBackfill({
        nowMs: Date.now(),
        historicalDays: module.manifest.sync.historical_days,
        types: config.types,
        existing: (await windowsOfUser(db, connection)).map((w) => ({
          type: w.type,
          fromMs: w.window_start.getTime(),
          toMs: w.window_end.getTime(),
          status: w.status,
        })),
      });
      await insertPlannedWindows(db, connection, run.id, planned);
    }
    const total = (await windowsOfRun(db, run.id)).length;
    await runs.transition(run.id, 'started', {
      message: retryType ? `Retrying ${retryType}: ${total} windows` : `Backfill of ${total} windows`,
      itemsTotal: total,
    });
    await progress('Requesting windows', await windowsOfRun(db, run.id));
  }

  const pending = (await windowsOfRun(db, run.id)).filter((w) => w.status === 'pending');
  const startedAt = Date.now();
  for (const [index, window] of pending.entries()) {
    if (await cancelled(host, run.id)) return;
    if (index > 0 && Date.now() - startedAt > host.jobBudgetMs) {
      await host.handOver();
      return;
    }
    const range = { fromMs: window.window_start.getTime(), toMs: window.window_end.getTime() };
    let outcome: Awaited<ReturnType<typeof adapter.request>>;
    try {
      outcome = await adapter.request(
        { http: host.http, providerUserId: connection.provider_user_id },
        window.type,
        range,
      );
    } catch (error) {
      // An unexpected 4xx or a malformed answer fails this window, not the whole run.
      if (!(error instanceof ProviderResponseError)) throw error;
      outcome = { status: 'failed', reason: error.message };
    }
    await settleRequest(
      db,
      window.id,
      outcome.status,
      outcome.status === 'failed' ? outcome.reason : outcome.status === 'duplicate' ? 'already sent' : null,
    );
    const last = index === pending.length - 1;
    if (last || pending[index + 1]?.type !== window.type)
      await progress(`Requested ${window.type}`, await windowsOfRun(db, run.id));
  }

  if (await cancelled(host, run.id)) return;
  let windows = await windowsOfRun(db, run.id);
  const waiting = windows.filter((w) => w.status === 'requested');
  if (waiting.length > 0) {
    const lastAsked = Math.max(...waiting.map((w) => w.requested_at?.getTime() ?? 0));
    const waitMs = (host.waitMinutes ?? config.wait_minutes) * 60_000;
    if (Date.now() < lastAsked + waitMs) {
      const current = await db
        .selectFrom('sync_runs')
        .select(['items_processed', 'stage'])
        .where('id', '=', run.id)
        .executeTakeFirstOrThrow();
      // An event only when something arrived since the last one (a poll every few seconds is silent).
      if (current.items_processed !== windows.filter(settled).length || current.stage !== 'fetching')
        await progress(`Waiting for ${waiting.length} of ${windows.length} windows`, windows);
      await host.handOver(host.pollSeconds);
      return;
    }
    await closeRunWindows(db, run.id, ['requested'], 'timed_out', 'Nothing arrived within the wait');
    windows = await windowsOfRun(db, run.id);
  }
  const counts = countByType(windows);
  const sum = (status: keyof TypeCounts) => windows.filter((w) => w.status === status).length;
  const problems = sum('failed') + sum('timed_out');
  // Through `fetching` first: a job resumed right after `started` may not have got there.
  await progress('Every window settled', windows);
  await runs.transition(run.id, 'saving', { message: 'Summarising' });
  await runs.finish(
    run.id,
    {
      stage: 'completed',
      status: problems > 0 ? 'partial' : 'success',
      message: `Backfill: ${sum('received')} received, ${sum('duplicate')} already sent, ${sum('failed')} failed, ${sum('timed_out')} timed out of ${windows.length} windows`,
      itemsProcessed: windows.length,
      result: { windows: windows.length, types: counts },
    },
    { backfill: counts },
  );
}

/** A cancel asked for: the run's windows not yet received are `cancelled`, the run ends (data kept). */
async function cancelled(host: BackfillHost, runId: string): Promise<boolean> {
  const check = await host.db
    .selectFrom('sync_runs')
    .select(['cancel_requested_at', 'ended_at'])
    .where('id', '=', runId)
    .executeTakeFirstOrThrow();
  if (check.ended_at !== null) return true;
  if (check.cancel_requested_at === null) return false;
  await closeRunWindows(host.db, runId, ['pending', 'requested'], 'cancelled', 'Backfill cancelled');
  const windows = await windowsOfRun(host.db, runId);
  await host.runs.finish(
    runId,
    {
      stage: 'cancelled',
      status: 'cancelled',
      message: 'Backfill cancelled; data already received is kept',
      itemsProcessed: windows.filter(settled).length,
      result: { windows: windows.length, types: countByType(windows) },
    },
    { backfill: countByType(windows) },
  );
  return true;
}
