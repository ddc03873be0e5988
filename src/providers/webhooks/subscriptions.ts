import type { ConnectionRow, ProviderSubscriptionRow } from '../../db/schema.ts';
import type { JobQueue } from '../../sync/job-queue.ts';
import { PROVIDER_SUBSCRIPTIONS_JOB_EXPIRE_SECONDS } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { candidateApps } from '../apps/provider-apps.repo.ts';
import { createVendorHttp } from '../http/vendor-client.ts';
import { connectionTokenSource } from '../oauth/token-store.ts';
import { providerModules } from '../registry.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule } from '../types.ts';
import {
  adapterDetails,
  deleteSubscription,
  findAppSubscription,
  findUserSubscription,
  saveSubscription,
  touchSubscription,
} from './subscriptions.repo.ts';

/**
 * Vendor subscriptions WearLink creates and keeps alive, so vendors keep sending webhooks:
 * - per app (`webhook.subscription: per_app_api`: Oura, Strava, Polar): one for every configured app,
 *   each developer's and the instance default, checked by a periodic job (`scheduleAppSubscriptions`);
 * - per user (`per_user_api`: Withings): made when a connection is created, dropped when it is
 *   disconnected, by the OAuth flow.
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

/** The callback URL vendors are given: `${PUBLIC_URL}/api/v1/webhooks/<slug>`. */
export function webhookCallbackUrl(runtime: Pick<ProviderRuntime, 'config'>, slug: string): string {
  return `${runtime.config.publicUrl.replace(/\/+$/, '')}/api/v1/webhooks/${slug}`;
}

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
export async function ensureAppSubscriptions(
  runtime: ProviderRuntime,
  nowMs = Date.now(),
): Promise<AppSubscriptionsReport> {
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
        const changed = await ensureOne(runtime, module, app, callbackUrl, existing, {
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

/** Calls the adapter and records its answer; true when it created or renewed something. */
async function ensureOne(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  callbackUrl: string,
  existing: ProviderSubscriptionRow | undefined,
  owner: { developerId: string | null; connectionId: string | null; kind: 'app' | 'user' },
  tokens?: Parameters<typeof createVendorHttp>[1]['tokens'],
): Promise<boolean> {
  const adapter = module.subscriptions as NonNullable<ProviderModule['subscriptions']>;
  const http = createVendorHttp(runtime, { module, app, ...(tokens === undefined ? {} : { tokens }) });
  const result = await adapter.ensure({
    http,
    app,
    callbackUrl,
    existing:
      existing === undefined
        ? undefined
        : {
            vendorSubscriptionId: existing.vendor_subscription_id,
            expiresAt: existing.expires_at,
            details: adapterDetails(runtime, existing),
          },
  });
  if (result === undefined) {
    if (existing !== undefined) await touchSubscription(runtime.db, existing.id);
    return false;
  }
  await saveSubscription(runtime, existing, {
    provider: module.manifest.slug,
    ...owner,
    vendorSubscriptionId: result.vendorSubscriptionId,
    callbackUrl,
    expiresAt: result.expiresAt,
    details: result.details ?? {},
  });
  runtime.logger.info(
    {
      provider: module.manifest.slug,
      developer_id: owner.developerId,
      connection_id: owner.connectionId,
      vendor_subscription_id: result.vendorSubscriptionId,
      expires_at: result.expiresAt,
    },
    existing === undefined ? 'vendor subscription created' : 'vendor subscription renewed',
  );
  return true;
}

/**
 * Per-user vendors (Withings): subscribes a new connection's user, with the user's token. Called by
 * the OAuth callback after the connection is stored. Does nothing for other vendors. A vendor failure
 * is logged and returns false: the connection still works by pulls, and the next connect retries.
 *
 * @example
 * await ensureUserSubscription(runtime, withingsProvider, app, connection); // true: subscribed
 */
export async function ensureUserSubscription(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  connection: ConnectionRow,
): Promise<boolean> {
  if (module.manifest.webhook?.subscription !== 'per_user_api' || module.subscriptions === undefined)
    return false;
  const slug = module.manifest.slug;
  try {
    const existing = await findUserSubscription(runtime.db, slug, connection.id);
    await ensureOne(
      runtime,
      module,
      app,
      webhookCallbackUrl(runtime, slug),
      existing,
      { developerId: connection.developer_id, connectionId: connection.id, kind: 'user' },
      connectionTokenSource(runtime, module, app, connection.id),
    );
    return true;
  } catch (error) {
    runtime.logger.warn(
      { provider: slug, connection_id: connection.id, error: toStoredError(error) },
      'user subscription not created; the connection syncs by pulls only',
    );
    return false;
  }
}

/**
 * Per-user vendors: drops a connection's subscription at the vendor (call while its tokens are still
 * stored, before they are dropped) and its row. A vendor failure is logged and the row removed anyway:
 * the connection is going, and deliveries for it are answered and ignored.
 *
 * @example
 * await removeUserSubscription(runtime, withingsProvider, app, connection);
 */
export async function removeUserSubscription(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  connection: ConnectionRow,
): Promise<void> {
  if (module.manifest.webhook?.subscription !== 'per_user_api') return;
  const slug = module.manifest.slug;
  const existing = await findUserSubscription(runtime.db, slug, connection.id);
  if (existing === undefined) return;
  if (module.subscriptions?.remove !== undefined) {
    try {
      const http = createVendorHttp(runtime, {
        module,
        app,
        tokens: connectionTokenSource(runtime, module, app, connection.id),
      });
      await module.subscriptions.remove({
        http,
        app,
        callbackUrl: existing.callback_url,
        vendorSubscriptionId: existing.vendor_subscription_id,
      });
    } catch (error) {
      runtime.logger.warn(
        { provider: slug, connection_id: connection.id, error: toStoredError(error) },
        'user subscription not removed at the vendor',
      );
    }
  }
  await deleteSubscription(runtime.db, existing.id);
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
