import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';

/**
 * GET /api/v1/dashboard/overview against fixtures whose expected numbers are counted here, in
 * JavaScript, from the fixture's own description (never with the route's SQL). Rows the API cannot
 * produce on demand (a connection needing re-auth, a failed sync from yesterday, a delivery mid-retry)
 * are written straight into the tables the real code writes. Two tenants get the same kinds of data, so
 * a count that leaks across tenants is off by the other tenant's rows.
 */

const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR);

interface RunFixture {
  status: string;
  stage: string;
  createdHoursAgo: number;
}
interface DeliveryFixture {
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  messageHoursAgo: number;
}
interface TenantFixture {
  plan: string;
  /** Users: created this many hours ago; `deleted` ones are being deleted. */
  users: { createdHoursAgo: number; deleted?: boolean }[];
  /** [user index, provider, status] */
  connections: [number, string, string][];
  runs: RunFixture[];
  endpoints: { enabled: boolean; failing: boolean }[];
  deliveries: DeliveryFixture[];
  photosToday: number;
  photosYesterday: number;
}

// Every kind of row on each side of the window's edge (24 h) and of each filter.
const fixtureA: TenantFixture = {
  plan: 'hobby',
  users: [
    { createdHoursAgo: 1 },
    { createdHoursAgo: 2 },
    { createdHoursAgo: 48 },
    { createdHoursAgo: 3, deleted: true },
  ],
  connections: [
    [0, 'sandbox', 'active'],
    [0, 'oura', 'reauth_required'],
    [1, 'oura', 'active'],
    [1, 'whoop', 'revoked'],
    [2, 'oura', 'error'],
    [3, 'oura', 'active'], // the user being deleted: not counted
  ],
  runs: [
    { status: 'success', stage: 'completed', createdHoursAgo: 1 },
    { status: 'success', stage: 'completed', createdHoursAgo: 5 },
    { status: 'partial', stage: 'completed', createdHoursAgo: 2 },
    { status: 'failed', stage: 'failed', createdHoursAgo: 3 },
    { status: 'failed', stage: 'failed', createdHoursAgo: 23 },
    { status: 'cancelled', stage: 'cancelled', createdHoursAgo: 4 },
    { status: 'in_progress', stage: 'queued', createdHoursAgo: 0.1 },
    { status: 'in_progress', stage: 'fetching', createdHoursAgo: 0.5 },
    { status: 'in_progress', stage: 'saving', createdHoursAgo: 30 }, // open for 30 h: still counted
    { status: 'failed', stage: 'failed', createdHoursAgo: 26 }, // before the window
    { status: 'success', stage: 'completed', createdHoursAgo: 50 }, // before the window
  ],
  endpoints: [
    { enabled: true, failing: false },
    { enabled: true, failing: true },
    { enabled: false, failing: true },
  ],
  deliveries: [
    { status: 'succeeded', attempts: 1, messageHoursAgo: 1 },
    { status: 'succeeded', attempts: 3, messageHoursAgo: 10 },
    { status: 'failed', attempts: 8, messageHoursAgo: 20 },
    { status: 'pending', attempts: 0, messageHoursAgo: 0.2 },
    { status: 'pending', attempts: 2, messageHoursAgo: 2 },
    { status: 'pending', attempts: 4, messageHoursAgo: 6 },
    { status: 'succeeded', attempts: 1, messageHoursAgo: 30 }, // before the window
    { status: 'failed', attempts: 8, messageHoursAgo: 40 }, // before the window
  ],
  photosToday: 7,
  photosYesterday: 19,
};

// The other tenant: more of everything, so any leak changes A's numbers.
const fixtureB: TenantFixture = {
  plan: 'enterprise',
  users: [{ createdHoursAgo: 1 }, { createdHoursAgo: 1 }, { createdHoursAgo: 100 }],
  connections: [
    [0, 'sandbox', 'active'],
    [1, 'oura', 'reauth_required'],
    [2, 'polar', 'active'],
  ],
  runs: [
    { status: 'success', stage: 'completed', createdHoursAgo: 1 },
    { status: 'failed', stage: 'failed', createdHoursAgo: 1 },
    { status: 'in_progress', stage: 'queued', createdHoursAgo: 40 },
  ],
  endpoints: [{ enabled: true, failing: true }],
  deliveries: [
    { status: 'failed', attempts: 8, messageHoursAgo: 1 },
    { status: 'pending', attempts: 1, messageHoursAgo: 1 },
  ],
  photosToday: 3,
  photosYesterday: 0,
};

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

async function seed(db: Db, developerId: string, key: string, server: TestServer, f: TenantFixture) {
  await db.updateTable('developers').set({ plan: f.plan }).where('id', '=', developerId).execute();
  const userIds: string[] = [];
  for (const u of f.users) {
    const created = await server.api.createUser(key);
    userIds.push(created.id);
    // created_at is insert-only in the table types: backdated in plain SQL.
    await sql`update users set created_at = ${ago(u.createdHoursAgo)},
                deleted_at = ${u.deleted ? ago(0.5) : null} where id = ${created.id}`.execute(db);
  }
  const connectionIds: string[] = [];
  for (const [userIndex, provider, status] of f.connections) {
    const id = randomUUID();
    connectionIds.push(id);
    await db
      .insertInto('connections')
      .values({
        id,
        developer_id: developerId,
        user_id: userIds[userIndex] as string,
        provider,
        status,
        settings: '{}',
      })
      .execute();
  }
  for (const [i, run] of f.runs.entries()) {
    const open = run.status === 'in_progress';
    await db
      .insertInto('sync_runs')
      .values({
        id: `run_${randomBytes(8).toString('hex')}`,
        developer_id: developerId,
        user_id: userIds[i % userIds.length] as string,
        provider: 'sandbox',
        source: 'pull',
        stage: run.stage,
        status: run.status,
        created_at: ago(run.createdHoursAgo),
        started_at: run.stage === 'queued' ? null : ago(run.createdHoursAgo),
        ended_at: open ? null : ago(run.createdHoursAgo - 0.05),
      })
      .execute();
  }
  const endpointIds: string[] = [];
  for (const e of f.endpoints) {
    const id = `ep_${randomBytes(12).toString('base64url')}`;
    endpointIds.push(id);
    await db
      .insertInto('webhook_endpoints')
      .values({
        id,
        developer_id: developerId,
        url: 'https://receiver.example/hook',
        description: null,
        filter_types: [],
        enabled: e.enabled,
        disabled_reason: e.enabled ? null : 'disabled after failing persistently',
        failing_since: e.failing ? ago(1) : null,
        consecutive_failures: e.failing ? 3 : 0,
        secret: 'whsec_test',
      })
      .execute();
  }
  for (const [i, d] of f.deliveries.entries()) {
    const messageId = `msg_${randomBytes(12).toString('base64url')}`;
    await db
      .insertInto('webhook_messages')
      .values({
        id: messageId,
        developer_id: developerId,
        event_type: 'sync.completed',
        payload: '{}',
        created_at: ago(d.messageHoursAgo),
      })
      .execute();
    await db
      .insertInto('webhook_deliveries')
      .values({
        message_id: messageId,
        endpoint_id: endpointIds[i % endpointIds.length] as string,
        status: d.status,
        attempts: d.attempts,
        // Far ahead, so nothing would pick a pending one up even with a delivery loop running.
        next_attempt_at: d.status === 'pending' ? new Date(Date.now() + 48 * HOUR) : null,
        created_at: ago(d.messageHoursAgo),
      })
      .execute();
  }
  const usage = [
    { developer_id: developerId, day: utcDay(new Date()), used: f.photosToday },
    { developer_id: developerId, day: utcDay(ago(24)), used: f.photosYesterday },
  ].filter((row) => row.used > 0);
  if (usage.length > 0) await db.insertInto('nutrition_image_usage').values(usage).execute();
}

/** What the overview must say about a fixture, counted the plain way. */
function expected(f: TenantFixture) {
  const live = f.users.map((u, i) => ({ ...u, i })).filter((u) => !u.deleted);
  const liveIndexes = new Set(live.map((u) => u.i));
  const connections = f.connections.filter(([u]) => liveIndexes.has(u));
  const byProvider = new Map<
    string,
    { provider: string; total: number; by_status: Record<string, number> }
  >();
  for (const [, provider, status] of connections) {
    const entry = byProvider.get(provider) ?? { provider, total: 0, by_status: {} };
    entry.total += 1;
    entry.by_status[status] = (entry.by_status[status] ?? 0) + 1;
    byProvider.set(provider, entry);
  }
  const counted = f.runs.filter((r) => r.createdHoursAgo < 24 || r.status === 'in_progress');
  const outcome = (r: RunFixture) =>
    r.status === 'success'
      ? 'succeeded'
      : r.status === 'in_progress'
        ? r.stage === 'queued'
          ? 'queued'
          : 'running'
        : r.status;
  const runsBy = (name: string) => counted.filter((r) => outcome(r) === name).length;
  const windowDeliveries = f.deliveries.filter((d) => d.messageHoursAgo < 24);
  const deliveriesWhere = (p: (d: DeliveryFixture) => boolean) => windowDeliveries.filter(p).length;
  const limits: Record<string, number | null> = { hobby: 20, developer: 500, scale: 5000, enterprise: null };
  return {
    users: { total: live.length, created_in_window: live.filter((u) => u.createdHoursAgo < 24).length },
    connections: {
      total: connections.length,
      by_provider: [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider)),
    },
    sync_runs: {
      total: counted.length,
      by_outcome: {
        succeeded: runsBy('succeeded'),
        partial: runsBy('partial'),
        failed: runsBy('failed'),
        cancelled: runsBy('cancelled'),
        running: runsBy('running'),
        queued: runsBy('queued'),
      },
    },
    webhooks: {
      endpoints: {
        total: f.endpoints.length,
        enabled: f.endpoints.filter((e) => e.enabled).length,
        disabled: f.endpoints.filter((e) => !e.enabled).length,
        failing: f.endpoints.filter((e) => e.enabled && e.failing).length,
      },
      deliveries: {
        total: windowDeliveries.length,
        delivered: deliveriesWhere((d) => d.status === 'succeeded'),
        failed: deliveriesWhere((d) => d.status === 'failed'),
        pending: deliveriesWhere((d) => d.status === 'pending' && d.attempts === 0),
        retrying: deliveriesWhere((d) => d.status === 'pending' && d.attempts > 0),
      },
    },
    nutrition: { plan: f.plan, limit: limits[f.plan], used: f.photosToday },
  };
}

describeEachDatabase(
  'dashboard overview',
  (ctx) => {
    it("counts one tenant's users, connections, runs, webhooks and photo quota, and nothing of another's", async () => {
      const server = ctx();
      const { api, platform } = server;
      const a = await api.registerDeveloper('A');
      const b = await api.registerDeveloper('B');
      await seed(platform.deps.db, a.id, a.key, server, fixtureA);
      await seed(platform.deps.db, b.id, b.key, server, fixtureB);

      for (const [dev, fixture] of [
        [a, fixtureA],
        [b, fixtureB],
      ] as const) {
        const res = await api.request('GET', '/api/v1/dashboard/overview', { auth: { key: dev.key } });
        expect(res.status, res.text).toBe(200);
        const want = expected(fixture);
        expect(res.body).toMatchObject({
          users: want.users,
          // Registration's default key is the only one.
          api_keys: { total: 1 },
          sync_runs: want.sync_runs,
          webhooks: want.webhooks,
          nutrition: { ...want.nutrition, day: utcDay(new Date()) },
        });
        expect({
          total: res.body.connections.total,
          by_provider: [...res.body.connections.by_provider].sort(
            (x: { provider: string }, y: { provider: string }) => x.provider.localeCompare(y.provider),
          ),
        }).toEqual(want.connections);
        const generated = Date.parse(res.body.generated_at);
        expect(generated - Date.parse(res.body.window_start)).toBe(24 * HOUR);
        expect(Date.parse(res.body.nutrition.resets_at)).toBe(
          Date.parse(`${res.body.nutrition.day}T00:00:00Z`) + 24 * HOUR,
        );
      }

      // Spot-check the hand-written fixture against the counting above, so a slip in both cannot agree.
      const sum = expected(fixtureA);
      expect(sum.users).toEqual({ total: 3, created_in_window: 2 });
      expect(sum.sync_runs.by_outcome).toEqual({
        succeeded: 2,
        partial: 1,
        failed: 2,
        cancelled: 1,
        running: 2,
        queued: 1,
      });
      expect(sum.webhooks.deliveries).toEqual({ total: 6, delivered: 2, failed: 1, pending: 1, retrying: 2 });
      expect(sum.connections.total).toBe(5);
    });

    it('is all zeros for a new tenant, answers a session too, and refuses without credentials', async () => {
      const { api } = ctx();
      const dev = await api.registerDeveloper('Empty');
      const login = await api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: dev.email, password: dev.password }),
      });
      expect(login.status).toBe(200);
      const res = await api.request('GET', '/api/v1/dashboard/overview', {
        auth: { bearer: login.body.access_token },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        users: { total: 0, created_in_window: 0 },
        api_keys: { total: 1 },
        connections: { total: 0, by_provider: [] },
        sync_runs: {
          total: 0,
          by_outcome: { succeeded: 0, partial: 0, failed: 0, cancelled: 0, running: 0, queued: 0 },
        },
        webhooks: {
          endpoints: { total: 0, enabled: 0, disabled: 0, failing: 0 },
          deliveries: { total: 0, delivered: 0, failed: 0, pending: 0, retrying: 0 },
        },
        nutrition: { plan: 'hobby', limit: 20, used: 0 },
      });
      expect((await api.request('GET', '/api/v1/dashboard/overview')).status).toBe(401);
    });
  },
  // No sync worker or delivery loop: nothing may move the seeded rows while they are counted.
  { worker: false },
);
