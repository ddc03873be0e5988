/**
 * Health score categories and the native range of each provider's score (DESIGN §2 "Health scores",
 * spec 001 `/health-scores`). Scores are stored as the provider sent them, with `range_min`/`range_max`
 * from this table, so clients can rescale; WearLink never silently rescales one vendor onto another.
 *
 * `vo2max` and `fitness_age` are estimates in physical units (mL/kg/min, years), not bounded scores:
 * they have no range and `scoreRange` returns undefined for them.
 *
 * Sources: Oura API v2 ("score in range [1, 100]"), WHOOP API v2 (recovery and sleep performance 0–100 %,
 * strain 0–21), Polar AccessLink (sleep score 1–100, Nightly Recharge status 1–6), Garmin Health API
 * (stress level, Body Battery and sleep score 0–100), Withings sleep score 0–100. Oura resilience is a
 * level (limited … exceptional); WearLink stores its ordinal 1–5 (`OURA_RESILIENCE_LEVELS`).
 */
import type { ProviderSlug } from './providers.ts';

export const HEALTH_SCORE_CATEGORIES = [
  { name: 'sleep', unit: 'score' },
  { name: 'recovery', unit: 'score' },
  { name: 'readiness', unit: 'score' },
  { name: 'activity', unit: 'score' },
  { name: 'stress', unit: 'score' },
  { name: 'resilience', unit: 'score' },
  { name: 'body_battery', unit: 'score' },
  { name: 'strain', unit: 'score' },
  { name: 'vo2max', unit: 'ml_kg_min' },
  { name: 'fitness_age', unit: 'years' },
] as const satisfies readonly { name: string; unit: 'score' | 'ml_kg_min' | 'years' }[];

export type HealthScoreCategory = (typeof HEALTH_SCORE_CATEGORIES)[number]['name'];
export const HEALTH_SCORE_CATEGORY_NAMES: readonly HealthScoreCategory[] = HEALTH_SCORE_CATEGORIES.map(
  (c) => c.name,
);

export function isHealthScoreCategory(value: unknown): value is HealthScoreCategory {
  return typeof value === 'string' && (HEALTH_SCORE_CATEGORY_NAMES as readonly string[]).includes(value);
}

export interface ScoreRange {
  readonly min: number;
  readonly max: number;
}

type BoundedCategory = Exclude<HealthScoreCategory, 'vo2max' | 'fitness_age'>;

export const SCORE_RANGES = [
  { provider: 'oura', category: 'sleep', min: 1, max: 100 },
  { provider: 'oura', category: 'readiness', min: 1, max: 100 },
  { provider: 'oura', category: 'activity', min: 1, max: 100 },
  { provider: 'oura', category: 'resilience', min: 1, max: 5 },
  { provider: 'whoop', category: 'recovery', min: 0, max: 100 },
  // WHOOP sleep performance: % of the sleep the user needed.
  { provider: 'whoop', category: 'sleep', min: 0, max: 100 },
  { provider: 'whoop', category: 'strain', min: 0, max: 21 },
  { provider: 'polar', category: 'sleep', min: 1, max: 100 },
  // Polar Nightly Recharge status: very poor (1) … very good (6).
  { provider: 'polar', category: 'recovery', min: 1, max: 6 },
  { provider: 'garmin', category: 'stress', min: 0, max: 100 },
  { provider: 'garmin', category: 'body_battery', min: 0, max: 100 },
  { provider: 'garmin', category: 'sleep', min: 0, max: 100 },
  { provider: 'withings', category: 'sleep', min: 0, max: 100 },
  { provider: 'sandbox', category: 'sleep', min: 0, max: 100 },
  { provider: 'sandbox', category: 'recovery', min: 0, max: 100 },
  { provider: 'sandbox', category: 'readiness', min: 0, max: 100 },
  { provider: 'sandbox', category: 'activity', min: 0, max: 100 },
  { provider: 'sandbox', category: 'stress', min: 0, max: 100 },
  { provider: 'sandbox', category: 'resilience', min: 0, max: 100 },
  { provider: 'sandbox', category: 'body_battery', min: 0, max: 100 },
  { provider: 'sandbox', category: 'strain', min: 0, max: 21 },
] as const satisfies readonly {
  provider: ProviderSlug;
  category: BoundedCategory;
  min: number;
  max: number;
}[];

/** The provider's native range for a category, or undefined when it has no such bounded score. */
export function scoreRange(provider: string, category: string): ScoreRange | undefined {
  const row = SCORE_RANGES.find((r) => r.provider === provider && r.category === category);
  return row === undefined ? undefined : { min: row.min, max: row.max };
}

/** Providers that report a score in the category. */
export function providersScoring(category: HealthScoreCategory): readonly ProviderSlug[] {
  return SCORE_RANGES.filter((r) => r.category === category).map((r) => r.provider);
}

/** Oura resilience levels in order; the stored score is the 1-based position. */
export const OURA_RESILIENCE_LEVELS = ['limited', 'adequate', 'solid', 'strong', 'exceptional'] as const;

export function ouraResilienceScore(level: string): number | undefined {
  const index = (OURA_RESILIENCE_LEVELS as readonly string[]).indexOf(level);
  return index === -1 ? undefined : index + 1;
}
