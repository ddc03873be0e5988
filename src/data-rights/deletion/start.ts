import { type AuditActor, type AuditRequest, recordAudit } from '../../audit/audit-log.ts';
import type { AppDeps } from '../../http/context.ts';
import { DATA_RIGHTS_QUEUE } from '../../sync/job-queue.ts';
import { markUserDeleted } from '../../users/users.repo.ts';

interface Requester {
  developerId: string;
  userId: string;
  actor: AuditActor;
  request?: AuditRequest;
}

/**
 * Starts deleting a user, in one transaction: the user is marked deleted (gone from the API at once, and
 * no write lands for them any more), their connections stop at once (revoked locally, so the scheduler,
 * vendor webhooks and sync routes ignore them; their tokens stay until the job has revoked them at the
 * vendor), pending upload URLs and OAuth consents in flight die, the audit row is written, and the
 * `delete-user` job is queued. False when there is no such live user.
 */
export async function startUserDeletion(deps: AppDeps, who: Requester): Promise<boolean> {
  const { developerId, userId } = who;
  const started = await deps.db.transaction().execute(async (trx) => {
    const marked = await markUserDeleted(trx, developerId, userId);
    if (marked === undefined) return false;
    const now = new Date();
    await trx
      .updateTable('connections')
      .set({ status: 'revoked', next_sync_at: null, updated_at: now })
      .where('user_id', '=', userId)
      .where('status', '<>', 'revoked')
      .execute();
    await trx.deleteFrom('oauth_states').where('user_id', '=', userId).execute();
    await trx.deleteFrom('pending_uploads').where('user_id', '=', userId).execute();
    await recordAudit(trx, {
      developerId,
      actor: who.actor,
      action: 'user.deleted',
      target: { type: 'user', id: userId },
      ...(who.request === undefined ? {} : { request: who.request }),
    });
    await deps.queue.enqueueDataRights({ task: 'delete-user', userId }, { db: trx });
    return true;
  });
  if (started) deps.queue.wake(DATA_RIGHTS_QUEUE);
  return started;
}

/**
 * Starts deleting one provider's data of a user: the audit row and the `delete-provider-data` job commit
 * together. The connection itself is left as it is (disconnecting is its own route).
 */
export async function startProviderDataDeletion(
  deps: AppDeps,
  who: Requester & { provider: string },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await recordAudit(trx, {
      developerId: who.developerId,
      actor: who.actor,
      action: 'user.provider_data_deleted',
      target: { type: 'user', id: who.userId },
      ...(who.request === undefined ? {} : { request: who.request }),
      detail: { provider: who.provider },
    });
    await deps.queue.enqueueDataRights(
      { task: 'delete-provider-data', userId: who.userId, provider: who.provider },
      { db: trx },
    );
  });
  deps.queue.wake(DATA_RIGHTS_QUEUE);
}
