import { describe, expect, it } from 'vitest';
import { mapOura } from '../../../src/providers/oura/map.ts';
import { page, samplesOf } from './map-helpers.ts';

/** Oura day documents, workouts, sessions and heart rate on our own fixtures: units, offsets, edge cases. */

describe('Oura day documents', () => {
  it('daily_activity: score 1–100 with contributors, steps, active and basal kcal over the local day, MET', () => {
    const b = mapOura(
      'daily_activity',
      page({
        id: 'a1',
        day: '2026-03-02',
        timestamp: '2026-03-02T04:00:00-05:00',
        score: 77,
        contributors: { stay_active: 90, move_every_hour: null },
        steps: 9120,
        active_calories: 540,
        total_calories: 2480,
        met: { interval: 60, items: [1.2, null, 3.5, 0], timestamp: '2026-03-02T04:00:00.000-05:00' },
      }),
    );
    expect(b.scores).toEqual([
      {
        source: 0,
        provider: 'oura',
        date: '2026-03-02',
        category: 'activity',
        score: 77,
        rangeMin: 1,
        rangeMax: 100,
        components: { stay_active: 90, move_every_hour: null },
      },
    ]);
    const day = { at: '2026-03-02T09:00:00.000Z', durationMs: 86_400_000, utcOffsetMin: -300 };
    expect(samplesOf(b, 'steps')).toEqual([{ ...day, value: 9120 }]);
    expect(samplesOf(b, 'energy')).toEqual([{ ...day, value: 540 }]);
    expect(samplesOf(b, 'basal_energy')).toEqual([{ ...day, value: 1940 }]);
    expect(samplesOf(b, 'average_met')).toEqual([
      { at: '2026-03-02T09:00:00.000Z', durationMs: 60_000, value: 1.2, utcOffsetMin: -300 },
      { at: '2026-03-02T09:02:00.000Z', durationMs: 60_000, value: 3.5, utcOffsetMin: -300 },
    ]);
  });

  it('daily_readiness: score and skin temperature deviation in °C at the day with its offset', () => {
    const b = mapOura(
      'daily_readiness',
      page({
        id: 'r1',
        day: '2026-03-02',
        timestamp: '2026-03-02T00:00:00+09:00',
        score: 84,
        contributors: { hrv_balance: 70 },
        temperature_deviation: -0.35,
        temperature_trend_deviation: 0.1,
      }),
    );
    expect(b.scores[0]).toMatchObject({ category: 'readiness', score: 84, rangeMin: 1, rangeMax: 100 });
    expect(b.scores[0]?.components).toEqual({
      hrv_balance: 70,
      temperature_deviation: -0.35,
      temperature_trend_deviation: 0.1,
    });
    expect(samplesOf(b, 'skin_temperature_deviation')).toEqual([
      { at: '2026-03-01T15:00:00.000Z', durationMs: 0, value: -0.35, utcOffsetMin: 540 },
    ]);
  });

  it('a score Oura has not computed (null) is no score', () => {
    const b = mapOura(
      'daily_sleep',
      page({ id: 's', day: '2026-03-02', timestamp: '2026-03-02T00:00:00Z', score: null, contributors: {} }),
    );
    expect(b.scores).toEqual([]);
  });

  it('daily_spo2: the nightly average in percent and the breathing disturbance index; 0 is no reading', () => {
    const b = mapOura(
      'daily_spo2',
      page(
        { id: 'o1', day: '2026-03-02', spo2_percentage: { average: 96.4 }, breathing_disturbance_index: 3 },
        { id: 'o2', day: '2026-03-03', spo2_percentage: { average: 0 } },
        { id: 'o3', day: '2026-03-04', spo2_percentage: null },
      ),
    );
    expect(samplesOf(b, 'oxygen_saturation')).toEqual([
      { at: '2026-03-02T00:00:00.000Z', durationMs: 0, value: 96.4, utcOffsetMin: null },
    ]);
    expect(samplesOf(b, 'breathing_disturbance_index').map((s) => s.value)).toEqual([3]);
  });

  it('daily_resilience: the level as its ordinal 1–5; a level Oura adds later is skipped', () => {
    const b = mapOura(
      'daily_resilience',
      page(
        { id: 'x1', day: '2026-03-02', level: 'strong', contributors: { stress: 40.5 } },
        { id: 'x2', day: '2026-03-03', level: 'legendary', contributors: {} },
      ),
    );
    expect(b.scores).toEqual([
      expect.objectContaining({ category: 'resilience', score: 4, rangeMin: 1, rangeMax: 5 }),
    ]);
    expect(b.scores[0]?.components).toEqual({ stress: 40.5, level: 'strong' });
  });

  it('vo2_max (mL/kg/min) and vascular age (years)', () => {
    const v = mapOura(
      'vo2_max',
      page({ id: 'v', day: '2026-03-02', timestamp: '2026-03-02T07:00:00+01:00', vo2_max: 44 }),
    );
    expect(samplesOf(v, 'vo2_max')).toEqual([
      { at: '2026-03-02T06:00:00.000Z', durationMs: 0, value: 44, utcOffsetMin: 60 },
    ]);
    const c = mapOura('daily_cardiovascular_age', page({ id: 'c', day: '2026-03-02', vascular_age: 37 }));
    expect(samplesOf(c, 'cardiovascular_age').map((s) => s.value)).toEqual([37]);
  });

  it('personal_info: weight in kg, height from metres to cm, dated to the day it was read', () => {
    const b = mapOura('personal_info', {
      id: 'u1',
      weight: 70.2,
      height: 1.755,
      retrieved_at: '2026-03-02T17:45:00.000Z',
    });
    expect(samplesOf(b, 'weight')).toEqual([
      { at: '2026-03-02T00:00:00.000Z', durationMs: 0, value: 70.2, utcOffsetMin: null },
    ]);
    expect(samplesOf(b, 'height').map((s) => s.value)).toEqual([175.5]);
  });
});

describe('Oura workouts, sessions, heart rate', () => {
  it('workouts: catalog type, metres and kcal, local offset, distance in the type’s distance series', () => {
    const b = mapOura(
      'workout',
      page(
        {
          id: 'w1',
          activity: 'running',
          calories: 412.5,
          day: '2026-03-02',
          distance: 8040.2,
          start_datetime: '2026-03-02T07:10:00.000000-08:00',
          end_datetime: '2026-03-02T07:55:00.000000-08:00',
          intensity: 'hard',
          label: null,
          source: 'confirmed',
        },
        {
          id: 'w2',
          activity: 'stair_exercise',
          day: '2026-03-02',
          start_datetime: '2026-03-02T18:00:00+00:00',
          end_datetime: '2026-03-02T18:20:00+00:00',
          intensity: 'moderate',
          source: 'manual',
        },
      ),
    );
    expect(b.workouts.map((w) => [w.externalId, w.type, w.sourceActivityType])).toEqual([
      ['w1', 'running', 'running'],
      ['w2', 'stair_climbing', 'stair_exercise'],
    ]);
    expect(b.workouts[0]).toMatchObject({
      startMs: Date.parse('2026-03-02T15:10:00Z'),
      durationS: 2700,
      distanceM: 8040.2,
      energyKcal: 412.5,
      utcOffsetMin: -480,
      statistics: { intensity: 'hard' },
    });
    expect(b.workouts[1]).toMatchObject({ distanceM: null, energyKcal: null });
    expect(samplesOf(b, 'distance_walking_running')).toEqual([
      { at: '2026-03-02T15:10:00.000Z', durationMs: 2_700_000, value: 8040.2, utcOffsetMin: -480 },
    ]);
    expect(samplesOf(b, 'energy')).toEqual([]);
  });

  it('an activity name Oura adds later still maps (a guess, kept as the source type)', () => {
    const b = mapOura(
      'workout',
      page({
        id: 'w3',
        activity: 'indoor_rowing_class',
        day: '2026-03-02',
        start_datetime: '2026-03-02T10:00:00Z',
        end_datetime: '2026-03-02T10:30:00Z',
        intensity: 'easy',
        source: 'manual',
      }),
    );
    expect(b.workouts[0]).toMatchObject({ type: 'rowing', sourceActivityType: 'indoor_rowing_class' });
  });

  it('sessions: HRV (RMSSD) and mindful minutes for meditation', () => {
    const b = mapOura(
      'session',
      page({
        id: 'm1',
        day: '2026-03-02',
        type: 'meditation',
        start_datetime: '2026-03-02T12:00:00+01:00',
        end_datetime: '2026-03-02T12:10:00+01:00',
        heart_rate_variability: {
          interval: 5,
          items: [48, null],
          timestamp: '2026-03-02T12:00:00.000+01:00',
        },
      }),
    );
    expect(samplesOf(b, 'mindful_minutes')).toEqual([
      { at: '2026-03-02T11:00:00.000Z', durationMs: 600_000, value: 10, utcOffsetMin: 60 },
    ]);
    expect(samplesOf(b, 'heart_rate_variability_rmssd').map((s) => [s.value, s.durationMs])).toEqual([
      [48, 5000],
    ]);
  });

  it('heart rate rows: bpm at their UTC instant, with no local offset', () => {
    const b = mapOura(
      'heartrate',
      page(
        { bpm: 58, source: 'rest', timestamp: '2026-03-02T03:00:00+00:00', timestamp_unix: 1772420400000 },
        { bpm: 0, source: 'live', timestamp: '2026-03-02T03:05:00+00:00', timestamp_unix: 1772420700000 },
      ),
    );
    expect(samplesOf(b, 'heart_rate')).toEqual([
      { at: '2026-03-02T03:00:00.000Z', durationMs: 0, value: 58, utcOffsetMin: null },
    ]);
  });
});
