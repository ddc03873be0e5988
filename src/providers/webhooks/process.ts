import { recordAudit } from '../../audit/audit-log.ts';
import { recordGrantedScopes, revokeConnection } from '../../connections/connections.repo.ts';
import type { ConnectionRow } from '../../db/schema.ts';
import type { AppDeps } from '../../http/context.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { UnknownProviderError } from '../../sync/sync-engine.ts';
import { resolveProviderApp } from '../apps/provider-apps.repo.ts';
import { ProviderAuthError } from '../errors.ts';
import { createVendorHttp } from '../http/vendor-client.ts';
import { connectionTokenSource } from '../oauth/token-store.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderModule, PullTarget } from '../types.ts';
import {
  type ConnectionScope,
  findConnectionsOfProviderUser,
  findInbound,
  hasWebhookRunSince,
  inboundRequestOf,
  settleInbound,
} from './inbound.repo.ts';
import { parseContext } from './verify.ts';

export type ProcessDeps = Pick<AppDeps, 'db' | 'logger' | 'sync' | 'config' | 'rateLimiter' | 'secrets'>;

/**
 * Whether an unsigned vendor's deauthorization is real: the user's token must no longer work. The
 * check's refresh is refused on purpose, so a dead access token counts as a dead grant without
 * touching the stored tokens; signed vendors and vendors without a check are taken at their word.
 * A client-id header (Garmin) is not a signature: anyone who knows the public client id can send it.
 */
async function deauthorizationConfirmed(
  deps: ProcessDeps,
  module: ProviderModule,
  connection: ConnectionRow,
): Promise<boolean> {
  if (module.manifest.webhook?.verification.scheme === 'hmac_sha256' || module.confirmGrant === undefined)
    return true;
  const app = await resolveProviderApp(deps, connection.developer_id, module.manifest.slug);
  if (app === undefined) return true;
  const stored = connectionTokenSource(deps, module, app, connection.id);
  const http = createVendorHttp(deps, {
    module,
    app,
    tokens: {
      current: () => stored.current(),
      refresh: async () => {
        throw new ProviderAuthError(`${module.manifest.name} refused the access token`);
      },
    },
  });
  try {
    await module.confirmGrant(http);
    return false;
  } catch (error) {
    if (error instanceof ProviderAuthError) return true;
    throw error; // the vendor is unreachable: the job retries
  }
}

/**
 * The job of one stored vendor delivery (queued with it, before its 2xx): parse it with the vendor's
 * module, then for each notification find the vendor user's connections (within the developer whose
 * app verified the delivery) and ask the sync engine to pull exactly what it names, or revoke them on a
 * deauthorization. Outcomes are written on the row: `processed`, `ignored` (nobody to act for, with why)
 * or `failed` (malformed, with why). Nothing here throws for a vendor's bad input; what throws (the
 * database went away) is retried by the queue, and the last attempt marks the row failed.
 *
 * Idempotent under retries: a row already settled is left alone, a revocation only touches connections
 * not yet revoked, and a retried attempt does not queue again a pull an earlier attempt queued (a
 * webhook run of that connection with the same targets created since the delivery arrived).
 *
 * @example
 * await processInboundWebhook(platform.deps, row.id, { count: 0, limit: 5, jobId });
 * // inbound_webhooks.status: 'processed', detail: '1 pull requested (connection 5c1…)'
 */
export async function processInboundWebhook(
  deps: ProcessDeps,
  inboundId: string,
  attempt: JobAttempt,
): Promise<void> {
  try {
    await processOnce(deps, inboundId, attempt.count > 0);
  } catch (error) {
    if (attempt.count >= attempt.limit) {
      const stored = toStoredError(error);
      await settleInbound(
        deps.db,
        inboundId,
        'failed',
        `Processing failed after every retry: ${stored.message}`,
      );
    }
    throw error;
  }
}

async function processOnce(deps: ProcessDeps, inboundId: string, retried: boolean): Promise<void> {
  const row = await findInbound(deps.db, inboundId);
  if (row === undefined || row.status !== 'received') return; // settled by an earlier attempt
  const log = deps.logger.child({ inbound_webhook_id: row.id, provider: row.provider });
  const module = findProviderModule(row.provider);
  if (module?.webhook === undefined) {
    await settleInbound(deps.db, row.id, 'failed', `No provider "${row.provider}" takes webhooks any more`);
    return;
  }
  const parsed = module.webhook.parse(inboundRequestOf(row), parseContext(deps, module));
  if (!parsed.ok) {
    await settleInbound(deps.db, row.id, 'failed', `Malformed notification: ${parsed.error}`);
    return;
  }

  const scope: ConnectionScope =
    row.developer_id !== null
      ? { kind: 'developer', developerId: row.developer_id }
      : module.manifest.webhook?.verification.scheme !== 'none'
        ? { kind: 'instance_app' }
        : { kind: 'any' };
  const notes: string[] = [];
  // One run per connection per delivery, however many objects it names.
  const pulls = new Map<string, { connection: ConnectionRow; targets: PullTarget[] }>();
  let acted = 0;
  for (const notification of parsed.notifications) {
    if (notification.kind === 'ignore') {
      notes.push(`ignored: ${notification.reason}`);
      continue;
    }
    const which = notification.kind === 'deauthorize' ? 'not_revoked' : 'active';
    const connections = await findConnectionsOfProviderUser(
      deps.db,
      row.provider,
      notification.providerUserId,
      scope,
      which,
    );
    if (connections.length === 0) {
      notes.push(
        `no ${which === 'active' ? 'active' : 'current'} connection for ${module.manifest.name} user ${notification.providerUserId}`,
      );
      continue;
    }
    for (const connection of connections) {
      if (notification.kind === 'deauthorize') {
        if (!(await deauthorizationConfirmed(deps, module, connection))) {
          notes.push(
            `deauthorization of connection ${connection.id} ignored: its ${module.manifest.name} token still works (a forged or stale event)`,
          );
          continue;
        }
        // The end user withdrew consent at the vendor: their revoke joins the developer's trail too.
        await deps.db.transaction().execute(async (trx) => {
          if ((await revokeConnection(trx, connection.id)) === undefined) return;
          await recordAudit(trx, {
            developerId: connection.developer_id,
            actor: { type: 'end_user', id: connection.user_id },
            action: 'connection.revoked',
            target: { type: 'connection', id: connection.id },
            detail: {
              provider: connection.provider,
              user_id: connection.user_id,
              via: 'vendor_deauthorization',
            },
          });
        });
        log.info({ connection_id: connection.id }, 'connection revoked by the vendor (deauthorization)');
        notes.push(`connection ${connection.id} revoked (deauthorized at ${module.manifest.name})`);
        pulls.delete(connection.id); // nothing more to pull for it
        acted += 1;
      } else if (notification.kind === 'permissions') {
        await recordGrantedScopes(deps.db, connection.id, notification.permissions);
        log.info(
          { connection_id: connection.id, permissions: notification.permissions },
          'vendor permissions changed',
        );
        notes.push(
          `connection ${connection.id} now shares ${notification.permissions.join(', ') || 'nothing'}`,
        );
        acted += 1;
      } else {
        const entry = pulls.get(connection.id) ?? { connection, targets: [] };
        const { target } = notification;
        // Pushed data is read back from this stored delivery by the run.
        entry.targets.push(
          target.delivery ? { ...target, delivery: { ...target.delivery, inboundId: row.id } } : target,
        );
        pulls.set(connection.id, entry);
      }
    }
  }
  for (const { connection, targets } of pulls.values()) {
    // A retry after a failure part-way: the pulls an earlier attempt queued are not queued again.
    if (retried && (await hasWebhookRunSince(deps.db, connection.id, targets, row.received_at))) {
      notes.push(`pull of ${targets.length} target(s) already requested for connection ${connection.id}`);
      acted += 1;
      continue;
    }
    try {
      await deps.sync.requestTargets(connection, targets);
    } catch (error) {
      // A vendor WearLink cannot pull from: retrying the job cannot change that.
      if (!(error instanceof UnknownProviderError)) throw error;
      await settleInbound(deps.db, row.id, 'failed', `${error.message}: nothing can be pulled for it`);
      return;
    }
    notes.push(`pull of ${targets.length} target(s) requested for connection ${connection.id}`);
    acted += 1;
  }
  const detail = notes.join('; ') || 'nothing to do';
  const settled = await settleInbound(deps.db, row.id, acted > 0 ? 'processed' : 'ignored', detail);
  if (settled) log.info({ status: acted > 0 ? 'processed' : 'ignored', detail }, 'vendor webhook processed');
}
