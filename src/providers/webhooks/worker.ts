import type { Platform } from '../../platform.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { processInboundWebhook } from './process.ts';
import {
  APP_SUBSCRIPTIONS_INTERVAL_SECONDS,
  ensureAppSubscriptions,
  ensureMissingUserSubscriptions,
  scheduleAppSubscriptions,
} from './subscriptions.ts';

/** Provider-webhook jobs one process runs at once: each is a few queries and a queued run. */
export const PROVIDER_WEBHOOK_WORKER_CONCURRENCY = 4;

/**
 * The worker side of vendor webhooks (started by `startSyncWorker`): consumes the provider-webhook queue
 * (stored deliveries, and the app-subscription check) and queues that check now and then every
 * APP_SUBSCRIPTIONS_INTERVAL_SECONDS; the queue runs it once per slot whatever the number of workers.
 *
 * @example
 * await startProviderWebhookWorker(platform);
 */
export async function startProviderWebhookWorker(platform: Platform): Promise<void> {
  const { deps, logger, queue } = platform;
  await queue.workProviderWebhooks(PROVIDER_WEBHOOK_WORKER_CONCURRENCY, async (data, attempt) => {
    if ('inboundId' in data) {
      await processInboundWebhook(deps, data.inboundId, attempt);
      return;
    }
    const report = await ensureAppSubscriptions(deps);
    if (report.checked > 0) logger.info({ ...report }, 'vendor app subscriptions checked');
    const users = await ensureMissingUserSubscriptions(deps);
    if (users > 0) logger.info({ subscribed: users }, 'missing user subscriptions created');
  });
  const schedule = () =>
    scheduleAppSubscriptions(queue).catch((error: unknown) =>
      logger.error({ error: toStoredError(error) }, 'app subscription check not queued'),
    );
  await schedule();
  const timer = setInterval(() => {
    if (queue.stopped) clearInterval(timer);
    else void schedule();
  }, APP_SUBSCRIPTIONS_INTERVAL_SECONDS * 1000);
  timer.unref();
}
