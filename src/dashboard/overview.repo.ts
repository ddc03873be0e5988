import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { imageQuotaStatus, utcDay } from '../nutrition/quota.ts';

/**
 * The numbers of the dashboard's overview page, for one tenant (the developer id every data table is
 * keyed by). Each part is one or two aggregate queries that start from an index on the tenant (users,
 * webhook endpoints and messages are indexed by developer; sync runs through their users), so the page
 * costs the same for a tenant with ten users as for one with a million rows elsewhere.
 */

export const OVERVIEW_WINDOW_HOURS = 24;

/** Sync outcomes as the overview counts them: a run's status, with open runs split by whether they started. */
export const syncOutcomes = ['succeeded', 'partial', 'failed', 'cancelled', 'running', 'queued'] as const;
export type SyncOutcome = (typeof syncOutcomes)[number];

export interface ConnectionCounts {
  provider: string;
  total: number;
  /** By connection status: active, reauth_required, error, revoked (only the ones present). */
  by_status: Record<string, number>;
}

export interface Overview {
  generated_at: Date;
  window_start: Date;
  users: { total: number; created_in_window: number };
  api_keys: { total: number };
  connections: { total: number; by_provider: ConnectionCounts[] };
  sync_runs: { total: number; by_outcome: Record<SyncOutcome, number> };
  webhooks: {
    endpoints: { total: number; enabled: number; disabled: number; failing: number };
    deliveries: { total: number; delivered: number; failed: number; pending: number; retrying: number };
  };
  nutrition: { day: string; plan: string; limit: number | null; used: number };
}

const int = (value: unknown) => Number(value ?? 0);

async function userCounts(db: Db, tenantId: string, since: Date) {
  // Users whose deletion has started are gone for the API (users.repo.ts), so they are not counted.
  const row = await db
    .selectFrom('users')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where created_at >= ${since}))::int`.as('recent'),
    ])
    .where('developer_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { total: int(row.total), created_in_window: int(row.recent) };
}

async function apiKeyCount(db: Db, tenantId: string) {
  const row = await db
    .selectFrom('api_keys')
    .select(sql<number>`count(*)::int`.as('total'))
    .where('developer_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return { total: int(row.total) };
}

async function connectionCounts(db: Db, tenantId: string) {
  const rows = await db
    .selectFrom('connections as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.provider', 'c.status', sql<number>`count(*)::int`.as('n')])
    .where('u.developer_id', '=', tenantId)
    .where('c.developer_id', '=', tenantId)
    .where('u.deleted_at', 'is', null)
    .groupBy(['c.provider', 'c.status'])
    .orderBy('c.provider')
    .orderBy('c.status')
    .execute();
  const byProvider = new Map<string, ConnectionCounts>();
  for (const row of rows) {
    let entry = byProvider.get(row.provider);
    if (entry === undefined) {
      entry = { provider: row.provider, total: 0, by_status: {} };
      byProvider.set(row.provider, entry);
    }
    entry.by_status[row.status] = int(row.n);
    entry.total += int(row.n);
  }
  const list = [...byProvider.values()];
  return { total: list.reduce((sum, p) => sum + p.total, 0), by_provider: list };
}

/**
 * Runs created in the window, plus every run still open whatever its age (an open run is current, and
 * one stuck for days is exactly what the page should show). Two queries so each uses its index: the
 * window through the tenant's users (sync_runs_user_created_idx), open runs through sync_runs_open_idx.
 */
async function syncRunCounts(db: Db, tenantId: string, since: Date) {
  const outcome = sql<string>`case
      when r.status = 'success' then 'succeeded'
      when r.status = 'in_progress' and r.stage = 'queued' then 'queued'
      when r.status = 'in_progress' then 'running'
      else r.status end`;
  const recent = db
    .selectFrom('users as u')
    .innerJoin('sync_runs as r', 'r.user_id', 'u.id')
    .select([outcome.as('outcome'), sql<number>`count(*)::int`.as('n')])
    .where('u.developer_id', '=', tenantId)
    .where('r.developer_id', '=', tenantId)
    .where('r.created_at', '>=', since)
    .groupBy(sql`1`);
  const olderOpen = db
    .selectFrom('sync_runs as r')
    .select([outcome.as('outcome'), sql<number>`count(*)::int`.as('n')])
    .where('r.ended_at', 'is', null)
    .where('r.created_at', '<', since)
    .where('r.developer_id', '=', tenantId)
    .groupBy(sql`1`);
  const [a, b] = await Promise.all([recent.execute(), olderOpen.execute()]);
  const by_outcome = Object.fromEntries(syncOutcomes.map((o) => [o, 0])) as Record<SyncOutcome, number>;
  for (const row of [...a, ...b])
    if (row.outcome in by_outcome) by_outcome[row.outcome as SyncOutcome] += int(row.n);
  return { total: Object.values(by_outcome).reduce((sum, n) => sum + n, 0), by_outcome };
}

async function webhookCounts(db: Db, tenantId: string, since: Date) {
  const endpoints = await db
    .selectFrom('webhook_endpoints')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where enabled))::int`.as('enabled'),
      // Failing: still enabled, but its last attempts failed (it is disabled once that lasts; delivery.ts).
      sql<number>`(count(*) filter (where enabled and failing_since is not null))::int`.as('failing'),
    ])
    .where('developer_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  // Deliveries of the events of the window (messages are indexed by developer and time), by where
  // each stands now: a pending one that has been tried already is retrying.
  const deliveries = await db
    .selectFrom('webhook_messages as m')
    .innerJoin('webhook_deliveries as d', 'd.message_id', 'm.id')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where d.status = 'succeeded'))::int`.as('delivered'),
      sql<number>`(count(*) filter (where d.status = 'failed'))::int`.as('failed'),
      sql<number>`(count(*) filter (where d.status = 'pending' and d.attempts = 0))::int`.as('pending'),
      sql<number>`(count(*) filter (where d.status = 'pending' and d.attempts > 0))::int`.as('retrying'),
    ])
    .where('m.developer_id', '=', tenantId)
    .where('m.created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return {
    endpoints: {
      total: int(endpoints.total),
      enabled: int(endpoints.enabled),
      disabled: int(endpoints.total) - int(endpoints.enabled),
      failing: int(endpoints.failing),
    },
    deliveries: {
      total: int(deliveries.total),
      delivered: int(deliveries.delivered),
      failed: int(deliveries.failed),
      pending: int(deliveries.pending),
      retrying: int(deliveries.retrying),
    },
  };
}

/**
 * Everything the overview shows for one tenant at `now`.
 *
 * @example
 * const overview = await tenantOverview(db, principal.developerId, new Date());
 * overview.sync_runs.by_outcome.failed; // runs of the last 24 h that failed
 */
export async function tenantOverview(db: Db, tenantId: string, now: Date): Promise<Overview> {
  const since = new Date(now.getTime() - OVERVIEW_WINDOW_HOURS * 3_600_000);
  const [users, api_keys, connections, sync_runs, webhooks, quota] = await Promise.all([
    userCounts(db, tenantId, since),
    apiKeyCount(db, tenantId),
    connectionCounts(db, tenantId),
    syncRunCounts(db, tenantId, since),
    webhookCounts(db, tenantId, since),
    imageQuotaStatus(db, tenantId, now),
  ]);
  return {
    generated_at: now,
    window_start: since,
    users,
    api_keys,
    connections,
    sync_runs,
    webhooks,
    nutrition: { day: utcDay(now), ...quota },
  };
}
