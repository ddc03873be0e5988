import type { ConnectionRow } from '../../db/schema.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { resolveProviderApp } from '../apps/provider-apps.repo.ts';
import { createVendorHttp } from '../http/vendor-client.ts';
import { connectionTokenSource } from '../oauth/token-store.ts';
import { providerModules } from '../registry.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule } from '../types.ts';
import { ensureSubscription, webhookCallbackUrl } from './subscription-core.ts';
import {
  connectionsWithoutSubscription,
  deleteSubscription,
  findUserSubscription,
} from './subscriptions.repo.ts';

/**
 * Per-user vendors (Withings): subscribes a new connection's user, with the user's token. Called by
 * the OAuth callback after the connection is stored. Does nothing for other vendors. A vendor failure
 * is logged and returns false: the connection still works by pulls, and the periodic job retries
 * (`ensureMissingUserSubscriptions`).
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
    await ensureSubscription(
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

/** Connections looked at per round by `ensureMissingUserSubscriptions`; the rest wait for the next. */
const MISSING_USER_SUBSCRIPTIONS_BATCH = 100;

/**
 * Per-user vendors: subscribes active connections that have no subscription yet (the vendor failed when
 * they connected), a bounded batch per round of the periodic job. Returns how many were subscribed.
 *
 * @example
 * await ensureMissingUserSubscriptions(platform.deps); // 2
 */
export async function ensureMissingUserSubscriptions(runtime: ProviderRuntime): Promise<number> {
  let subscribed = 0;
  for (const module of providerModules.values()) {
    if (module.manifest.webhook?.subscription !== 'per_user_api' || module.subscriptions === undefined)
      continue;
    const slug = module.manifest.slug;
    const connections = await connectionsWithoutSubscription(
      runtime.db,
      slug,
      MISSING_USER_SUBSCRIPTIONS_BATCH,
    );
    for (const connection of connections) {
      const app = await resolveProviderApp(runtime, connection.developer_id, slug).catch((error: unknown) => {
        runtime.logger.warn(
          { provider: slug, connection_id: connection.id, error: toStoredError(error) },
          'provider app unreadable',
        );
        return undefined;
      });
      if (app !== undefined && (await ensureUserSubscription(runtime, module, app, connection)))
        subscribed += 1;
    }
  }
  return subscribed;
}
