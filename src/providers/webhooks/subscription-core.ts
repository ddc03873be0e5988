import type { ProviderSubscriptionRow } from '../../db/schema.ts';
import { createVendorHttp } from '../http/vendor-client.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule, TokenSource } from '../types.ts';
import { adapterDetails, saveSubscription, touchSubscription } from './subscriptions.repo.ts';

/** The callback URL vendors are given: `${PUBLIC_URL}/api/v1/webhooks/<slug>`. */
export function webhookCallbackUrl(runtime: Pick<ProviderRuntime, 'config'>, slug: string): string {
  return `${runtime.config.publicUrl.replace(/\/+$/, '')}/api/v1/webhooks/${slug}`;
}

/** Calls the adapter and records its answer; true when it created or renewed something. */
export async function ensureSubscription(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  callbackUrl: string,
  existing: ProviderSubscriptionRow | undefined,
  owner: { developerId: string | null; connectionId: string | null; kind: 'app' | 'user' },
  tokens?: TokenSource,
): Promise<boolean> {
  const adapter = module.subscriptions as NonNullable<ProviderModule['subscriptions']>;
  const http = createVendorHttp(runtime, { module, app, ...(tokens === undefined ? {} : { tokens }) });
  const result = await adapter.ensure({
    http,
    app,
    callbackUrl,
    logger: runtime.logger,
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
