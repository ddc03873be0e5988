import { describe, expect, it } from 'vitest';
import {
  HEALTH_SCORE_CATEGORY_NAMES,
  isHealthScoreCategory,
  ouraResilienceScore,
  providersScoring,
  SCORE_RANGES,
  scoreRange,
} from './health-scores.ts';
import { isProviderSlug } from './providers.ts';

describe('health score categories', () => {
  it('are the DESIGN categories plus the two estimates of spec 001', () => {
    expect(HEALTH_SCORE_CATEGORY_NAMES).toEqual([
      'sleep',
      'recovery',
      'readiness',
      'activity',
      'stress',
      'resilience',
      'body_battery',
      'strain',
      'vo2max',
      'fitness_age',
    ]);
    expect(isHealthScoreCategory('strain')).toBe(true);
    expect(isHealthScoreCategory('hrv')).toBe(false);
  });
});

describe('scoreRange', () => {
  it('gives the native range of each documented provider score', () => {
    expect(scoreRange('oura', 'sleep')).toEqual({ min: 1, max: 100 });
    expect(scoreRange('oura', 'readiness')).toEqual({ min: 1, max: 100 });
    expect(scoreRange('whoop', 'recovery')).toEqual({ min: 0, max: 100 });
    expect(scoreRange('whoop', 'strain')).toEqual({ min: 0, max: 21 });
    expect(scoreRange('whoop', 'sleep')).toEqual({ min: 0, max: 100 });
    expect(scoreRange('polar', 'recovery')).toEqual({ min: 1, max: 6 });
    expect(scoreRange('garmin', 'stress')).toEqual({ min: 0, max: 100 });
    expect(scoreRange('garmin', 'body_battery')).toEqual({ min: 0, max: 100 });
    expect(scoreRange('sandbox', 'strain')).toEqual({ min: 0, max: 21 });
  });

  it('has no range for unbounded estimates or unknown pairs', () => {
    expect(scoreRange('garmin', 'vo2max')).toBeUndefined();
    expect(scoreRange('oura', 'fitness_age')).toBeUndefined();
    expect(scoreRange('whoop', 'body_battery')).toBeUndefined();
    expect(scoreRange('nobody', 'sleep')).toBeUndefined();
  });

  it('holds one well-formed row per provider and category', () => {
    const keys = SCORE_RANGES.map((r) => `${r.provider}/${r.category}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const r of SCORE_RANGES) {
      expect(r.min).toBeLessThan(r.max);
      expect(isProviderSlug(r.provider)).toBe(true);
      expect(isHealthScoreCategory(r.category)).toBe(true);
    }
  });

  it('lists the providers scoring a category', () => {
    expect(providersScoring('strain')).toEqual(['whoop', 'sandbox']);
  });
});

describe('Oura resilience', () => {
  it('turns the level into its 1–5 ordinal', () => {
    expect(ouraResilienceScore('limited')).toBe(1);
    expect(ouraResilienceScore('exceptional')).toBe(5);
    expect(ouraResilienceScore('great')).toBeUndefined();
  });
});
