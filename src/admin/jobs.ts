import type { AppDeps } from '../http/context.ts';
import { sweepExpiredMealImages } from '../nutrition/image-retention.ts';
import { nutritionBlobStore } from '../nutrition/nutrition.routes.ts';
import {
  APP_SUBSCRIPTIONS_INTERVAL_SECONDS,
  checkAppSubscriptionsSoon,
} from '../providers/webhooks/subscriptions.ts';
import { DATA_RIGHTS_QUEUE, PROVIDER_WEBHOOK_QUEUE } from '../sync/job-queue.ts';
import { reapOrphanedRuns, startScheduler } from '../sync/workers.ts';
import { lastCompleted } from './system.repo.ts';

/**
 * The instance's scheduled jobs, as data: what runs on its own, how often, and how to run it now. Each
 * entry mirrors where the schedule is started (src/sync/workers.ts startScheduler and startSyncWorker's
 * reaper, src/data-rights/retention/job.ts, src/nutrition/image-retention.ts,
 * src/providers/webhooks/worker.ts): a new periodic job gets an entry here.
 */
export interface ScheduledJob {
  name: string;
  description: string;
  /** How often it runs, for people. */
  schedule: string;
  interval_seconds: number;
  /** False when the configuration turns it off (it then cannot be run either). */
  enabled: boolean;
  /** Where it runs: in-process timers, or as a job on this pg-boss queue. */
  runs_on: string;
  /** When it last completed, where that is recorded (queued jobs, while pg-boss keeps them); else null. */
  lastRunAt(deps: AppDeps): Promise<Date | null>;
  /** Runs it now (or queues it at once); returns what it did, for the response and the audit row. */
  run(deps: AppDeps): Promise<Record<string, unknown>>;
}

const unknownLastRun = async () => null;

export function scheduledJobs(config: AppDeps['config']): ScheduledJob[] {
  const retentionDays = config.NUTRITION_IMAGE_RETENTION_DAYS;
  return [
    {
      name: 'sync-scheduler',
      description: 'Starts an incremental sync of every active, scheduled connection that is due',
      schedule: `every ${config.SCHEDULER_TICK_SECONDS} s`,
      interval_seconds: config.SCHEDULER_TICK_SECONDS,
      enabled: true,
      runs_on: 'scheduler process (wearlink serve / wearlink scheduler)',
      lastRunAt: unknownLastRun,
      async run(deps) {
        const scheduler = startScheduler({ config: deps.config, deps, logger: deps.logger });
        scheduler.stop(); // only its tick is wanted, once, not its timer
        return { syncs_started: await scheduler.tick() };
      },
    },
    {
      name: 'orphaned-runs-reaper',
      description: 'Queues again (or fails) sync runs whose job was lost, e.g. by a crashed worker',
      schedule: `every ${config.SYNC_MAINTENANCE_SECONDS} s`,
      interval_seconds: config.SYNC_MAINTENANCE_SECONDS,
      enabled: true,
      runs_on: 'every worker process',
      lastRunAt: unknownLastRun,
      async run(deps) {
        const { requeued, failed } = await reapOrphanedRuns({ deps, queue: deps.queue, logger: deps.logger });
        return { requeued: requeued.length, failed: failed.length };
      },
    },
    {
      name: 'data-retention',
      description: "Deletes data older than each developer's retention policy",
      schedule: `every ${config.RETENTION_INTERVAL_MINUTES} min`,
      interval_seconds: config.RETENTION_INTERVAL_MINUTES * 60,
      enabled: true,
      runs_on: `queue ${DATA_RIGHTS_QUEUE}`,
      lastRunAt: (deps) => lastCompleted(deps.db, deps.queue.schema, DATA_RIGHTS_QUEUE, 'retention'),
      async run(deps) {
        // No singleton slot: the scheduled pass keeps its own; this one runs now.
        const jobId = await deps.queue.enqueueDataRights({ task: 'retention' });
        if (jobId !== undefined) deps.queue.wake(DATA_RIGHTS_QUEUE);
        return { queued: jobId !== undefined, job_id: jobId ?? null };
      },
    },
    {
      name: 'meal-photo-retention',
      description: 'Deletes meal photos older than NUTRITION_IMAGE_RETENTION_DAYS (their logs stay)',
      schedule:
        retentionDays === undefined
          ? 'off (NUTRITION_IMAGE_RETENTION_DAYS is not set)'
          : `every ${config.RETENTION_INTERVAL_MINUTES} min`,
      interval_seconds: config.RETENTION_INTERVAL_MINUTES * 60,
      enabled: retentionDays !== undefined,
      runs_on: 'every nutrition worker',
      lastRunAt: unknownLastRun,
      async run(deps) {
        if (retentionDays === undefined) return { swept: 0 };
        const swept = await sweepExpiredMealImages(deps.db, nutritionBlobStore(deps.config), retentionDays);
        return { swept };
      },
    },
    {
      name: 'provider-app-subscriptions',
      description: "Checks every vendor app's webhook subscriptions and creates missing per-user ones",
      schedule: `every ${APP_SUBSCRIPTIONS_INTERVAL_SECONDS / 60} min`,
      interval_seconds: APP_SUBSCRIPTIONS_INTERVAL_SECONDS,
      enabled: true,
      runs_on: `queue ${PROVIDER_WEBHOOK_QUEUE}`,
      lastRunAt: (deps) =>
        lastCompleted(deps.db, deps.queue.schema, PROVIDER_WEBHOOK_QUEUE, 'app-subscriptions'),
      async run(deps) {
        return { queued: await checkAppSubscriptionsSoon(deps.queue) };
      },
    },
  ];
}
