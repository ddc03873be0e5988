import { type Expression, type SqlBool, sql } from 'kysely';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { inrToUsd, monthlyPriceUsd, paiseToInr } from './price-book.ts';

/**
 * Revenue figures for the admin portal (and its overview: import `monthlyRecurringRevenue`). MRR is the
 * price-book monthly price (USD, the currency customers are billed in) of every paying Razorpay
 * subscription live at the moment asked, shown in INR at USD_INR_RATE too. Plans set by hand (no
 * Razorpay subscription) are not revenue. A subscription is live at T when it was activated by T and is
 * still active or pending (Razorpay retrying the card) or ended only after T (cancelled_at, else the
 * time of its last change for halted/completed/expired).
 */
export interface Money {
  inr: number;
  usd: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function money(config: Pick<Config, 'USD_INR_RATE'>, inr: number): Money {
  return { inr: round2(inr), usd: inrToUsd(config, inr) };
}

export function moneyFromUsd(config: Pick<Config, 'USD_INR_RATE'>, usd: number): Money {
  return { inr: round2(usd * config.USD_INR_RATE), usd: round2(usd) };
}

function liveAt(at: Date): Expression<SqlBool> {
  return sql<SqlBool>`razorpay_subscription_id is not null and activated_at is not null and activated_at <= ${at}
    and (status in ('active', 'pending') or coalesce(cancelled_at, updated_at) > ${at})`;
}

/** Live paying subscriptions by plan at `at` (default now). */
export async function liveSubscriptionsByPlan(db: Db, at = new Date()): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('billing_subscriptions')
    .select(['plan', (eb) => eb.fn.countAll<string>().as('n')])
    .where(liveAt(at))
    .groupBy('plan')
    .execute();
  return new Map(rows.map((r) => [r.plan, Number(r.n)]));
}

/** MRR at `at` (default now), in USD and INR. */
export async function monthlyRecurringRevenue(
  db: Db,
  config: Pick<Config, 'USD_INR_RATE'>,
  at = new Date(),
): Promise<Money> {
  let usd = 0;
  for (const [plan, n] of await liveSubscriptionsByPlan(db, at)) usd += monthlyPriceUsd(plan) * n;
  return moneyFromUsd(config, usd);
}

/** ARR: twelve times the MRR. */
export async function annualRecurringRevenue(
  db: Db,
  config: Pick<Config, 'USD_INR_RATE'>,
  at = new Date(),
): Promise<Money> {
  const mrr = await monthlyRecurringRevenue(db, config, at);
  return moneyFromUsd(config, mrr.usd * 12);
}

/** Start of the UTC month of `at`, and of the month before. */
export function monthStarts(at: Date): { thisMonth: Date; lastMonth: Date } {
  return {
    thisMonth: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
    lastMonth: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1)),
  };
}

/** Paise collected (invoices paid) and refunded in [from, to). */
export async function collectedAndRefunded(
  db: Db,
  from: Date,
  to: Date,
): Promise<{ paidPaise: number; paidCount: number; refundedPaise: number; refundedCount: number }> {
  const paid = await db
    .selectFrom('billing_invoices')
    .select([
      (eb) => eb.fn.coalesce(eb.fn.sum<string>('amount_inr_paise'), sql<string>`0`).as('paise'),
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .where('status', 'in', ['paid', 'refunded'])
    .where('paid_at', '>=', from)
    .where('paid_at', '<', to)
    .executeTakeFirstOrThrow();
  const refunded = await db
    .selectFrom('billing_invoices')
    .select([
      (eb) => eb.fn.coalesce(eb.fn.sum<string>('refunded_inr_paise'), sql<string>`0`).as('paise'),
      (eb) => eb.fn.countAll<string>().as('n'),
    ])
    .where('status', '=', 'refunded')
    .where('refunded_at', '>=', from)
    .where('refunded_at', '<', to)
    .executeTakeFirstOrThrow();
  return {
    paidPaise: Number(paid.paise),
    paidCount: Number(paid.n),
    refundedPaise: Number(refunded.paise),
    refundedCount: Number(refunded.n),
  };
}

export interface FinanceSummary {
  mrr: Money;
  arr: Money;
  /** MRR at the start of this UTC month. */
  mrrMonthStart: Money;
  /** Percent change of MRR since the start of the month; null when it was zero. */
  momChangePct: number | null;
  activeSubscriptions: number;
  collectedThisMonth: Money;
  collectedLastMonth: Money;
  refundsThisMonth: Money & { count: number };
  monthStart: Date;
}

export async function financeSummary(
  db: Db,
  config: Pick<Config, 'USD_INR_RATE'>,
  now = new Date(),
): Promise<FinanceSummary> {
  const { thisMonth, lastMonth } = monthStarts(now);
  const byPlan = await liveSubscriptionsByPlan(db, now);
  const mrr = await monthlyRecurringRevenue(db, config, now);
  const mrrMonthStart = await monthlyRecurringRevenue(db, config, thisMonth);
  const current = await collectedAndRefunded(db, thisMonth, now);
  const previous = await collectedAndRefunded(db, lastMonth, thisMonth);
  return {
    mrr,
    arr: moneyFromUsd(config, mrr.usd * 12),
    mrrMonthStart,
    momChangePct:
      mrrMonthStart.usd === 0 ? null : round2(((mrr.usd - mrrMonthStart.usd) / mrrMonthStart.usd) * 100),
    activeSubscriptions: [...byPlan.values()].reduce((a, b) => a + b, 0),
    collectedThisMonth: money(config, paiseToInr(current.paidPaise)),
    collectedLastMonth: money(config, paiseToInr(previous.paidPaise)),
    refundsThisMonth: { ...money(config, paiseToInr(current.refundedPaise)), count: current.refundedCount },
    monthStart: thisMonth,
  };
}

export interface Page {
  limit: number;
  offset: number;
}

export async function listSubscriptions(
  db: Db,
  filter: { status?: string | undefined; plan?: string | undefined; developerId?: string | undefined },
  page: Page,
) {
  let query = db
    .selectFrom('billing_subscriptions as s')
    .innerJoin('developers as d', 'd.id', 's.developer_id');
  if (filter.status !== undefined) query = query.where('s.status', '=', filter.status as never);
  if (filter.plan !== undefined) query = query.where('s.plan', '=', filter.plan);
  if (filter.developerId !== undefined) query = query.where('s.developer_id', '=', filter.developerId);
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('s')
    .select(['d.email as developer_email'])
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(total.n), rows };
}

export async function listInvoices(
  db: Db,
  filter: {
    status?: string | undefined;
    plan?: string | undefined;
    from?: Date | undefined;
    to?: Date | undefined;
    developerId?: string | undefined;
  },
  page: Page,
) {
  let query = db.selectFrom('billing_invoices as i').innerJoin('developers as d', 'd.id', 'i.developer_id');
  if (filter.status !== undefined) query = query.where('i.status', '=', filter.status as never);
  if (filter.plan !== undefined) query = query.where('i.plan', '=', filter.plan);
  if (filter.from !== undefined) query = query.where('i.created_at', '>=', filter.from);
  if (filter.to !== undefined) query = query.where('i.created_at', '<', filter.to);
  if (filter.developerId !== undefined) query = query.where('i.developer_id', '=', filter.developerId);
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll('i')
    .select(['d.email as developer_email'])
    .orderBy('i.created_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(total.n), rows };
}
