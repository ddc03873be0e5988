import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AUDIT_ACTIONS, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { currentSubscription } from '../billing/billing.repo.ts';
import { subscriptionJson } from '../billing/billing.routes.ts';
import { annualRecurringRevenue, monthlyRecurringRevenue } from '../billing/finance.repo.ts';
import { PLAN_NAMES } from '../billing/price-book.ts';
import type { DeveloperRow } from '../db/schema.ts';
import {
  findDeveloperById,
  isLocked,
  lockDeveloper,
  setSuperuserFlag,
  unlockDeveloper,
} from '../developers/developers.repo.ts';
import { ADMIN_LOCK_DAYS } from '../developers/lockout.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors } from '../http/openapi.ts';
import { reviewQueueCount } from '../nutrition/logs.repo.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.ts';
import {
  type AuditRow,
  accountStateCounts,
  auditRowsByActor,
  auditTimeline,
  developerCounts,
  endUserConnections,
  failedLoginBursts,
  findEndUser,
  openSupportTickets,
  planDistribution,
  searchDevelopers,
  searchEndUsers,
  signupsByDay,
  teamMembers,
  tenantCounts,
} from './admin.repo.ts';
import { adminPrincipal, isRootAdmin, superuserRoute } from './guard.ts';
import { scheduledJobs } from './jobs.ts';
import {
  AdminAuditPage,
  AdminDeveloper,
  AdminDeveloperDetail,
  AdminDeveloperList,
  AdminEndUserDetail,
  AdminEndUserList,
  AdminJobList,
  AdminJobRun,
  AdminOverview,
  AuditQuery,
  DeveloperListQuery,
  DeveloperParams,
  EndUserListQuery,
  JobParams,
  SuperuserBody,
  SystemHealth,
} from './schemas.ts';
import { blobStoreHealth, databaseSize, queueDepths, redisHealth, tableSizes } from './system.repo.ts';

/** The superuser toggle refuses every caller but the root admin: 403 `{detail, code: root_only}`. */
export class RootOnlyError extends ForbiddenError {
  override readonly code = 'root_only';
}
/** The root admin cannot be locked (nobody could then unlock the others): 403 `{code: root_protected}`. */
class RootProtectedError extends ForbiddenError {
  override readonly code = 'root_protected';
}
/** An admin locking their own account: 400 `{code: cannot_lock_self}`. */
class CannotLockSelfError extends BadRequestError {
  override readonly code = 'cannot_lock_self';
}
/** A job the configuration turns off: 409 would suggest a retry; it is a 400 `{code: job_disabled}`. */
class JobDisabledError extends BadRequestError {
  override readonly code = 'job_disabled';
}

const FAILED_LOGIN_BURST = 3;
const SIGNUP_DAYS = 14;
const DAY_MS = 86_400_000;
const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const _tags = ['Admin'];
const adminNotFound = () => new NotFoundError('Not found');

const guarded = superuserRoute;

function developerJson(config: AppEnv['Variables']['deps']['config'], row: DeveloperRow) {
  const byConfig = config.SUPERUSER_EMAILS.includes(row.email.toLowerCase());
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    organization: row.organization,
    plan: row.plan,
    tenant_id: row.tenant_id,
    role: row.tenant_id === null ? ('owner' as const) : row.role,
    is_superuser: byConfig || row.is_superuser,
    superuser_flag: row.is_superuser,
    superuser_by_config: byConfig,
    is_root: isRootAdmin(config, row.email),
    email_verified_at: iso(row.email_verified_at),
    failed_login_count: row.failed_login_count,
    last_failed_login_at: iso(row.last_failed_login_at),
    locked: isLocked(row),
    locked_until: iso(row.locked_until),
    created_at: iso(row.created_at) ?? '',
  };
}

function auditJson(row: AuditRow & { developer_email?: string | null }) {
  return {
    id: Number(row.id),
    developer_id: row.developer_id,
    developer_email: row.developer_email ?? null,
    seq: Number(row.seq),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    target:
      row.target_type === null || row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    detail: row.detail,
    created_at: new Date(row.created_at).toISOString(),
  };
}

/** `action=`: a catalogued action or a group wildcard (`admin.*`), expanded against the catalogue. */
function actionsOf(filter: string | undefined): string[] | undefined {
  if (filter === undefined) return undefined;
  if ((AUDIT_ACTIONS as readonly string[]).includes(filter)) return [filter];
  if (filter.endsWith('.*')) {
    const matching = AUDIT_ACTIONS.filter((a) => a.startsWith(filter.slice(0, -1)));
    if (matching.length > 0) return matching;
  }
  throw new ValidationError([
    { loc: ['query', 'action'], msg: `Unknown action '${filter}'`, type: 'value_error.action' },
  ]);
}

const AuditCursor = z.object({ id: cursorField.bigintId() });

/**
 * One admin mutation: the change and its single audit row in one transaction, on the ADMIN's own trail
 * (the admin's tenant), the admin's account as actor, the target naming what changed.
 */
async function audited<T>(
  c: Context<AppEnv>,
  action: (typeof AUDIT_ACTIONS)[number],
  target: { type: string; id: string },
  change: (trx: AppEnv['Variables']['deps']['db']) => Promise<{ result: T; detail: Record<string, unknown> }>,
): Promise<T> {
  const admin = adminPrincipal(c.var.principal);
  return c.var.deps.db.transaction().execute(async (trx) => {
    const { result, detail } = await change(trx);
    await recordAudit(trx, {
      developerId: admin.developerId,
      actor: { type: 'admin', id: admin.accountId },
      action,
      target,
      request: auditRequest(c),
      detail,
    });
    return result;
  });
}

async function targetDeveloper(c: Context<AppEnv>, id: string): Promise<DeveloperRow> {
  const row = await findDeveloperById(c.var.deps.db, id);
  if (row === undefined) throw new NotFoundError('Developer not found');
  return row;
}

export function registerAdminCoreRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/overview',
      ...guarded(tokens),
      summary: 'SaaS overview: tenants, MRR/ARR, plan distribution, 14-day signups, things to do',
      description:
        'Superusers only (everyone else: 404). MRR/ARR are the price-book prices of live Razorpay subscriptions (see /admin/finance/summary).',
      responses: {
        200: { description: 'Overview cards', content: { 'application/json': { schema: AdminOverview } } },
        ...pickErrors(404),
      },
    }),
    async (c) => {
      const { db, config } = c.var.deps;
      const now = new Date();
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const from = new Date(today - (SIGNUP_DAYS - 1) * DAY_MS);
      const [counts, plans, signups, mrr, arr, reviews, tickets, accounts, bursts] = await Promise.all([
        tenantCounts(db),
        planDistribution(db),
        signupsByDay(db, from),
        monthlyRecurringRevenue(db, config, now),
        annualRecurringRevenue(db, config, now),
        reviewQueueCount(db),
        openSupportTickets(db),
        accountStateCounts(db),
        failedLoginBursts(db, new Date(now.getTime() - 3_600_000), FAILED_LOGIN_BURST),
      ]);
      const planNames = [
        ...PLAN_NAMES,
        ...[...plans.keys()].filter((p) => !(PLAN_NAMES as string[]).includes(p)),
      ];
      return c.json(
        {
          generated_at: now.toISOString(),
          tenants: {
            total: counts.tenants,
            team_members: counts.team_members,
            verified: counts.verified_tenants,
            new_last_7_days: counts.new_tenants_7d,
            new_last_30_days: counts.new_tenants_30d,
          },
          revenue: { mrr, arr, usd_inr_rate: config.USD_INR_RATE },
          plan_distribution: planNames.map((plan) => {
            const tenants = plans.get(plan) ?? 0;
            const pct = counts.tenants === 0 ? 0 : Math.round((tenants / counts.tenants) * 1000) / 10;
            return { plan, tenants, pct };
          }),
          signups: Array.from({ length: SIGNUP_DAYS }, (_, i) => {
            const date = new Date(from.getTime() + i * DAY_MS).toISOString().slice(0, 10);
            return { date, signups: signups.get(date) ?? 0 };
          }),
          things_to_do: {
            pending_nutrition_reviews: reviews,
            open_support_tickets: tickets,
            locked_developers: accounts.locked,
            failed_login_bursts: bursts,
            unverified_accounts: accounts.unverified,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/developers',
      ...guarded(tokens),
      summary: 'Developer accounts across tenants (tenants and team members), newest first',
      request: { query: DeveloperListQuery },
      responses: {
        200: { description: 'One page', content: { 'application/json': { schema: AdminDeveloperList } } },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { db, config } = c.var.deps;
      const { rows, total } = await searchDevelopers(
        db,
        {
          q: q.q,
          plan: q.plan,
          locked: q.locked,
          superuser: q.superuser,
          superuserEmails: config.SUPERUSER_EMAILS,
        },
        { limit: q.limit, offset: q.offset },
      );
      return c.json(
        { data: rows.map((r) => developerJson(config, r)), total, limit: q.limit, offset: q.offset },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/developers/{id}',
      ...guarded(tokens),
      summary:
        'One developer account: organisation, subscription, key and user counts, team, last 20 audit rows',
      request: { params: DeveloperParams },
      responses: {
        200: {
          description: 'The account',
          content: { 'application/json': { schema: AdminDeveloperDetail } },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { db, config } = c.var.deps;
      const row = await targetDeveloper(c, id);
      const tenantId = row.tenant_id ?? row.id;
      const [tenant, subscription, counts, members, audit] = await Promise.all([
        row.tenant_id === null ? undefined : findDeveloperById(db, row.tenant_id),
        currentSubscription(db, tenantId),
        developerCounts(db, tenantId),
        row.tenant_id === null ? teamMembers(db, row.id) : [],
        auditRowsByActor(db, row.id, 20),
      ]);
      return c.json(
        {
          ...developerJson(config, row),
          tenant: tenant === undefined ? null : { id: tenant.id, email: tenant.email, name: tenant.name },
          subscription: subscription === undefined ? null : subscriptionJson(config, subscription),
          counts,
          team_members: members.map((m) => ({
            id: m.id,
            email: m.email,
            name: m.name,
            role: m.role,
            locked: isLocked(m),
            created_at: new Date(m.created_at).toISOString(),
          })),
          recent_audit: audit.map(auditJson),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/developers/{id}/superuser',
      ...guarded(tokens),
      summary: 'Grant or revoke superuser (the root admin only)',
      description:
        'Only the root admin (the first SUPERUSER_EMAILS address) may call this; any other superuser gets 403 `code: root_only`, everyone else 404. Sets developers.is_superuser; an address listed in SUPERUSER_EMAILS stays a superuser whatever the flag. Audited as admin.developer.superuser_granted / _revoked.',
      request: {
        params: DeveloperParams,
        body: { required: true, content: { 'application/json': { schema: SuperuserBody } } },
      },
      responses: {
        200: {
          description: 'The account after the change',
          content: { 'application/json': { schema: AdminDeveloper } },
        },
        ...pickErrors(403, 404, 413, 415, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { is_superuser } = c.req.valid('json');
      const { config, db } = c.var.deps;
      const admin = await findDeveloperById(db, adminPrincipal(c.var.principal).accountId);
      if (admin === undefined) throw adminNotFound();
      if (!isRootAdmin(config, admin.email)) {
        throw new RootOnlyError('Only the root admin can grant or revoke superuser rights');
      }
      await targetDeveloper(c, id);
      const row = await audited(
        c,
        is_superuser ? 'admin.developer.superuser_granted' : 'admin.developer.superuser_revoked',
        { type: 'developer', id },
        async (trx) => {
          const updated = await setSuperuserFlag(trx, id, is_superuser);
          if (updated === undefined) throw new NotFoundError('Developer not found');
          return { result: updated, detail: { email: updated.email, is_superuser } };
        },
      );
      return c.json(developerJson(config, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/developers/{id}/lock',
      ...guarded(tokens),
      summary: `Lock an account for ${ADMIN_LOCK_DAYS} days`,
      description:
        "Its logins are refused (403 `account_locked`) and its sessions end at once; its API keys keep working. The root admin and one's own account cannot be locked. Audited as admin.developer.locked.",
      request: { params: DeveloperParams },
      responses: {
        200: {
          description: 'The account, locked',
          content: { 'application/json': { schema: AdminDeveloper } },
        },
        ...pickErrors(400, 403, 404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { config } = c.var.deps;
      const target = await targetDeveloper(c, id);
      if (isRootAdmin(config, target.email)) throw new RootProtectedError('The root admin cannot be locked');
      if (target.id === adminPrincipal(c.var.principal).accountId) {
        throw new CannotLockSelfError('You cannot lock your own account');
      }
      const until = new Date(Date.now() + ADMIN_LOCK_DAYS * DAY_MS);
      const row = await audited(c, 'admin.developer.locked', { type: 'developer', id }, async (trx) => {
        const updated = await lockDeveloper(trx, id, until);
        if (updated === undefined) throw new NotFoundError('Developer not found');
        return { result: updated, detail: { email: updated.email, locked_until: until.toISOString() } };
      });
      return c.json(developerJson(config, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/developers/{id}/unlock',
      ...guarded(tokens),
      summary: 'Lift a lock and reset the failed-login counter',
      description: 'Audited as admin.developer.unlocked.',
      request: { params: DeveloperParams },
      responses: {
        200: {
          description: 'The account, unlocked',
          content: { 'application/json': { schema: AdminDeveloper } },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const target = await targetDeveloper(c, id);
      const row = await audited(c, 'admin.developer.unlocked', { type: 'developer', id }, async (trx) => {
        const updated = await unlockDeveloper(trx, id);
        if (updated === undefined) throw new NotFoundError('Developer not found');
        return {
          result: updated,
          detail: {
            email: updated.email,
            was_locked_until: iso(target.locked_until),
            failed_login_count: target.failed_login_count,
          },
        };
      });
      return c.json(developerJson(c.var.deps.config, row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/end-users',
      ...guarded(tokens),
      summary: "End users across tenants (each with its developer's email), newest first",
      request: { query: EndUserListQuery },
      responses: {
        200: { description: 'One page', content: { 'application/json': { schema: AdminEndUserList } } },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await searchEndUsers(c.var.deps.db, q.q, { limit: q.limit, offset: q.offset });
      return c.json(
        {
          data: rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })),
          total,
          limit: q.limit,
          offset: q.offset,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/end-users/{id}',
      ...guarded(tokens),
      summary: 'One end user, with its developer and connections',
      request: { params: DeveloperParams },
      responses: {
        200: { description: 'The end user', content: { 'application/json': { schema: AdminEndUserDetail } } },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { db } = c.var.deps;
      const user = await findEndUser(db, id);
      if (user === undefined) throw new NotFoundError('End user not found');
      const connections = await endUserConnections(db, id);
      return c.json(
        {
          ...user,
          created_at: new Date(user.created_at).toISOString(),
          connections: connections.map((x) => ({ ...x, created_at: new Date(x.created_at).toISOString() })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/audit',
      ...guarded(tokens),
      summary: 'The audit timeline across every tenant, newest first',
      request: { query: AuditQuery },
      responses: {
        200: { description: 'One page', content: { 'application/json': { schema: AdminAuditPage } } },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const since =
        q.since === undefined
          ? undefined
          : new Date(/^\d{4}-\d{2}-\d{2}$/.test(q.since) ? `${q.since}T00:00:00Z` : q.since);
      const beforeId = q.cursor === undefined ? undefined : decodeCursor(q.cursor, AuditCursor).id;
      const rows = await auditTimeline(c.var.deps.db, {
        actions: actionsOf(q.action),
        prefix: q.prefix,
        since,
        q: q.q,
        developerId: q.developer_id,
        beforeId,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return c.json(
        {
          data: page.map(auditJson),
          next_cursor:
            rows.length > q.limit && last !== undefined ? encodeCursor({ id: Number(last.id) }) : null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/system/health',
      ...guarded(tokens),
      summary: 'Database size per table, Redis stats, job queue depth, blob store reachability',
      description:
        'The blob store is probed by writing, reading back and deleting a small object. Redis is `configured: false` without REDIS_URL.',
      responses: {
        200: { description: 'Health', content: { 'application/json': { schema: SystemHealth } } },
        ...pickErrors(404),
      },
    }),
    async (c) => {
      const { db, config, queue, redis } = c.var.deps;
      const [tables, size, queues, redisStats, blob] = await Promise.all([
        tableSizes(db),
        databaseSize(db),
        queueDepths(db, queue.schema),
        redisHealth(redis),
        blobStoreHealth(config),
      ]);
      return c.json(
        {
          checked_at: new Date().toISOString(),
          database: {
            dialect: config.DATABASE_URL === undefined ? ('pglite' as const) : ('postgres' as const),
            size_bytes: size,
            tables,
          },
          redis: redisStats,
          queues,
          blob_store: blob,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/jobs',
      ...guarded(tokens),
      summary: 'The registry of scheduled jobs, with their last run where known',
      responses: {
        200: { description: 'Jobs', content: { 'application/json': { schema: AdminJobList } } },
        ...pickErrors(404),
      },
    }),
    async (c) => {
      const deps = c.var.deps;
      const manual = await auditTimeline(deps.db, { actions: ['admin.job.run'], limit: 200 });
      const data = await Promise.all(
        scheduledJobs(deps.config).map(async (job) => {
          const lastManual = manual.find((r) => r.target_id === job.name);
          const lastRun = await job.lastRunAt(deps);
          return {
            name: job.name,
            description: job.description,
            schedule: job.schedule,
            interval_seconds: job.interval_seconds,
            enabled: job.enabled,
            runs_on: job.runs_on,
            last_run_at: iso(lastRun),
            last_manual_run:
              lastManual === undefined
                ? null
                : { at: new Date(lastManual.created_at).toISOString(), by: lastManual.actor_id },
          };
        }),
      );
      return c.json({ data }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/admin/jobs/{name}/run',
      ...guarded(tokens),
      summary: 'Run a scheduled job now (or queue it at once)',
      description:
        'Jobs that run on a queue are queued and report `queued`; the others run in this request and report what they did. A job the configuration turns off is 400 `code: job_disabled`. Audited as admin.job.run.',
      request: { params: JobParams },
      responses: {
        200: { description: 'What ran', content: { 'application/json': { schema: AdminJobRun } } },
        ...pickErrors(400, 404, 422),
      },
    }),
    async (c) => {
      const { name } = c.req.valid('param');
      const deps = c.var.deps;
      const job = scheduledJobs(deps.config).find((j) => j.name === name);
      if (job === undefined) throw new NotFoundError('No such job');
      if (!job.enabled) throw new JobDisabledError(`${job.name} is turned off: ${job.schedule}`);
      const startedAt = new Date();
      // The run happens first (a queued job may already be running on another node when the audit
      // row commits); the row then records what it did. Both in the request: one row per run-now.
      const result = await job.run(deps);
      await audited(c, 'admin.job.run', { type: 'job', id: job.name }, async () => ({
        result: undefined,
        detail: { result },
      }));
      return c.json(
        {
          name: job.name,
          started_at: startedAt.toISOString(),
          finished_at: new Date().toISOString(),
          result,
        },
        200,
      );
    },
  );
}
