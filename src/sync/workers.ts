import parser from 'cron-parser';
import type { ConnectionRow } from '../db/schema.ts';
import type { Platform } from '../platform.ts';

/** Runs sync jobs in this process: `serve` does by default, `wearlink worker` does nothing else. */
export async function startSyncWorker(platform: Platform): Promise<void> {
  const { config, deps } = platform;
  await platform.queue.work(config.SYNC_WORKER_CONCURRENCY, ({ runId }, retry) =>
    deps.sync.runJob(runId, retry),
  );
  // Apple Health XML imports: one at a time per worker process (each keeps a core busy).
  await platform.queue.workImports(1, (job, retry) => deps.appleImports.runJob(job, retry));
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
export function startScheduler(platform: Platform): { stop(): void; tick(): Promise<number> } {
  const { config, deps, logger } = platform;
  const tick = async (): Promise<number> => {
    const now = new Date();
    const due = await deps.db
      .selectFrom('connections')
      .selectAll()
      .where('status', '=', 'active')
      .where('schedule_enabled', '=', true)
      .where('next_sync_at', '<=', now)
      .limit(500)
      .execute();
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
