import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AppEnv } from '../http/context.ts';
import { clientIp } from '../http/rate-limit-middleware.ts';

/**
 * The closed catalogue of audited actions: every privileged action of a developer (and, later, of an
 * admin acting on one) is one of these. Names are stable API (`GET /audit-logs?action=`).
 */
export const AUDIT_ACTIONS = [
  'developer.registered',
  'developer.login',
  'developer.login_failed',
  'developer.invite_created',
  'developer.locked',
  'developer.email_verified',
  'developer.profile_updated',
  'api_key.created',
  'api_key.rotated',
  'api_key.deleted',
  'provider_app.saved',
  'provider_app.deleted',
  'user.created',
  'user.updated',
  'user.deleted',
  'user.provider_data_deleted',
  'export.requested',
  'export.downloaded',
  'connection.created',
  'connection.revoked',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.deleted',
  'webhook_endpoint.secret_rotated',
  'retention.updated',
  'nutrition.review.approved',
  'nutrition.review.rejected',
  'nutrition.review.item_edited',
  'team.invitation_created',
  'team.invitation_revoked',
  'team.member_joined',
  'team.member_role_changed',
  'team.member_removed',
  'contact.submit',
  'admin.developer.superuser_granted',
  'admin.developer.superuser_revoked',
  'admin.developer.locked',
  'admin.developer.unlocked',
  'admin.job.run',
  'admin.announcement.published',
  'admin.announcement.dismissed',
  'admin.support.resolved',
  'admin.support.reopened',
  'billing.checkout_created',
  'admin.developer.plan_set',
  'admin.invoice.marked_refunded',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who acted: a developer (by API key or session), an admin, an end user's SDK token, an end user in a
 * browser flow the developer started (OAuth consent: known by the flow's state), or nobody known.
 */
export interface AuditActor {
  type: 'developer' | 'api_key' | 'admin' | 'sdk_user' | 'end_user' | 'anonymous' | 'system';
  id: string | null;
}

/** Where the request came from; absent for actions the system takes itself (jobs). */
export interface AuditRequest {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  /** Whose trail the row joins (the tenant). */
  developerId: string;
  actor: AuditActor;
  action: AuditAction;
  target?: { type: string; id: string };
  request?: AuditRequest;
  /** What changed, without secrets: names, ids, field lists. Never a key, token or password. */
  detail?: Record<string, unknown>;
}

/** The fields a row's hash covers, in this order; `verifyAuditChain` recomputes it from the stored row. */
export interface HashedAuditFields {
  developer_id: string;
  seq: number;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: unknown;
  created_at: string;
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, so the hash must not depend on order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The first row of every developer's chain links to this. */
export const GENESIS_HASH = '0'.repeat(64);

export function auditRowHash(prevHash: string, fields: HashedAuditFields): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

/**
 * Appends one row to the developer's trail, chained to the previous one. Call it with the transaction
 * that makes the change, so the change and its row commit together (or neither does). Rows of one
 * developer are serialized by the chain head's row lock; different developers never wait on each other.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   const key = await createApiKey(trx, developerId, name);
 *   await recordAudit(trx, { developerId, actor: auditActor(c), action: 'api_key.created',
 *     target: { type: 'api_key', id: key.id }, request: auditRequest(c), detail: { name } });
 * });
 */
export async function recordAudit(trx: Db, entry: AuditEntry): Promise<void> {
  await sql`insert into audit_chain_heads (developer_id, seq, hash)
            values (${entry.developerId}, 0, ${GENESIS_HASH}) on conflict (developer_id) do nothing`.execute(
    trx,
  );
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('developer_id', '=', entry.developerId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const createdAt = new Date();
  const fields: HashedAuditFields = {
    developer_id: entry.developerId,
    seq: Number(head.seq) + 1,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    action: entry.action,
    target_type: entry.target?.type ?? null,
    target_id: entry.target?.id ?? null,
    ip: entry.request?.ip ?? null,
    user_agent: entry.request?.userAgent?.slice(0, 512) ?? null,
    request_id: entry.request?.requestId ?? null,
    detail: JSON.parse(JSON.stringify(entry.detail ?? {})),
    created_at: createdAt.toISOString(),
  };
  const hash = auditRowHash(head.hash, fields);
  await trx
    .insertInto('audit_logs')
    .values({
      ...fields,
      detail: JSON.stringify(fields.detail),
      created_at: createdAt,
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await trx
    .updateTable('audit_chain_heads')
    .set({ seq: fields.seq, hash })
    .where('developer_id', '=', entry.developerId)
    .execute();
}

/** The acting principal of an authenticated request, as the trail names it. */
export function auditActor(c: Context<AppEnv>): AuditActor {
  const principal = c.var.principal;
  if (principal.kind === 'sdk') return { type: 'sdk_user', id: principal.userId };
  return principal.via === 'api_key'
    ? { type: 'api_key', id: principal.apiKeyId }
    : { type: 'developer', id: principal.accountId }; // the team member who acted, in the tenant's trail
}

/** Address (the same right-most untrusted hop the rate limiter uses), user agent and request id. */
export function auditRequest(c: Context<AppEnv>): AuditRequest {
  return {
    ip: clientIp(c, c.var.deps.config),
    userAgent: c.req.header('user-agent') ?? null,
    requestId: c.var.requestId ?? null,
  };
}
