import { sql } from 'kysely';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { dailyPhotoQuota } from '../nutrition/plans.ts';
import { collectedAndRefunded, type Money, money } from './finance.repo.ts';
import { monthlyPriceInr, monthlyPriceUsd, PLAN_NAMES, paiseToInr } from './price-book.ts';

/**
 * Cost of goods sold over a period, from what the platform actually did (spec 001, "COGS"): vision
 * recognitions (meal logs a vision model read, by created_at), storage of the meal photos still stored
 * (nutrition_logs.image_bytes of logs whose image is still in the blob store, now), webhook deliveries
 * (webhook_attempts in the period: every attempt is a delivery we pay for), Razorpay's fee on the INR
 * collected in the period, and the fixed infrastructure. Monthly rates (storage, fixed infra) are
 * prorated to the period's length in 30-day months. Every rate comes from config (env-overridable).
 */
export const GIB = 1024 ** 3;
const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

export type CogsRates = Pick<
  Config,
  | 'USD_INR_RATE'
  | 'COST_PER_VISION_RECOGNITION_INR'
  | 'COST_PER_GB_STORAGE_INR_PER_MONTH'
  | 'COST_PER_WEBHOOK_DELIVERY_INR'
  | 'RAZORPAY_FEE_PCT'
  | 'FIXED_INFRA_INR_PER_MONTH'
>;

export interface CogsLine {
  key: 'vision_recognitions' | 'object_storage' | 'webhook_deliveries' | 'razorpay_fees' | 'fixed_infra';
  label: string;
  quantity: number;
  unit: string;
  rate_inr: number;
  rate_env: string;
  cost: Money;
}

export async function cogsCounts(db: Db, from: Date, to: Date) {
  const vision = await db
    .selectFrom('nutrition_logs')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('vision_model', 'is not', null)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  const storage = await db
    .selectFrom('nutrition_logs')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('image_bytes'), sql<string>`0`).as('bytes'))
    .where('image_key', 'is not', null)
    .where('image_deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const deliveries = await db
    .selectFrom('webhook_attempts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .executeTakeFirstOrThrow();
  const { paidPaise, refundedPaise } = await collectedAndRefunded(db, from, to);
  return {
    visionRecognitions: Number(vision.n),
    storedImageBytes: Number(storage.bytes),
    webhookDeliveries: Number(deliveries.n),
    paidPaise,
    refundedPaise,
  };
}

export async function cogsSummary(db: Db, config: CogsRates, from: Date, to: Date) {
  const counts = await cogsCounts(db, from, to);
  const months = (to.getTime() - from.getTime()) / (30 * DAY_MS);
  const gb = counts.storedImageBytes / GIB;
  const paidInr = paiseToInr(counts.paidPaise);
  const line = (
    key: CogsLine['key'],
    label: string,
    quantity: number,
    unit: string,
    rate: number,
    env: string,
    costInr: number,
  ): CogsLine => ({
    key,
    label,
    quantity,
    unit,
    rate_inr: rate,
    rate_env: env,
    cost: money(config, costInr),
  });
  const lines: CogsLine[] = [
    line(
      'vision_recognitions',
      'AI vision recognitions',
      counts.visionRecognitions,
      'image',
      config.COST_PER_VISION_RECOGNITION_INR,
      'COST_PER_VISION_RECOGNITION_INR',
      counts.visionRecognitions * config.COST_PER_VISION_RECOGNITION_INR,
    ),
    line(
      'object_storage',
      'Object storage (nutrition images)',
      round2(gb * 1e6) / 1e6,
      'GB-month',
      config.COST_PER_GB_STORAGE_INR_PER_MONTH,
      'COST_PER_GB_STORAGE_INR_PER_MONTH',
      gb * config.COST_PER_GB_STORAGE_INR_PER_MONTH * months,
    ),
    line(
      'webhook_deliveries',
      'Webhook deliveries',
      counts.webhookDeliveries,
      'delivery',
      config.COST_PER_WEBHOOK_DELIVERY_INR,
      'COST_PER_WEBHOOK_DELIVERY_INR',
      counts.webhookDeliveries * config.COST_PER_WEBHOOK_DELIVERY_INR,
    ),
    line(
      'razorpay_fees',
      'Razorpay processing fees',
      paidInr,
      'INR collected',
      config.RAZORPAY_FEE_PCT,
      'RAZORPAY_FEE_PCT',
      (paidInr * config.RAZORPAY_FEE_PCT) / 100,
    ),
    line(
      'fixed_infra',
      'Fixed infra (Postgres + workers + Redis)',
      round2(months * 1e4) / 1e4,
      'month',
      config.FIXED_INFRA_INR_PER_MONTH,
      'FIXED_INFRA_INR_PER_MONTH',
      config.FIXED_INFRA_INR_PER_MONTH * months,
    ),
  ];
  const totalInr = lines.reduce((sum, l) => sum + l.cost.inr, 0);
  // Revenue of the period: collected less refunded (Razorpay keeps its fee on a refunded payment).
  const revenueInr = paiseToInr(counts.paidPaise - counts.refundedPaise);
  return {
    from,
    to,
    months,
    counts,
    lines,
    total: money(config, totalInr),
    revenue: money(config, revenueInr),
    grossMarginPct: revenueInr > 0 ? round2(((revenueInr - totalInr) / revenueInr) * 100) : null,
    unitEconomics: unitEconomics(config),
  };
}

/**
 * Each plan if a tenant used its whole daily photo quota every day of a 30-day month: the vision cost
 * against the plan's price. A negative margin is a structurally underpriced plan (flagged). Unlimited
 * quotas have no upper bound: their cost is null and they are flagged too.
 */
export function unitEconomics(config: CogsRates) {
  return PLAN_NAMES.map((plan) => {
    const quota = dailyPhotoQuota(plan);
    const priceInr = monthlyPriceInr(config, plan);
    const images = quota === null ? null : quota * 30;
    const costInr = images === null ? null : round2(images * config.COST_PER_VISION_RECOGNITION_INR);
    const marginInr = costInr === null ? null : round2(priceInr - costInr);
    return {
      plan,
      price: { inr: priceInr, usd: monthlyPriceUsd(plan) },
      daily_photo_quota: quota,
      images_per_month: images,
      vision_cost: costInr === null ? null : money(config, costInr),
      margin: marginInr === null ? null : money(config, marginInr),
      margin_pct: marginInr === null || priceInr === 0 ? null : round2((marginInr / priceInr) * 100),
      negative_margin: marginInr === null ? true : marginInr < 0,
      unbounded: quota === null,
    };
  });
}
