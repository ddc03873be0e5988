import { sql } from 'kysely';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { liveSubscriptionsByPlan } from './finance.repo.ts';
import { monthlyPriceUsd, PLAN_NAMES } from './price-book.ts';

/**
 * SaaS metrics over every tenant (team members are not tenants). "Activity" of a tenant is anything it
 * did that left a row: an audited action, a sync run, a meal log, by its created_at (UTC days and
 * ISO weeks, which start on Monday).
 */
const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

const activity = sql`(
  select developer_id, created_at from audit_logs
  union all select developer_id, created_at from sync_runs
  union all select developer_id, created_at from nutrition_logs
)`;

/** Churn with no history: assume a year's lifetime (spec 001). */
export const DEFAULT_LIFESPAN_MONTHS = 12;

export async function financials(db: Db) {
  const byPlan = await liveSubscriptionsByPlan(db);
  let paying = 0;
  let mrrUsd = 0;
  for (const [plan, n] of byPlan) {
    paying += n;
    mrrUsd += n * monthlyPriceUsd(plan);
  }
  const subs = await sql<{ activated: string; churned: string; converted: string; tenants: string }>`
    select
      (select count(*) from billing_subscriptions where razorpay_subscription_id is not null and activated_at is not null) as activated,
      (select count(*) from billing_subscriptions where razorpay_subscription_id is not null and activated_at is not null
         and status in ('cancelled', 'halted', 'expired')) as churned,
      (select count(distinct developer_id) from billing_subscriptions where razorpay_subscription_id is not null and activated_at is not null) as converted,
      (select count(*) from developers where tenant_id is null) as tenants`.execute(db);
  const row = subs.rows[0] ?? { activated: '0', churned: '0', converted: '0', tenants: '0' };
  const activated = Number(row.activated);
  const churnPct = activated === 0 ? 0 : round2((Number(row.churned) / activated) * 100);
  const lifespan = churnPct > 0 ? round2(100 / churnPct) : DEFAULT_LIFESPAN_MONTHS;
  const arpu = paying === 0 ? 0 : round2(mrrUsd / paying);
  const tenants = Number(row.tenants);
  return {
    byPlan,
    mrrUsd,
    financials: {
      paying_tenants: paying,
      mrr_usd: round2(mrrUsd),
      arpu_usd: arpu,
      ltv_usd: round2(arpu * lifespan),
      estimated_lifespan_months: lifespan,
      churn_rate_pct: churnPct,
      free_to_paid_conversion_pct: tenants === 0 ? 0 : round2((Number(row.converted) / tenants) * 100),
    },
  };
}

export async function planMix(db: Db, byPlan: Map<string, number>, mrrUsd: number) {
  const tenants = await db
    .selectFrom('developers')
    .select(['plan', (eb) => eb.fn.countAll<string>().as('n')])
    .where('tenant_id', 'is', null)
    .groupBy('plan')
    .execute();
  const tenantsOf = new Map(tenants.map((r) => [r.plan, Number(r.n)]));
  return PLAN_NAMES.map((plan) => {
    const active = byPlan.get(plan) ?? 0;
    const contributing = active * monthlyPriceUsd(plan);
    return {
      plan,
      tenants: tenantsOf.get(plan) ?? 0,
      active,
      monthly_usd: monthlyPriceUsd(plan),
      contributing_mrr_usd: round2(contributing),
      pct_of_mrr: mrrUsd === 0 ? 0 : round2((contributing / mrrUsd) * 100),
    };
  });
}

export async function activationFunnel(db: Db) {
  const r = await sql<Record<string, string>>`
    select
      count(*) as registered,
      count(*) filter (where exists (select 1 from api_keys k where k.developer_id = d.id and k.last_used_at is not null)) as key_used,
      count(*) filter (where exists (select 1 from users u where u.developer_id = d.id)) as user_created,
      count(*) filter (where exists (select 1 from connections c where c.developer_id = d.id)) as connection,
      count(*) filter (where exists (select 1 from users u join data_sources s on s.user_id = u.id where u.developer_id = d.id)
                          or exists (select 1 from nutrition_logs n where n.developer_id = d.id)) as data
    from developers d where d.tenant_id is null`.execute(db);
  const row = r.rows[0] ?? {};
  const registered = Number(row.registered ?? 0);
  return (['registered', 'key_used', 'user_created', 'connection', 'data'] as const).map((stage) => {
    const count = Number(row[stage] ?? 0);
    return { stage, count, pct_of_registered: registered === 0 ? 0 : round2((count / registered) * 100) };
  });
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** Distinct active tenants per UTC day over the last `days` days (today included), zeros filled in. */
export async function dailyActiveDevelopers(db: Db, now: Date, days = 14) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (days - 1) * DAY_MS);
  const r = await sql<{ day: string; n: string }>`
    select to_char(date_trunc('day', a.created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
           count(distinct a.developer_id) as n
    from ${activity} a join developers d on d.id = a.developer_id and d.tenant_id is null
    where a.created_at >= ${since}
    group by 1`.execute(db);
  const byDay = new Map(r.rows.map((row) => [row.day, Number(row.n)]));
  return Array.from({ length: days }, (_, i) => {
    const day = dayOf(new Date(since.getTime() + i * DAY_MS));
    return { date: day, active_developers: byDay.get(day) ?? 0 };
  });
}

/** Monday 00:00 UTC of the ISO week of `at`. */
export function weekStart(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
  return new Date(day - weekday * DAY_MS);
}

/**
 * Tenants registered in each of the last `weeks` ISO weeks, and how many of them were active in each
 * week since (week 0: the week they registered).
 */
export async function weeklyCohorts(db: Db, now: Date, weeks = 8) {
  const first = new Date(weekStart(now).getTime() - (weeks - 1) * 7 * DAY_MS);
  const r = await sql<{ cohort: string; developer_id: string; week: string | null }>`
    select to_char(date_trunc('week', d.created_at at time zone 'UTC'), 'YYYY-MM-DD') as cohort,
           d.id as developer_id,
           to_char(date_trunc('week', a.created_at at time zone 'UTC'), 'YYYY-MM-DD') as week
    from developers d
    left join ${activity} a on a.developer_id = d.id and a.created_at >= d.created_at
    where d.tenant_id is null and d.created_at >= ${first}
    group by 1, 2, 3`.execute(db);
  const cohorts = new Map<string, { members: Set<string>; active: Map<number, Set<string>> }>();
  for (const row of r.rows) {
    let cohort = cohorts.get(row.cohort);
    if (cohort === undefined) {
      cohort = { members: new Set(), active: new Map() };
      cohorts.set(row.cohort, cohort);
    }
    cohort.members.add(row.developer_id);
    if (row.week === null) continue;
    const offset = Math.round(
      (Date.parse(`${row.week}T00:00:00Z`) - Date.parse(`${row.cohort}T00:00:00Z`)) / (7 * DAY_MS),
    );
    let set = cohort.active.get(offset);
    if (set === undefined) {
      set = new Set();
      cohort.active.set(offset, set);
    }
    set.add(row.developer_id);
  }
  return Array.from({ length: weeks }, (_, i) => {
    const start = new Date(first.getTime() + i * 7 * DAY_MS);
    const key = dayOf(start);
    const cohort = cohorts.get(key);
    const size = cohort?.members.size ?? 0;
    const span = weeks - i; // weeks from the cohort's to the current one, inclusive
    const retained = Array.from({ length: span }, (_, k) => cohort?.active.get(k)?.size ?? 0);
    return {
      cohort_week: key,
      size,
      retained,
      retention_pct: retained.map((n) => (size === 0 ? 0 : round2((n / size) * 100))),
    };
  });
}

export async function providerPopularity(db: Db) {
  const rows = await db
    .selectFrom('connections')
    .select([
      'provider',
      (eb) => eb.fn.countAll<string>().as('connections'),
      (eb) => eb.fn.count<string>('developer_id').distinct().as('tenants'),
      sql<string>`count(*) filter (where status = 'active')`.as('active'),
    ])
    .groupBy('provider')
    .orderBy('connections', 'desc')
    .orderBy('provider')
    .execute();
  return rows.map((r) => ({
    provider: r.provider,
    connections: Number(r.connections),
    active_connections: Number(r.active),
    tenants: Number(r.tenants),
  }));
}

/** The tenants with the most activity rows in the last 30 days. */
export async function topDevelopers(db: Db, now: Date, limit = 10) {
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const r = await sql<{ id: string; email: string; plan: string; events: string; users: string }>`
    select d.id, d.email, d.plan, count(*) as events,
           (select count(*) from users u where u.developer_id = d.id and u.deleted_at is null) as users
    from ${activity} a join developers d on d.id = a.developer_id and d.tenant_id is null
    where a.created_at >= ${since}
    group by d.id, d.email, d.plan
    order by events desc, d.email
    limit ${limit}`.execute(db);
  return r.rows.map((row) => ({
    developer_id: row.id,
    email: row.email,
    plan: row.plan,
    events_30d: Number(row.events),
    users: Number(row.users),
  }));
}

export async function insights(db: Db, _config: Pick<Config, 'USD_INR_RATE'>, now = new Date()) {
  const f = await financials(db);
  return {
    generated_at: now.toISOString(),
    financials: f.financials,
    plan_mix: await planMix(db, f.byPlan, f.mrrUsd),
    funnel: await activationFunnel(db),
    dau: await dailyActiveDevelopers(db, now),
    weekly_cohorts: await weeklyCohorts(db, now),
    providers: await providerPopularity(db),
    top_developers: await topDevelopers(db, now),
  };
}
