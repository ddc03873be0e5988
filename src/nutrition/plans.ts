/**
 * Developer plans and what they include. Data, not code: a plan's daily meal-photo quota is looked up
 * here (null: unlimited). Every developer has a plan (`developers.plan`); new ones get DEFAULT_PLAN.
 */
export const PLANS = {
  hobby: { dailyPhotoQuota: 20 },
  developer: { dailyPhotoQuota: 500 },
  scale: { dailyPhotoQuota: 5000 },
  enterprise: { dailyPhotoQuota: null },
} as const satisfies Record<string, { dailyPhotoQuota: number | null }>;

export type PlanName = keyof typeof PLANS;

export function isPlanName(value: string): value is PlanName {
  return Object.hasOwn(PLANS, value);
}

/** A plan name the catalogue does not know (set by hand in the table) gets the smallest quota, not none. */
export function dailyPhotoQuota(plan: string): number | null {
  return isPlanName(plan) ? PLANS[plan].dailyPhotoQuota : PLANS.hobby.dailyPhotoQuota;
}
