import type { Platform } from '../../platform.ts';
import { DATA_RIGHTS_QUEUE } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import {
  daysBefore,
  deleteHealthRowsBefore,
  deleteInboundWebhooksBefore,
  deleteRawPayloadsBefore,
  deleteSamplesBefore,
  deleteWebhookMessagesBefore,
  policiesWithLimits,
  userIdsOfDeveloper,
} from './retention.repo.ts';

/** What one pass removed, summed over every developer with a policy. */
export interface RetentionReport {
  developers: number;
  users: number;
  raw_payloads: number;
  inbound_webhooks: number;
  webhook_messages: number;
  samples_rolled_up: number;
  deleted: Record<string, number>;
}

/**
 * One pass of every developer's retention policy (issue 18). Per user, in this order:
 * `delete_after_days` removes every health row older than that (and the developer's outgoing webhook
 * messages, which carry data too); `raw_payload_days` removes the raw
 * payloads (and processed vendor webhook bodies) older than that; `sample_days` drops raw samples older
 * than that, whose hours stay in the hourly rollups. Every step deletes by a cutoff computed from `now`
 * in batches of DELETE_BATCH_ROWS: a step run twice removes nothing the second time, and a pass cut
 * short anywhere is finished by the next one.
 */
export async function runRetentionPass(platform: Platform): Promise<void> {
  await applyRetentionPolicies(platform, new Date());
}

/** The pass itself, as of `now`, with what it removed (runRetentionPass is the job's entry point). */
export async function applyRetentionPolicies(platform: Platform, now: Date): Promise<RetentionReport> {
  const { db } = platform.deps;
  const batch = platform.config.DELETE_BATCH_ROWS;
  const report: RetentionReport = {
    developers: 0,
    users: 0,
    raw_payloads: 0,
    inbound_webhooks: 0,
    webhook_messages: 0,
    samples_rolled_up: 0,
    deleted: {},
  };
  for (const policy of await policiesWithLimits(db)) {
    report.developers++;
    if (policy.raw_payload_days !== null) {
      report.inbound_webhooks += await deleteInboundWebhooksBefore(
        db,
        policy.developer_id,
        daysBefore(now, policy.raw_payload_days),
        batch,
      );
    }
    if (policy.delete_after_days !== null) {
      report.webhook_messages += await deleteWebhookMessagesBefore(
        db,
        policy.developer_id,
        daysBefore(now, policy.delete_after_days),
        batch,
      );
    }
    for (const userId of await userIdsOfDeveloper(db, policy.developer_id)) {
      report.users++;
      if (policy.delete_after_days !== null) {
        const deleted = await deleteHealthRowsBefore(
          db,
          userId,
          daysBefore(now, policy.delete_after_days),
          batch,
        );
        for (const [table, n] of Object.entries(deleted))
          report.deleted[table] = (report.deleted[table] ?? 0) + n;
      }
      if (policy.raw_payload_days !== null) {
        report.raw_payloads += await deleteRawPayloadsBefore(
          db,
          userId,
          daysBefore(now, policy.raw_payload_days),
          batch,
        );
      }
      if (policy.sample_days !== null) {
        report.samples_rolled_up += await deleteSamplesBefore(
          db,
          userId,
          daysBefore(now, policy.sample_days),
          batch,
        );
      }
    }
  }
  if (report.developers > 0) platform.logger.info({ ...report }, 'retention pass done');
  return report;
}

/**
 * Queues the retention pass once per RETENTION_INTERVAL_MINUTES across every process (a pg-boss
 * singleton slot: every worker asks, one job per slot is queued): at start, then on a timer that does
 * not keep the process alive and ends when the queue stops.
 *
 * @example
 * const schedule = scheduleRetention(platform); // by startDataRightsWorker
 * schedule.stop();
 */
export function scheduleRetention(platform: Platform): { stop(): void } {
  const { queue, logger, config } = platform;
  const seconds = config.RETENTION_INTERVAL_MINUTES * 60;
  const enqueue = async () => {
    try {
      const id = await queue.enqueueDataRights(
        { task: 'retention' },
        { singleton: { key: 'retention', seconds } },
      );
      if (id !== undefined) queue.wake(DATA_RIGHTS_QUEUE);
    } catch (error) {
      logger.error({ error: toStoredError(error) }, 'retention pass not queued');
    }
  };
  void enqueue();
  const timer = setInterval(() => {
    if (queue.stopped) clearInterval(timer);
    else void enqueue();
  }, seconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
