import type { ProviderSubscriptionRow } from '../../db/schema.ts';
import type { JobQueue } from '../../sync/job-queue.ts';
import { PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS, PROVIDER_WEBHOOK_QUEUE } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { candidateApps } from '../apps/provider-apps.repo.ts';
import { providerModules } from '../registry.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials } from '../types.ts';
import { ensureSubscription, webhookCallbackUrl } from './subscription-core.ts';
import { findAppSubscription } from './subscriptions.repo.ts';

export { webhookCallbackUrl } from './subscription-core.ts';
export {
  ensureMissingUserSubscriptions,
  ensureUserSubscription,
  removeUserSubscription,
} from './user-subscriptions.ts';

/**
 * Vendor subscriptions WearLink creates and keeps alive, so vendors keep sending webhooks:
 * - per app (`webhook.subscription: per_app_api`: Oura, Strava, Polar): one for every configured app,
 *   each developer's and the instance default, checked by a periodic job (`scheduleAppSubscriptions`);
 * - per user (`per_user_api`: Withings): made when a connection is created, dropped when it is
 *   disconnected, by the OAuth flow (user-subscriptions.ts); one that failed at connect is retried by
 *   the same periodic job.
 * Vendor-specific calls are the module's `subscriptions` adapter; this file decides when to call it and
 * records the outcome in `provider_subscriptions`. A signing secret the vendor hands out on creation
 * (Polar) comes back as `details.webhook_secret` and is stored sealed; inbound deliveries are then
 * verified with it too.
 */

/** How often the app subscriptions are checked (the keeper job runs at most once per such slot). */
export const APP_SUBSCRIPTIONS_INTERVAL_SECONDS = 3600;
/** A subscription without expiry is still re-checked with its vendor this often (it may have been deactivated). */
const RECHECK_AFTER_MS = 24 * 3_600_000;
const DAY_MS = 86_400_000;

export interface AppSubscriptionsReport {
  checked: number;
  /** Created or renewed (the adapter returned something to store). */
  changed: number;
  /** Vendor or adapter failures, logged; retried at the next round. */
  failed: number;
}

/** Whether a stored subscription must be shown to its adapter this round. */
function due(
  row: ProviderSubscriptionRow | undefined,
  callbackUrl: string,
  renewBeforeDays: number | undefined,
  nowMs: number,
): boolean {
  if (row === undefined || row.callback_url !== callbackUrl) return true;
  if (row.expires_at !== null && row.expires_at.getTime() - nowMs <= (renewBeforeDays ?? 0) * DAY_MS)
    return true;
  return nowMs - row.updated_at.getTime() >= RECHECK_AFTER_MS;
}

/**
 * For every vendor whose manifest says `per_app_api`, and every configured app of it, makes sure the
 * vendor subscription exists and will not lapse: created when missing (or when PUBLIC_URL moved),
 * renewed when it expires within `webhook.renew_before_days`, re-checked daily otherwise. Never throws
 * for a vendor's failure: it is logged and the next round tries again. Safe to run from several
 * processes, but `scheduleAppSubscriptions` runs it once per slot across all of them.
 *
 * @example
 * const { checked, changed, failed } = await ensureAppSubscriptions(platform.deps);
 */
export function ensureAppSubscriptions(
  runtime: ProviderRuntime,
  nowMs = Date.now(),
): Promise<AppSubscriptionsReport> {
  // One round at a time per process: a round started while another runs (the worker's first one and a
  // caller's, seen in CI) waits for it, and then finds what it stored instead of listing and creating
  // the same vendor subscription a second time.
  const previous = rounds.get(runtime) ?? Promise.resolve();
  const round = previous.then(() => ensureRound(runtime, nowMs));
  const settled = round.then(
    () => undefined,
    () => undefined,
  );
  rounds.set(runtime, settled);
  void settled.then(() => {
    if (rounds.get(runtime) === settled) rounds.delete(runtime);
  });
  return round;
}

const rounds = new WeakMap<ProviderRuntime, Promise<void>>();

async function ensureRound(runtime: ProviderRuntime, nowMs: number): Promise<AppSubscriptionsReport> {
  const report: AppSubscriptionsReport = { checked: 0, changed: 0, failed: 0 };
  for (const module of providerModules.values()) {
    const webhook = module.manifest.webhook;
    if (webhook?.subscription !== 'per_app_api' || module.subscriptions === undefined) continue;
    const slug = module.manifest.slug;
    const callbackUrl = webhookCallbackUrl(runtime, slug);
    let apps: ProviderAppCredentials[];
    try {
      apps = await candidateApps(runtime, slug);
    } catch (error) {
      runtime.logger.error({ provider: slug, error: toStoredError(error) }, 'provider apps unreadable');
      report.failed += 1;
      continue;
    }
    for (const app of apps) {
      const existing = await findAppSubscription(runtime.db, slug, app.developerId);
      if (!due(existing, callbackUrl, webhook.renew_before_days, nowMs)) continue;
      report.checked += 1;
      try {
        const changed = await ensureSubscription(runtime, module, app, callbackUrl, existing, {
          developerId: app.developerId,
          connectionId: null,
          kind: 'app',
        });
        if (changed) report.changed += 1;
      } catch (error) {
        report.failed += 1;
        runtime.logger.warn(
          {
            provider: slug,
            developer_id: app.developerId,
            client_id: app.clientId,
            error: toStoredError(error),
          },
          'vendor subscription not ensured; retried next round',
        );
      }
    }
  }
  return report;
}

/**
 * Queues the app-subscription check, at most once per APP_SUBSCRIPTIONS_INTERVAL_SECONDS slot across
 * every worker (a pg-boss singleton): workers call it at start and on a timer. Returns whether a job was
 * queued (false: this slot's job already exists).
 *
 * @example
 * await scheduleAppSubscriptions(platform.queue);
 */
export async function scheduleAppSubscriptions(queue: JobQueue): Promise<boolean> {
  const id = await queue.enqueueProviderWebhook(
    { task: 'app-subscriptions' },
    {
      singleton: { key: 'app-subscriptions', seconds: APP_SUBSCRIPTIONS_INTERVAL_SECONDS },
      expireInSeconds: PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS,
    },
  );
  return id !== undefined;
}

/**
 * Queues an app-subscription check now (a developer saved a vendor app: its subscription should not
 * wait for the next hourly slot). Saves within the same few seconds share one check.
 *
 * @example
 * await checkAppSubscriptionsSoon(c.var.deps.queue); // after PUT /developer/providers/oura
 */
export async function checkAppSubscriptionsSoon(queue: JobQueue): Promise<boolean> {
  const id = await queue.enqueueProviderWebhook(
    { task: 'app-subscriptions' },
    {
      singleton: { key: 'app-subscriptions-now', seconds: 10 },
      expireInSeconds: PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS,
    },
  );
  if (id !== undefined) queue.wake(PROVIDER_WEBHOOK_QUEUE);
  return id !== undefined;
}
