import type { ConnectionRow } from '../db/schema.ts';
import { resolveProviderApp } from './apps/provider-apps.repo.ts';
import { ProviderAuthError } from './errors.ts';
import { createVendorHttp } from './http/vendor-client.ts';
import { connectionTokenSource } from './oauth/token-store.ts';
import type { ProviderRuntime } from './runtime.ts';
import type { ProviderModule, VendorHttp } from './types.ts';

/**
 * The vendor client for one connection: its developer's app (or the instance default) and the
 * connection's tokens, refreshed single-flight. An app that is no longer configured fails the run
 * with the reason instead of calling the vendor with nothing.
 *
 * @example const http = await connectionHttp(runtime, ouraProvider, connection);
 */
export async function connectionHttp(
  runtime: ProviderRuntime,
  module: ProviderModule,
  connection: ConnectionRow,
): Promise<VendorHttp> {
  const app = await resolveProviderApp(runtime, connection.developer_id, module.manifest.slug);
  if (app === undefined)
    throw new ProviderAuthError(
      `No ${module.manifest.name} app is configured for this developer (PUT /api/v1/developer/providers/${module.manifest.slug})`,
    );
  return createVendorHttp(runtime, {
    module,
    app,
    tokens: connectionTokenSource(runtime, module, app, connection.id),
  });
}
