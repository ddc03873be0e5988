import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';
import { addMember } from '../team/support.ts';

const ROOT = 'root-overview@example.com';
const PASSWORD = 'correct horse battery staple';
const DAY = 86_400_000;
const PRICE_USD = { hobby: 0, developer: 99, scale: 499, enterprise: 1999 } as const;

/** The seeded tenants: plan, age in days, verified, locked, failed logins in the last hour, subscription. */
const SEED = [
  { key: 't1', plan: 'developer', ageDays: 3, verified: true, locked: false, failures: 0, sub: 'active' },
  { key: 't2', plan: 'developer', ageDays: 3, verified: false, locked: true, failures: 0, sub: 'cancelled' },
  { key: 't3', plan: 'scale', ageDays: 10, verified: true, locked: false, failures: 2, sub: 'active' },
  { key: 't4', plan: 'hobby', ageDays: 20, verified: false, locked: false, failures: 3, sub: null },
  { key: 't5', plan: 'enterprise', ageDays: 40, verified: false, locked: false, failures: 4, sub: null },
] as const;

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function seed(server: TestServer) {
  const { api } = server;
  const db = server.platform.deps.db;
  const reg = async (email: string, name: string) => {
    const res = await api.request('POST', '/api/v1/auth/register', {
      json: { email, password: PASSWORD, name },
    });
    if (res.status !== 201) throw new Error(res.text);
    return { id: res.body.id as string, key: res.body.api_key.key as string, email };
  };
  const root = await reg(ROOT, 'Root');
  const ids: Record<string, { id: string; key: string; email: string }> = {};
  const now = Date.now();
  for (const t of SEED) {
    const dev = await reg(`${t.key}-seed@example.com`, `Tenant ${t.key}`);
    ids[t.key] = dev;
    await db
      .updateTable('developers')
      .set({
        plan: t.plan,
        email_verified_at: t.verified ? new Date() : null,
        locked_until: t.locked ? new Date(now + DAY) : null,
      })
      .where('id', '=', dev.id)
      .execute();
    // created_at is never written by the app: backdated here for the signup curve.
    await sql`update developers set created_at = ${new Date(now - t.ageDays * DAY)} where id = ${dev.id}`.execute(
      db,
    );
    for (let i = 0; i < t.failures; i++) {
      await api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: dev.email, password: 'wrong password!' }),
      });
    }
    if (t.sub !== null) {
      await db
        .insertInto('billing_subscriptions')
        .values({
          id: randomUUID(),
          developer_id: dev.id,
          plan: t.plan,
          status: t.sub,
          razorpay_subscription_id: `sub_${t.key}_${randomUUID().slice(0, 8)}`,
          amount_inr_paise: String(PRICE_USD[t.plan] * 84 * 100),
          activated_at: new Date(now - 2 * DAY),
          cancelled_at: t.sub === 'cancelled' ? new Date(now - DAY) : null,
        })
        .execute();
    }
  }
  const t1 = ids.t1 as { id: string; key: string; email: string };
  await addMember(api, t1.key, 'viewer', 'member-seed@example.com');
  await api.createUser(t1.key, { email: 'alice@wearer.example' });
  await api.createUser(t1.key, { email: 'bob@wearer.example', first_name: 'Bob' });
  for (const [status, n] of [
    ['open', 2],
    ['resolved', 1],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await db
        .insertInto('support_tickets')
        .values({ id: randomUUID(), email: `c${i}@example.com`, subject: 'Help', message: 'Please', status })
        .execute();
    }
  }
  return { root, ids };
}

describeEachDatabase(
  'admin overview against a seeded set',
  (ctx) => {
    let seeded: Awaited<ReturnType<typeof seed>> | undefined;
    const seeds = async () => {
      seeded ??= await seed(ctx());
      return seeded;
    };

    it('counts tenants, plans, 14-day signups, MRR/ARR and the things to do as computed here', async () => {
      const { root, ids } = await seeds();
      const res = await ctx().api.request('GET', '/api/v1/admin/overview', { auth: { key: root.key } });
      expect(res.status, res.text).toBe(200);
      const o = res.body;

      // Independently: the root (hobby, today, unverified) plus the seed; one team member.
      const tenants = [{ plan: 'hobby', ageDays: 0, verified: false, locked: false }, ...SEED];
      expect(o.tenants).toEqual({
        total: tenants.length,
        team_members: 1,
        verified: tenants.filter((t) => t.verified).length,
        new_last_7_days: tenants.filter((t) => t.ageDays < 7).length,
        new_last_30_days: tenants.filter((t) => t.ageDays < 30).length,
      });
      for (const plan of Object.keys(PRICE_USD) as (keyof typeof PRICE_USD)[]) {
        const n = tenants.filter((t) => t.plan === plan).length;
        expect(o.plan_distribution.find((p: { plan: string }) => p.plan === plan)).toEqual({
          plan,
          tenants: n,
          pct: Math.round((n / tenants.length) * 1000) / 10,
        });
      }
      const now = Date.now();
      const expectedDays = Array.from({ length: 14 }, (_, i) => {
        const date = dayOf(now - (13 - i) * DAY);
        return { date, signups: tenants.filter((t) => dayOf(now - t.ageDays * DAY) === date).length };
      });
      expect(o.signups).toEqual(expectedDays);
      const mrrUsd = SEED.filter((t) => t.sub === 'active').reduce((sum, t) => sum + PRICE_USD[t.plan], 0);
      expect(o.revenue).toEqual({
        mrr: { usd: mrrUsd, inr: mrrUsd * 84 },
        arr: { usd: mrrUsd * 12, inr: mrrUsd * 12 * 84 },
        usd_inr_rate: 84,
      });
      // Every account (the member included) that is not verified; bursts: 3 or more failures this hour.
      const bursts = SEED.filter((t) => t.failures >= 3)
        .map((t) => ({
          developer_id: ids[t.key]?.id,
          email: `${t.key}-seed@example.com`,
          failures: t.failures,
        }))
        .sort((a, b) => b.failures - a.failures);
      expect(o.things_to_do).toMatchObject({
        pending_nutrition_reviews: 0,
        open_support_tickets: 2,
        locked_developers: SEED.filter((t) => t.locked).length,
        unverified_accounts: tenants.filter((t) => !t.verified).length + 1,
      });
      expect(
        o.things_to_do.failed_login_bursts.map((b: Record<string, unknown>) => ({
          developer_id: b.developer_id,
          email: b.email,
          failures: b.failures,
        })),
      ).toEqual(bursts);
    });

    it('searches developers (q, plan, locked, superuser, paging) and shows one in detail', async () => {
      const { root, ids } = await seeds();
      const { api } = ctx();
      const get = async (query: string) =>
        (await api.request('GET', `/api/v1/admin/developers?${query}`, { auth: { key: root.key } })).body;
      const t1 = ids.t1 as { id: string };
      expect((await get('q=T1-SEED')).data.map((d: { id: string }) => d.id)).toEqual([t1.id]);
      expect((await get('q=tenant%20t')).total).toBe(5);
      expect((await get('q=%25')).total).toBe(0); // % is literal
      expect((await get('plan=scale')).data.map((d: { id: string }) => d.id)).toEqual([ids.t3?.id]);
      expect((await get('locked=true')).data.map((d: { id: string }) => d.id)).toEqual([ids.t2?.id]);
      expect((await get('superuser=true')).data.map((d: { email: string }) => d.email)).toEqual([ROOT]);
      const all = await get('limit=2&offset=0');
      expect(all.total).toBe(7);
      const second = await get('limit=2&offset=2');
      expect(second.data.map((d: { id: string }) => d.id)).not.toContain(all.data[0].id);
      expect(
        (await api.request('GET', '/api/v1/admin/developers?limit=0', { auth: { key: root.key } })).status,
      ).toBe(422);

      const detail = await api.request('GET', `/api/v1/admin/developers/${t1.id}`, {
        auth: { key: root.key },
      });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: t1.id,
        plan: 'developer',
        tenant: null,
        counts: { api_keys: 1, end_users: 2 },
        subscription: { plan: 'developer', status: 'active' },
        team_members: [{ email: 'member-seed@example.com', role: 'viewer' }],
      });
      const actions = detail.body.recent_audit.map((r: { action: string }) => r.action);
      expect(actions).toContain('developer.registered');
      expect(actions).toContain('user.created'); // by its API key
      expect(detail.body.recent_audit.length).toBeLessThanOrEqual(20);
    });

    it('searches end users across tenants and shows one with its developer', async () => {
      const { root, ids } = await seeds();
      const { api } = ctx();
      const list = await api.request('GET', '/api/v1/admin/end-users?q=wearer.example', {
        auth: { key: root.key },
      });
      expect(list.body.total).toBe(2);
      expect(
        list.body.data.every((u: { developer_email: string }) => u.developer_email === 't1-seed@example.com'),
      ).toBe(true);
      const bob = list.body.data.find((u: { email: string }) => u.email === 'bob@wearer.example');
      const detail = await api.request('GET', `/api/v1/admin/end-users/${bob.id}`, {
        auth: { key: root.key },
      });
      expect(detail.body).toMatchObject({
        id: bob.id,
        developer_id: ids.t1?.id,
        developer_email: 't1-seed@example.com',
        developer_plan: 'developer',
        first_name: 'Bob',
        connections: [],
      });
      expect(
        (await api.request('GET', `/api/v1/admin/end-users/${randomUUID()}`, { auth: { key: root.key } }))
          .status,
      ).toBe(404);
    });

    it('walks the cross-tenant audit timeline with action, prefix, since, q and a cursor', async () => {
      const { root, ids } = await seeds();
      const { api } = ctx();
      const get = async (query: string) =>
        api.request('GET', `/api/v1/admin/audit?${query}`, { auth: { key: root.key } });
      const failed = (await get('action=developer.login_failed&limit=200')).body.data;
      expect(failed).toHaveLength(SEED.reduce((n, t) => n + t.failures, 0));
      const trails = new Set(failed.map((r: { developer_id: string }) => r.developer_id));
      expect(trails.size).toBe(SEED.filter((t) => t.failures > 0).length);
      const prefixed = (await get('prefix=developer.&limit=200')).body.data;
      expect(prefixed.every((r: { action: string }) => r.action.startsWith('developer.'))).toBe(true);
      expect((await get('action=developer.*&limit=200')).body.data).toHaveLength(prefixed.length);
      const byEmail = (await get(`q=t4-seed&limit=200`)).body.data;
      expect(byEmail.length).toBeGreaterThan(0);
      expect(byEmail.every((r: { developer_id: string }) => r.developer_id === ids.t4?.id)).toBe(true);
      expect((await get('since=2999-01-01')).body.data).toEqual([]);
      expect((await get('action=nope')).status).toBe(422);
      expect((await get('cursor=garbage')).status).toBe(422);

      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page = await get(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((r: { id: number }) => r.id));
        cursor = page.body.next_cursor;
      } while (cursor !== null);
      const everything = (await get('limit=200')).body.data.map((r: { id: number }) => r.id);
      expect(seen).toEqual(everything);
      expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    });
  },
  { env: { SUPERUSER_EMAILS: ROOT, LOGIN_LOCKOUT_THRESHOLD: '10' }, worker: false },
);
