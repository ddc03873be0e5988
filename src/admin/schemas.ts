import { z } from '@hono/zod-openapi';
import { boundedDate, boundedTimestamp } from '../health-data/date-range.ts';
import { UuidParam } from '../http/openapi.ts';

const Money = z
  .object({ inr: z.number(), usd: z.number() })
  .openapi('AdminMoney', { description: 'An amount in INR and in USD at `usd_inr_rate`' });

const BoolQuery = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ example: 0 }),
};

const Q = z.string().trim().max(200).optional().openapi({ description: 'Case-insensitive substring' });

export const AdminOverview = z
  .object({
    generated_at: z.string(),
    tenants: z.object({
      total: z
        .number()
        .int()
        .openapi({ description: 'Developer accounts that are tenants (not team members)' }),
      team_members: z.number().int(),
      verified: z.number().int().openapi({ description: 'Tenants whose email address is verified' }),
      new_last_7_days: z.number().int(),
      new_last_30_days: z.number().int(),
    }),
    revenue: z.object({
      mrr: Money,
      arr: Money,
      usd_inr_rate: z.number(),
    }),
    plan_distribution: z.array(
      z.object({ plan: z.string(), tenants: z.number().int(), pct: z.number().openapi({ example: 12.5 }) }),
    ),
    signups: z
      .array(z.object({ date: z.string().openapi({ example: '2026-04-23' }), signups: z.number().int() }))
      .openapi({ description: 'New tenants per UTC day, the last 14 days (today last), zero-filled' }),
    things_to_do: z.object({
      pending_nutrition_reviews: z.number().int(),
      open_support_tickets: z.number().int(),
      locked_developers: z
        .number()
        .int()
        .openapi({ description: 'Accounts locked now (tenants and members)' }),
      failed_login_bursts: z
        .array(
          z.object({
            developer_id: z.string(),
            email: z.string().nullable(),
            failures: z.number().int(),
            last_at: z.string(),
          }),
        )
        .openapi({ description: 'Accounts with 3 or more failed logins in the last hour' }),
      unverified_accounts: z.number().int(),
    }),
  })
  .openapi('AdminOverview');

export const AdminDeveloper = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    organization: z.string().nullable(),
    plan: z.string(),
    tenant_id: z.uuid().nullable().openapi({ description: "Null for a tenant; a team member's tenant" }),
    role: z.enum(['owner', 'admin', 'viewer']),
    is_superuser: z.boolean().openapi({ description: 'Effective: by SUPERUSER_EMAILS or by the flag' }),
    superuser_flag: z.boolean().openapi({ description: 'developers.is_superuser (what the toggle sets)' }),
    superuser_by_config: z.boolean().openapi({ description: 'Listed in SUPERUSER_EMAILS' }),
    is_root: z.boolean(),
    email_verified_at: z.string().nullable(),
    failed_login_count: z.number().int(),
    last_failed_login_at: z.string().nullable(),
    locked: z.boolean(),
    locked_until: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('AdminDeveloper');

export const AdminDeveloperList = z
  .object({ data: z.array(AdminDeveloper), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('AdminDeveloperList');

export const DeveloperListQuery = z.object({
  q: Q,
  plan: z.string().max(50).optional(),
  locked: BoolQuery.openapi({ description: '`true`: only accounts locked now; `false`: only the others' }),
  superuser: BoolQuery,
  ...PageQuery,
});

export const AdminAuditRow = z
  .object({
    id: z.number().int(),
    developer_id: z.uuid().openapi({ description: 'The trail (tenant) the row is on' }),
    developer_email: z.string().nullable(),
    seq: z.number().int(),
    action: z.string(),
    actor: z.object({ type: z.string(), id: z.string().nullable() }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    detail: z.unknown(),
    created_at: z.string(),
  })
  .openapi('AdminAuditRow');

export const AdminDeveloperDetail = AdminDeveloper.extend({
  tenant: z
    .object({ id: z.uuid(), email: z.string(), name: z.string() })
    .nullable()
    .openapi({ description: "A team member's tenant; null for a tenant" }),
  subscription: z
    .unknown()
    .nullable()
    .openapi({ description: "The tenant's current Razorpay subscription (BillingSubscription), if any" }),
  counts: z.object({ api_keys: z.number().int(), end_users: z.number().int() }),
  team_members: z.array(
    z.object({
      id: z.uuid(),
      email: z.string(),
      name: z.string(),
      role: z.string(),
      locked: z.boolean(),
      created_at: z.string(),
    }),
  ),
  recent_audit: z
    .array(AdminAuditRow)
    .openapi({ description: 'The last 20 rows this account acted in (as itself, or by its API keys)' }),
}).openapi('AdminDeveloperDetail');

export const DeveloperParams = z.object({ id: UuidParam('id') });

export const SuperuserBody = z.strictObject({ is_superuser: z.boolean() }).openapi('AdminSuperuserRequest');

export const AdminEndUser = z
  .object({
    id: z.uuid(),
    developer_id: z.uuid(),
    developer_email: z.string(),
    developer_name: z.string(),
    email: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    external_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('AdminEndUser');

export const AdminEndUserList = z
  .object({ data: z.array(AdminEndUser), total: z.number().int(), limit: z.number(), offset: z.number() })
  .openapi('AdminEndUserList');

export const EndUserListQuery = z.object({ q: Q, ...PageQuery });

export const AdminEndUserDetail = AdminEndUser.extend({
  developer_plan: z.string(),
  connections: z.array(
    z.object({ id: z.uuid(), provider: z.string(), status: z.string(), created_at: z.string() }),
  ),
}).openapi('AdminEndUserDetail');

export const AuditQuery = z.object({
  action: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'A catalogued action, or a group wildcard such as `admin.*`' }),
  prefix: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'Actions starting with this text, e.g. `developer.`' }),
  // Bounded like every other read's dates: year 0000 is no instant the database takes.
  since: z.union([boundedDate, boundedTimestamp]).optional().openapi({
    description: 'Rows at or after this instant; a date is its midnight UTC',
    example: '2026-04-01',
  }),
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .openapi({ description: 'Substring of the action, actor or target id, IP, detail or trail email' }),
  developer_id: z.uuid().optional().openapi({ description: "Only this tenant's trail" }),
  limit: PageQuery.limit,
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor of the previous page' }),
});

export const AdminAuditPage = z
  .object({ data: z.array(AdminAuditRow), next_cursor: z.string().nullable() })
  .openapi('AdminAuditPage');

export const SystemHealth = z
  .object({
    checked_at: z.string(),
    database: z.object({
      dialect: z.enum(['postgres', 'pglite']),
      size_bytes: z.number().nullable(),
      tables: z.array(z.object({ table: z.string(), total_bytes: z.number(), rows_estimate: z.number() })),
    }),
    redis: z
      .object({
        configured: z.boolean(),
        ok: z.boolean().optional(),
        error: z.string().optional(),
        version: z.string().nullable().optional(),
        uptime_seconds: z.number().nullable().optional(),
        connected_clients: z.number().nullable().optional(),
        used_memory_bytes: z.number().nullable().optional(),
        used_memory_peak_bytes: z.number().nullable().optional(),
        ops_per_sec: z.number().nullable().optional(),
        keyspace_hits: z.number().nullable().optional(),
        keyspace_misses: z.number().nullable().optional(),
        evicted_keys: z.number().nullable().optional(),
        keys: z.number().nullable().optional(),
      })
      .openapi({ description: '`configured: false` without REDIS_URL' }),
    queues: z.array(
      z.object({
        queue: z.string(),
        queued: z.number().int(),
        active: z.number().int(),
        failed: z.number().int(),
        completed: z.number().int(),
      }),
    ),
    blob_store: z.object({
      kind: z.string(),
      ok: z.boolean(),
      latency_ms: z.number(),
      error: z.string().optional(),
    }),
  })
  .openapi('AdminSystemHealth');

export const AdminJob = z
  .object({
    name: z.string(),
    description: z.string(),
    schedule: z.string(),
    interval_seconds: z.number(),
    enabled: z.boolean(),
    runs_on: z.string(),
    last_run_at: z.string().nullable().openapi({ description: 'Last completion, where recorded' }),
    last_manual_run: z
      .object({ at: z.string(), by: z.string().nullable() })
      .nullable()
      .openapi({ description: 'The last run-now (from the audit trail): when and which admin' }),
  })
  .openapi('AdminJob');

export const AdminJobList = z.object({ data: z.array(AdminJob) }).openapi('AdminJobList');

export const JobParams = z.object({
  name: z
    .string()
    .max(100)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'data-retention' }),
});

export const AdminJobRun = z
  .object({
    name: z.string(),
    started_at: z.string(),
    finished_at: z.string(),
    result: z.record(z.string(), z.unknown()),
  })
  .openapi('AdminJobRun');
