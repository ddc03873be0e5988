import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { describeEachDatabase, uniqueSuffix } from '../support/harness.ts';

/**
 * Finance, COGS and insights against a seeded data set. Every expected figure is computed here, from the
 * seed (and the raw activity rows registration leaves), with this file's own arithmetic: nothing from
 * src/billing is called. Rates are overridden by env to check that they are read from config.
 */
const RATE = 80;
const RATES = { vision: 2.5, gbMonth: 10, delivery: 0.5, feePct: 2, fixed: 9000 };
const PRICE_USD: Record<string, number> = { hobby: 0, developer: 99, scale: 499, enterprise: 1999 };
const QUOTA: Record<string, number | null> = { hobby: 20, developer: 500, scale: 5000, enterprise: null };
const DAY = 86_400_000;
const GIB = 1024 ** 3;
const rootEmail = `root-${uniqueSuffix()}@example.com`;
const r2 = (n: number) => Math.round(n * 100) / 100;

describeEachDatabase(
  'finance, COGS and insights figures',
  (ctx) => {
    it('match what the seed implies', async () => {
      const { api, platform } = ctx();
      const db = platform.deps.db as Db;
      const now = new Date();
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
      const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
      const inThisMonth = (f: number) =>
        new Date(monthStart.getTime() + (now.getTime() - monthStart.getTime()) * f);
      const ago = (days: number) => new Date(now.getTime() - days * DAY);

      // Tenants: the root admin and five developers.
      const reg = await api.request('POST', '/api/v1/auth/register', {
        json: { email: rootEmail, password: 'correct horse battery staple', name: 'Root' },
      });
      expect(reg.status).toBe(201);
      const rootId = reg.body.id as string;
      const [a, b, c, d, e] = [
        await api.registerDeveloper('A'),
        await api.registerDeveloper('B'),
        await api.registerDeveloper('C'),
        await api.registerDeveloper('D'),
        await api.registerDeveloper('E'),
      ] as const;
      const userA = await api.createUser(a.key);
      const userA2 = await api.createUser(a.key);
      const userB = await api.createUser(b.key);
      const userC = await api.createUser(c.key);
      const login = await api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: rootEmail, password: 'correct horse battery staple' }),
      });
      const asRoot = { auth: { bearer: login.body.access_token as string } };

      // Plans and registration weeks.
      await db.updateTable('developers').set({ plan: 'developer' }).where('id', '=', a.id).execute();
      await db.updateTable('developers').set({ plan: 'scale' }).where('id', '=', b.id).execute();
      const createdAt: Record<string, Date> = { [a.id]: ago(22), [b.id]: ago(8) };
      for (const [id, at] of Object.entries(createdAt))
        await db
          .updateTable('developers')
          .set({ created_at: at } as never)
          .where('id', '=', id)
          .execute();
      // Keys used: A, B, C, D (the root uses a session).
      await db.updateTable('api_keys').set({ last_used_at: null }).execute();
      await db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('developer_id', 'in', [a.id, b.id, c.id, d.id])
        .execute();

      // Subscriptions.
      type Sub = {
        dev: string;
        plan: string;
        status: 'active' | 'cancelled' | 'halted' | 'created';
        activated: Date | null;
        cancelled?: Date;
        updated: Date;
      };
      const subs: Sub[] = [
        {
          dev: a.id,
          plan: 'developer',
          status: 'active',
          activated: new Date(lastMonth.getTime() + 2 * DAY),
          updated: inThisMonth(0.05),
        },
        {
          dev: b.id,
          plan: 'scale',
          status: 'active',
          activated: inThisMonth(0.5),
          updated: inThisMonth(0.5),
        },
        {
          dev: c.id,
          plan: 'developer',
          status: 'cancelled',
          activated: new Date(lastMonth.getTime() + DAY),
          cancelled: inThisMonth(0.3),
          updated: inThisMonth(0.3),
        },
        { dev: d.id, plan: 'developer', status: 'created', activated: null, updated: inThisMonth(0.4) },
        {
          dev: e.id,
          plan: 'scale',
          status: 'halted',
          activated: new Date(lastMonth.getTime() + 3 * DAY),
          updated: inThisMonth(0.2),
        },
      ];
      const subIds: string[] = [];
      for (const s of subs) {
        const id = randomUUID();
        subIds.push(id);
        await db
          .insertInto('billing_subscriptions')
          .values({
            id,
            developer_id: s.dev,
            plan: s.plan,
            status: s.status,
            razorpay_subscription_id: `sub_${uniqueSuffix()}`,
            razorpay_plan_id: `plan_${s.plan}`,
            amount_inr_paise: (PRICE_USD[s.plan] ?? 0) * RATE * 100,
            activated_at: s.activated,
            cancelled_at: s.cancelled ?? null,
            updated_at: s.updated,
          })
          .execute();
      }
      // A plan set by hand (no Razorpay subscription) is not revenue.
      await db
        .insertInto('billing_subscriptions')
        .values({
          id: randomUUID(),
          developer_id: d.id,
          plan: 'enterprise',
          status: 'active',
          activated_at: ago(1),
          updated_at: ago(1),
        })
        .execute();

      // Invoices.
      type Inv = {
        dev: string;
        sub: number;
        plan: string;
        status: 'paid' | 'failed' | 'refunded';
        paise: number;
        paid: Date | null;
        refunded?: number;
        refundedAt?: Date;
        created: Date;
      };
      const invoices: Inv[] = [
        {
          dev: a.id,
          sub: 0,
          plan: 'developer',
          status: 'paid',
          paise: 792_000,
          paid: inThisMonth(0.1),
          created: inThisMonth(0.1),
        },
        {
          dev: a.id,
          sub: 0,
          plan: 'developer',
          status: 'paid',
          paise: 792_000,
          paid: new Date(lastMonth.getTime() + 2 * DAY),
          created: new Date(lastMonth.getTime() + 2 * DAY),
        },
        {
          dev: b.id,
          sub: 1,
          plan: 'scale',
          status: 'refunded',
          paise: 3_992_000,
          paid: inThisMonth(0.6),
          refunded: 1_000_000,
          refundedAt: inThisMonth(0.7),
          created: inThisMonth(0.6),
        },
        {
          dev: c.id,
          sub: 2,
          plan: 'developer',
          status: 'refunded',
          paise: 792_000,
          paid: new Date(lastMonth.getTime() + DAY),
          refunded: 792_000,
          refundedAt: inThisMonth(0.3),
          created: new Date(lastMonth.getTime() + DAY),
        },
        {
          dev: e.id,
          sub: 4,
          plan: 'scale',
          status: 'failed',
          paise: 3_992_000,
          paid: null,
          created: inThisMonth(0.2),
        },
      ];
      for (const [i, v] of invoices.entries())
        await db
          .insertInto('billing_invoices')
          .values({
            id: randomUUID(),
            developer_id: v.dev,
            subscription_id: subIds[v.sub] ?? null,
            plan: v.plan,
            status: v.status,
            amount_inr_paise: v.paise,
            refunded_inr_paise: v.refunded ?? 0,
            razorpay_payment_id: `pay_seed_${i}_${uniqueSuffix()}`,
            paid_at: v.paid,
            refunded_at: v.refundedAt ?? null,
            created_at: v.created,
          } as never)
          .execute();

      // Meal logs (vision recognitions and stored photos).
      type Log = {
        dev: string;
        user: string;
        vision: string | null;
        created: Date;
        bytes: number | null;
        deleted?: boolean;
      };
      const logs: Log[] = [
        { dev: a.id, user: userA.id, vision: 'claude', created: ago(1), bytes: 1_000_000 },
        { dev: a.id, user: userA.id, vision: 'gpt-4o', created: ago(2), bytes: 2_500_000, deleted: true },
        { dev: b.id, user: userB.id, vision: null, created: ago(1), bytes: null },
        { dev: b.id, user: userB.id, vision: 'claude', created: ago(40), bytes: 3_000_000 },
        { dev: c.id, user: userC.id, vision: 'claude', created: ago(0.1), bytes: 500_000 },
      ];
      for (const l of logs)
        await db
          .insertInto('nutrition_logs')
          .values({
            id: randomUUID(),
            developer_id: l.dev,
            user_id: l.user,
            status: l.vision === null ? 'manual' : 'recognized',
            review_state: null,
            detected_at: l.created,
            note: null,
            image_key: l.bytes === null ? null : `seed/${randomUUID()}.jpg`,
            image_content_type: l.bytes === null ? null : 'image/jpeg',
            image_bytes: l.bytes,
            vision_model: l.vision,
            verifier_model: null,
            confidence_score: null,
            verifier_agreed: null,
            job_id: null,
            image_deleted_at: l.deleted ? ago(0.5) : null,
            created_at: l.created,
          } as never)
          .execute();

      // Webhook deliveries (attempts), on an endpoint that is disabled so nothing else delivers.
      const endpointId = `ep_${uniqueSuffix()}`;
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: endpointId,
          developer_id: a.id,
          url: 'https://example.com/hook',
          description: null,
          enabled: false,
          disabled_reason: 'seed',
          secret: 'whsec_seed',
          previous_secret: null,
        } as never)
        .execute();
      const messageId = `msg_${uniqueSuffix()}`;
      await db
        .insertInto('webhook_messages')
        .values({ id: messageId, developer_id: a.id, event_type: 'user.created', payload: '{}' })
        .execute();
      const delivery = await db
        .insertInto('webhook_deliveries')
        .values({
          message_id: messageId,
          endpoint_id: endpointId,
          status: 'failed',
          next_attempt_at: null,
          lease_id: null,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      const attempts = [ago(1), ago(2), ago(2.5), ago(5), ago(45)];
      for (const [i, at] of attempts.entries())
        await db
          .insertInto('webhook_attempts')
          .values({
            delivery_id: delivery.id,
            endpoint_id: endpointId,
            message_id: messageId,
            attempt: i + 1,
            status_code: 500,
            response_excerpt: null,
            error: null,
            duration_ms: 10,
            next_attempt_at: null,
            created_at: at,
          } as never)
          .execute();

      // Connections.
      const conns = [
        { dev: a.id, user: userA.id, provider: 'garmin', status: 'active' },
        { dev: a.id, user: userA2.id, provider: 'oura', status: 'revoked' },
        { dev: b.id, user: userB.id, provider: 'garmin', status: 'active' },
        { dev: c.id, user: userC.id, provider: 'polar', status: 'active' },
      ];
      for (const k of conns)
        await db
          .insertInto('connections')
          .values({
            id: randomUUID(),
            developer_id: k.dev,
            user_id: k.user,
            provider: k.provider,
            status: k.status,
            provider_user_id: null,
            tokens_sealed: null,
            schedule_cron: null,
          } as never)
          .execute();

      // ---- Finance summary ----
      const liveAt = (s: Sub, t: Date) =>
        s.activated !== null && s.activated <= t && (s.status === 'active' || (s.cancelled ?? s.updated) > t);
      const mrrAt = (t: Date) =>
        subs.filter((s) => liveAt(s, t)).reduce((sum, s) => sum + (PRICE_USD[s.plan] ?? 0), 0);
      const mrr = mrrAt(now);
      const mrrStart = mrrAt(monthStart);
      expect(mrr).toBe(99 + 499);
      const paidIn = (from: Date, to: Date) =>
        invoices
          .filter((v) => v.status !== 'failed' && v.paid !== null && v.paid >= from && v.paid < to)
          .reduce((s, v) => s + v.paise, 0) / 100;
      const refundedIn = (from: Date, to: Date) =>
        invoices
          .filter(
            (v) =>
              v.status === 'refunded' &&
              v.refundedAt !== undefined &&
              v.refundedAt >= from &&
              v.refundedAt < to,
          )
          .reduce((s, v) => s + (v.refunded ?? 0), 0) / 100;
      const summary = await api.request('GET', '/api/v1/admin/finance/summary', asRoot);
      expect(summary.status, summary.text).toBe(200);
      expect(summary.body).toMatchObject({
        usd_inr_rate: RATE,
        mrr_usd: mrr,
        mrr_inr: mrr * RATE,
        arr_usd: mrr * 12,
        arr_inr: mrr * 12 * RATE,
        mrr_month_start_usd: mrrStart,
        mom_change_pct: r2(((mrr - mrrStart) / mrrStart) * 100),
        active_subscriptions: 2,
        collected_this_month_inr: paidIn(monthStart, now),
        collected_this_month_usd: r2(paidIn(monthStart, now) / RATE),
        collected_last_month_inr: paidIn(lastMonth, monthStart),
        refunds_this_month_inr: refundedIn(monthStart, now),
        refunds_this_month_usd: r2(refundedIn(monthStart, now) / RATE),
        refunds_this_month_count: 2,
      });

      // ---- Lists and filters ----
      const all = await api.request('GET', '/api/v1/admin/finance/invoices?limit=2', asRoot);
      expect(all.body.pagination).toEqual({ total_count: invoices.length, limit: 2, offset: 0 });
      expect(all.body.data).toHaveLength(2);
      const newest = [...invoices].sort((x, y) => y.created.getTime() - x.created.getTime());
      expect(all.body.data[0].amount_inr).toBe((newest[0]?.paise ?? 0) / 100);
      const scaleRefunded = await api.request(
        'GET',
        '/api/v1/admin/finance/invoices?status=refunded&plan=scale',
        asRoot,
      );
      expect(scaleRefunded.body.data).toHaveLength(1);
      expect(scaleRefunded.body.data[0]).toMatchObject({
        amount_inr: 39_920,
        amount_usd: 499,
        refunded_inr: 10_000,
        refunded_usd: 125,
      });
      const ranged = await api.request(
        'GET',
        `/api/v1/admin/finance/invoices?from=${encodeURIComponent(monthStart.toISOString())}&to=${encodeURIComponent(now.toISOString())}`,
        asRoot,
      );
      expect(ranged.body.pagination.total_count).toBe(
        invoices.filter((v) => v.created >= monthStart && v.created < now).length,
      );
      const halted = await api.request('GET', '/api/v1/admin/finance/subscriptions?status=halted', asRoot);
      expect(halted.body.data.map((s: { developer_id: string }) => s.developer_id)).toEqual([e.id]);
      const page2 = await api.request('GET', '/api/v1/admin/finance/subscriptions?limit=4&offset=4', asRoot);
      expect(page2.body.pagination.total_count).toBe(subs.length + 1);
      expect(page2.body.data).toHaveLength(subs.length + 1 - 4);
      const badRange = await api.request(
        'GET',
        `/api/v1/admin/cogs/summary?from=${encodeURIComponent(now.toISOString())}&to=${encodeURIComponent(ago(1).toISOString())}`,
        asRoot,
      );
      expect(badRange.status).toBe(422);

      // ---- COGS over [now − 30 days, now) ----
      const from = ago(30);
      const cogs = await api.request(
        'GET',
        `/api/v1/admin/cogs/summary?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(now.toISOString())}`,
        asRoot,
      );
      expect(cogs.status, cogs.text).toBe(200);
      const inWindow = (t: Date) => t >= from && t < now;
      const visions = logs.filter((l) => l.vision !== null && inWindow(l.created)).length;
      const storedBytes = logs
        .filter((l) => l.bytes !== null && !l.deleted)
        .reduce((s, l) => s + (l.bytes ?? 0), 0);
      const deliveries = attempts.filter(inWindow).length;
      const paid = paidIn(from, now);
      const expectedLines: Record<string, number> = {
        vision_recognitions: visions * RATES.vision,
        object_storage: (storedBytes / GIB) * RATES.gbMonth,
        webhook_deliveries: deliveries * RATES.delivery,
        razorpay_fees: (paid * RATES.feePct) / 100,
        fixed_infra: RATES.fixed,
      };
      expect(visions).toBe(3);
      expect(deliveries).toBe(4);
      expect(cogs.body.period_months).toBe(1);
      const lines = Object.fromEntries(
        cogs.body.lines.map(
          (l: { key: string; cost_inr: number; cost_usd: number; quantity: number; rate_inr: number }) => [
            l.key,
            l,
          ],
        ),
      );
      expect(Object.keys(lines).sort()).toEqual(Object.keys(expectedLines).sort());
      for (const [key, cost] of Object.entries(expectedLines)) {
        expect(lines[key].cost_inr, key).toBeCloseTo(cost, 2);
        expect(lines[key].cost_usd, key).toBeCloseTo(cost / RATE, 2);
      }
      expect(lines.vision_recognitions).toMatchObject({
        quantity: 3,
        rate_inr: RATES.vision,
        rate_env: 'COST_PER_VISION_RECOGNITION_INR',
      });
      expect(lines.webhook_deliveries.quantity).toBe(4);
      expect(lines.razorpay_fees.rate_inr).toBe(RATES.feePct);
      const total = Object.values(expectedLines).reduce((s, v) => s + v, 0);
      const revenue = paid - refundedIn(from, now);
      expect(cogs.body.total_inr).toBeCloseTo(total, 1);
      expect(cogs.body.revenue_inr).toBeCloseTo(revenue, 2);
      expect(cogs.body.gross_margin_pct).toBeCloseTo(((revenue - total) / revenue) * 100, 1);
      const unit = Object.fromEntries(cogs.body.unit_economics.map((u: { plan: string }) => [u.plan, u]));
      for (const plan of ['hobby', 'developer', 'scale']) {
        const cost = (QUOTA[plan] as number) * 30 * RATES.vision;
        const price = (PRICE_USD[plan] ?? 0) * RATE;
        expect(unit[plan], plan).toMatchObject({
          price_inr: price,
          price_usd: PRICE_USD[plan],
          images_per_month: (QUOTA[plan] as number) * 30,
          vision_cost_inr: cost,
          margin_inr: price - cost,
          negative_margin: price - cost < 0,
        });
      }
      expect(unit.developer.margin_pct).toBeCloseTo(
        ((99 * RATE - 500 * 30 * RATES.vision) / (99 * RATE)) * 100,
        1,
      );
      expect(unit.enterprise).toMatchObject({
        unbounded: true,
        negative_margin: true,
        vision_cost_inr: null,
      });

      // ---- Insights ----
      const ins = await api.request('GET', '/api/v1/admin/insights', asRoot);
      expect(ins.status, ins.text).toBe(200);
      const activated = subs.filter((s) => s.activated !== null);
      const churned = activated.filter((s) => s.status === 'cancelled' || s.status === 'halted');
      const churn = (churned.length / activated.length) * 100;
      const paying = subs.filter((s) => liveAt(s, now)).length;
      const arpu = mrr / paying;
      const tenants = [rootId, a.id, b.id, c.id, d.id, e.id];
      expect(ins.body.financials).toEqual({
        paying_tenants: paying,
        mrr_usd: mrr,
        arpu_usd: arpu,
        ltv_usd: r2(arpu * (100 / churn)),
        estimated_lifespan_months: r2(100 / churn),
        churn_rate_pct: r2(churn),
        free_to_paid_conversion_pct: r2((new Set(activated.map((s) => s.dev)).size / tenants.length) * 100),
      });
      const mix = Object.fromEntries(ins.body.plan_mix.map((p: { plan: string }) => [p.plan, p]));
      expect(mix.developer).toEqual({
        plan: 'developer',
        tenants: 1,
        active: 1,
        monthly_usd: 99,
        contributing_mrr_usd: 99,
        pct_of_mrr: r2((99 / mrr) * 100),
      });
      expect(mix.scale).toMatchObject({
        tenants: 1,
        active: 1,
        contributing_mrr_usd: 499,
        pct_of_mrr: r2((499 / mrr) * 100),
      });
      expect(mix.hobby).toMatchObject({ tenants: 4, active: 0, contributing_mrr_usd: 0 });
      const has = (ids: string[]) => ids.length;
      expect(ins.body.funnel).toEqual([
        { stage: 'registered', count: 6, pct_of_registered: 100 },
        { stage: 'key_used', count: has([a.id, b.id, c.id, d.id]), pct_of_registered: r2((4 / 6) * 100) },
        { stage: 'user_created', count: 3, pct_of_registered: 50 },
        { stage: 'connection', count: 3, pct_of_registered: 50 },
        { stage: 'data', count: new Set(logs.map((l) => l.dev)).size, pct_of_registered: 50 },
      ]);
      expect(ins.body.providers).toEqual([
        { provider: 'garmin', connections: 2, active_connections: 2, tenants: 2 },
        { provider: 'oura', connections: 1, active_connections: 0, tenants: 1 },
        { provider: 'polar', connections: 1, active_connections: 1, tenants: 1 },
      ]);

      // Activity: the raw audit rows (registration, user creation, login) plus the seeded meal logs.
      const audit = await db.selectFrom('audit_logs').select(['developer_id', 'created_at']).execute();
      const activity = [
        ...audit.map((row) => ({ dev: row.developer_id, at: new Date(row.created_at) })),
        ...logs.map((l) => ({ dev: l.dev, at: l.created })),
      ].filter((x) => tenants.includes(x.dev));
      const utcDay = (t: Date) => t.toISOString().slice(0, 10);
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const expectedDau = Array.from({ length: 14 }, (_, i) => {
        const day = utcDay(new Date(today - (13 - i) * DAY));
        return {
          date: day,
          active_developers: new Set(activity.filter((x) => utcDay(x.at) === day).map((x) => x.dev)).size,
        };
      });
      expect(ins.body.dau).toEqual(expectedDau);

      const monday = (t: Date) => {
        const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
        return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
      };
      const firstWeek = monday(now) - 7 * 7 * DAY;
      const registered = new Map(tenants.map((id) => [id, createdAt[id] ?? null]));
      const dbCreated = await db
        .selectFrom('developers')
        .select(['id', 'created_at'])
        .where('id', 'in', tenants)
        .execute();
      for (const row of dbCreated) registered.set(row.id, new Date(row.created_at));
      const expectedCohorts = Array.from({ length: 8 }, (_, i) => {
        const week = firstWeek + i * 7 * DAY;
        const members = tenants.filter((id) => monday(registered.get(id) as Date) === week);
        const retained = Array.from(
          { length: 8 - i },
          (_, k) =>
            members.filter((id) =>
              activity.some(
                (x) =>
                  x.dev === id && x.at >= (registered.get(id) as Date) && monday(x.at) === week + k * 7 * DAY,
              ),
            ).length,
        );
        return {
          cohort_week: utcDay(new Date(week)),
          size: members.length,
          retained,
          retention_pct: retained.map((n) => (members.length === 0 ? 0 : r2((n / members.length) * 100))),
        };
      });
      expect(ins.body.weekly_cohorts).toEqual(expectedCohorts);
      expect(expectedCohorts.filter((x) => x.size > 0).length).toBeGreaterThanOrEqual(2);

      const emails: Record<string, string> = {
        [rootId]: rootEmail,
        [a.id]: a.email,
        [b.id]: b.email,
        [c.id]: c.email,
        [d.id]: d.email,
        [e.id]: e.email,
      };
      const users: Record<string, number> = { [a.id]: 2, [b.id]: 1, [c.id]: 1 };
      const expectedTop = tenants
        .map((id) => ({ id, events: activity.filter((x) => x.dev === id && x.at >= ago(30)).length }))
        .filter((x) => x.events > 0)
        .sort((x, y) => y.events - x.events || ((emails[x.id] as string) < (emails[y.id] as string) ? -1 : 1))
        .map((x) => ({
          developer_id: x.id,
          email: emails[x.id],
          events_30d: x.events,
          users: users[x.id] ?? 0,
        }));
      expect(ins.body.top_developers.map(({ plan: _, ...rest }: { plan: string }) => rest)).toEqual(
        expectedTop,
      );
    });
  },
  {
    worker: false,
    env: {
      SUPERUSER_EMAILS: rootEmail,
      USD_INR_RATE: String(RATE),
      COST_PER_VISION_RECOGNITION_INR: String(RATES.vision),
      COST_PER_GB_STORAGE_INR_PER_MONTH: String(RATES.gbMonth),
      COST_PER_WEBHOOK_DELIVERY_INR: String(RATES.delivery),
      RAZORPAY_FEE_PCT: String(RATES.feePct),
      FIXED_INFRA_INR_PER_MONTH: String(RATES.fixed),
    },
  },
);
