import { type AuditActor, type AuditRequest, recordAudit } from '../audit/audit-log.ts';
import type { ConnectionRow } from '../db/schema.ts';
import { resolveProviderApp } from '../providers/apps/provider-apps.repo.ts';
import { createVendorHttp } from '../providers/http/vendor-client.ts';
import { connectionTokenSource, readTokens } from '../providers/oauth/token-store.ts';
import { findProviderModule } from '../providers/registry.ts';
import type { ProviderRuntime } from '../providers/runtime.ts';
import type { ProviderAppCredentials, ProviderModule, TokenSet } from '../providers/types.ts';
import { removeUserSubscription } from '../providers/webhooks/subscriptions.ts';
import { revokeConnection } from './connections.repo.ts';

/**
 * Disconnects a user from a provider: revokes the grant at the vendor (the manifest's `oauth.revoke`, or
 * the module's `revoke` for vendors that deregister or sign), drops a per-user webhook subscription, then
 * marks the connection `revoked` with its tokens dropped and `connection.revoked` emitted. Ingested data
 * stays. A vendor failure is logged and the local revoke happens anyway: the user asked to leave.
 * `audit`: who asked; their `connection.revoked` trail row commits with the revoke.
 *
 * @example
 * await disconnectConnection(deps, connection); // connection.status is now 'revoked'
 */
export async function disconnectConnection(
  runtime: ProviderRuntime,
  connection: ConnectionRow,
  audit?: { actor: AuditActor; request: AuditRequest },
): Promise<void> {
  const module = findProviderModule(connection.provider);
  const log = { provider: connection.provider, connectionId: connection.id };
  if (module?.manifest.oauth !== undefined) {
    const app = await resolveProviderApp(runtime, connection.developer_id, connection.provider);
    let tokens: TokenSet | undefined;
    try {
      tokens = readTokens(runtime, connection);
    } catch (error) {
      runtime.logger.warn({ ...log, err: error }, 'stored tokens could not be opened; revoking locally only');
    }
    if (app !== undefined) {
      if (tokens !== undefined) {
        try {
          await revokeAtVendor(runtime, module, app, connection, tokens);
        } catch (error) {
          runtime.logger.warn({ ...log, err: error }, 'revoke at the vendor failed; revoked locally');
        }
      }
      await removeUserSubscription(runtime, module, app, connection);
    }
  }
  await runtime.db.transaction().execute(async (trx) => {
    const revoked = await revokeConnection(trx, connection.id);
    if (revoked !== undefined && audit !== undefined)
      await recordAudit(trx, {
        developerId: connection.developer_id,
        actor: audit.actor,
        action: 'connection.revoked',
        target: { type: 'connection', id: connection.id },
        request: audit.request,
        detail: { provider: connection.provider, user_id: connection.user_id },
      });
  });
}

async function revokeAtVendor(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  connection: ConnectionRow,
  stored: TokenSet,
): Promise<void> {
  const revoke = module.manifest.oauth?.revoke;
  const source = connectionTokenSource(runtime, module, app, connection.id);
  const http = createVendorHttp(runtime, { module, app, tokens: source });
  // An expired access token cannot revoke anything: refresh it first when due (a refusal leaves the stored one).
  const tokens = await source.current().catch(() => stored);
  if (revoke === 'custom' || (revoke === undefined && module.revoke !== undefined)) {
    if (module.revoke === undefined)
      throw new Error(`${module.manifest.slug}: custom revoke without module.revoke`);
    await module.revoke({ http, tokens, providerUserId: connection.provider_user_id, app });
    return;
  }
  if (revoke === undefined) return;
  const token = tokens.access_token;
  // Sent as given (auth 'none'): a 401 means the grant is already dead, which is what was asked.
  await http.request({
    method: revoke.method,
    host: revoke.endpoint.host,
    path: revoke.endpoint.path,
    auth: 'none',
    ...(revoke.token_in === 'bearer' ? { headers: { authorization: `Bearer ${token}` } } : {}),
    ...(revoke.token_in === 'query_access_token' ? { query: { access_token: token } } : {}),
    ...(revoke.token_in === 'form_token' ? { form: { token } } : {}),
    ...(revoke.token_in === 'form_access_token' ? { form: { access_token: token } } : {}),
    accept: [401],
  });
}
