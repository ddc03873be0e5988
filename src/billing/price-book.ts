import type { Config } from '../config/load-config.ts';
import { isPlanName, PLANS, type PlanName } from '../nutrition/plans.ts';

/**
 * What each plan costs a month, in USD: the platform bills customers in USD, Razorpay collects in INR
 * (converted at USD_INR_RATE). Data, not code: a price change is an edit here (and a new Razorpay plan,
 * whose id goes in RAZORPAY_PLAN_IDS). Quotas live in src/nutrition/plans.ts.
 */
export const MONTHLY_PRICE_USD = {
  hobby: 0,
  developer: 99,
  scale: 499,
  enterprise: 1999,
} as const satisfies Record<PlanName, number>;

export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];

/** Plans a developer can buy (a price above zero). */
export const PAID_PLANS = PLAN_NAMES.filter((plan) => MONTHLY_PRICE_USD[plan] > 0);

export function monthlyPriceUsd(plan: string): number {
  return isPlanName(plan) ? MONTHLY_PRICE_USD[plan] : 0;
}

/** The monthly price in INR at the configured rate, rounded to the paisa. */
export function monthlyPriceInr(config: Pick<Config, 'USD_INR_RATE'>, plan: string): number {
  return paiseToInr(monthlyPricePaise(config, plan));
}

export function monthlyPricePaise(config: Pick<Config, 'USD_INR_RATE'>, plan: string): number {
  return Math.round(monthlyPriceUsd(plan) * config.USD_INR_RATE * 100);
}

export const paiseToInr = (paise: number): number => Math.round(paise) / 100;

/** INR as USD at the configured rate, to the cent. */
export function inrToUsd(config: Pick<Config, 'USD_INR_RATE'>, inr: number): number {
  return Math.round((inr / config.USD_INR_RATE) * 100) / 100;
}

/** The Razorpay plan a WearLink plan is sold as (RAZORPAY_PLAN_IDS), if it is sold through Razorpay. */
export function razorpayPlanId(config: Pick<Config, 'RAZORPAY_PLAN_IDS'>, plan: string): string | undefined {
  return Object.hasOwn(config.RAZORPAY_PLAN_IDS, plan) ? config.RAZORPAY_PLAN_IDS[plan] : undefined;
}

/** The WearLink plan behind a Razorpay plan id, if any. */
export function planOfRazorpayPlan(
  config: Pick<Config, 'RAZORPAY_PLAN_IDS'>,
  planId: string,
): string | undefined {
  return Object.entries(config.RAZORPAY_PLAN_IDS).find(([, id]) => id === planId)?.[0];
}

/**
 * Billing through Razorpay is on only when the key id, key secret and webhook secret are all set.
 * Otherwise (a self-hosted instance) plans are set by hand from the admin portal.
 */
export function billingEnabled(
  config: Pick<Config, 'RAZORPAY_KEY_ID' | 'RAZORPAY_KEY_SECRET' | 'RAZORPAY_WEBHOOK_SECRET'>,
): boolean {
  return (
    config.RAZORPAY_KEY_ID !== undefined &&
    config.RAZORPAY_KEY_SECRET !== undefined &&
    config.RAZORPAY_WEBHOOK_SECRET !== undefined
  );
}
