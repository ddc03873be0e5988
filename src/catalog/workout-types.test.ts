import { describe, expect, it } from 'vitest';
import { isSeriesTypeName } from './series-types.ts';
import {
  distanceSeriesForWorkout,
  GARMIN_WORKOUT_TYPES,
  HEALTH_CONNECT_WORKOUT_TYPES,
  HEALTHKIT_WORKOUT_TYPES,
  isWorkoutType,
  OURA_WORKOUT_TYPES,
  POLAR_WORKOUT_TYPES,
  SAMSUNG_WORKOUT_TYPES,
  STRAVA_WORKOUT_TYPES,
  toCanonicalWorkoutType,
  WHOOP_WORKOUT_TYPES,
  WORKOUT_GROUPS,
  WORKOUT_TYPE_NAMES,
  WORKOUT_TYPES,
  workoutGroup,
  workoutKey,
} from './workout-types.ts';

describe('canonical workout types', () => {
  it('are unique snake_case names, about 115 of them, ending with other', () => {
    expect(new Set(WORKOUT_TYPE_NAMES).size).toBe(WORKOUT_TYPE_NAMES.length);
    expect(WORKOUT_TYPE_NAMES.length).toBeGreaterThanOrEqual(110);
    expect(WORKOUT_TYPE_NAMES.every((n) => /^[a-z][a-z0-9_]*$/.test(n))).toBe(true);
    expect(WORKOUT_TYPE_NAMES).toContain('other');
    for (const w of WORKOUT_TYPES) expect(WORKOUT_GROUPS).toContain(w.group);
  });

  it('include every type DESIGN §2 and spec 001 name', () => {
    const named = [
      'running',
      'trail_running',
      'treadmill',
      'walking',
      'hiking',
      'cycling',
      'mountain_biking',
      'indoor_cycling',
      'swimming',
      'pool_swimming',
      'open_water_swimming',
      'strength_training',
      'cardio_training',
      'elliptical',
      'rowing_machine',
      'stair_climbing',
      'yoga',
      'pilates',
      'hiit',
      'crossfit',
      'boxing',
      'golf',
      'dance',
      'skiing',
      'downhill_skiing',
      'cross_country_skiing',
      'basketball',
      'soccer',
      'tennis',
      'rowing',
      'triathlon',
      'other',
    ];
    for (const name of named) expect(isWorkoutType(name), name).toBe(true);
  });

  it('never collide once normalised', () => {
    const keys = WORKOUT_TYPE_NAMES.map(workoutKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('source tables', () => {
  it('all target canonical types', () => {
    const tables = {
      HEALTHKIT_WORKOUT_TYPES,
      HEALTH_CONNECT_WORKOUT_TYPES,
      SAMSUNG_WORKOUT_TYPES,
      WHOOP_WORKOUT_TYPES,
    };
    for (const [table, rows] of Object.entries(tables)) {
      for (const [code, name, type] of rows)
        expect(isWorkoutType(type), `${table} ${code} ${name}`).toBe(true);
    }
    const named = { STRAVA_WORKOUT_TYPES, GARMIN_WORKOUT_TYPES, POLAR_WORKOUT_TYPES, OURA_WORKOUT_TYPES };
    for (const [table, rows] of Object.entries(named)) {
      for (const [name, type] of rows) expect(isWorkoutType(type), `${table} ${name}`).toBe(true);
    }
  });

  it('have unique codes', () => {
    for (const rows of [
      HEALTHKIT_WORKOUT_TYPES,
      HEALTH_CONNECT_WORKOUT_TYPES,
      SAMSUNG_WORKOUT_TYPES,
      WHOOP_WORKOUT_TYPES,
    ]) {
      const codes = rows.map(([code]) => code);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it("cover Apple's full HKWorkoutActivityType list", () => {
    expect(HEALTHKIT_WORKOUT_TYPES).toHaveLength(84);
    expect(HEALTHKIT_WORKOUT_TYPES.at(-1)).toEqual([3000, 'other', 'other']);
  });
});

describe('toCanonicalWorkoutType: HealthKit', () => {
  it('accepts full names, short names, snake_case and raw values', () => {
    const expected = { type: 'strength_training', exact: true };
    expect(toCanonicalWorkoutType('healthkit', 'HKWorkoutActivityTypeTraditionalStrengthTraining')).toEqual(
      expected,
    );
    expect(toCanonicalWorkoutType('healthkit', 'traditionalStrengthTraining')).toEqual(expected);
    expect(toCanonicalWorkoutType('healthkit', 'traditional_strength_training')).toEqual(expected);
    expect(toCanonicalWorkoutType('healthkit', 50)).toEqual(expected);
    expect(toCanonicalWorkoutType('healthkit', 'HKWorkoutActivityTypeRunning')).toEqual({
      type: 'running',
      exact: true,
    });
    expect(toCanonicalWorkoutType('healthkit', 63)).toEqual({ type: 'hiit', exact: true });
    expect(toCanonicalWorkoutType('healthkit', 3000)).toEqual({ type: 'other', exact: true });
    expect(toCanonicalWorkoutType('healthkit', 'HKWorkoutActivityTypeSwimBikeRun')).toEqual({
      type: 'triathlon',
      exact: true,
    });
  });

  it('returns other, not exact, for unknown values', () => {
    expect(toCanonicalWorkoutType('healthkit', 81)).toEqual({ type: 'other', exact: false });
    expect(toCanonicalWorkoutType('healthkit', 'HKWorkoutActivityTypeQuidditch')).toEqual({
      type: 'other',
      exact: false,
    });
    expect(toCanonicalWorkoutType('healthkit', '')).toEqual({ type: 'other', exact: false });
  });
});

describe('toCanonicalWorkoutType: Health Connect and Samsung', () => {
  it('maps androidx ints and EXERCISE_TYPE_ names', () => {
    expect(toCanonicalWorkoutType('health_connect', 56)).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('health_connect', 57)).toEqual({ type: 'treadmill', exact: true });
    expect(toCanonicalWorkoutType('health_connect', 74)).toEqual({ type: 'pool_swimming', exact: true });
    expect(toCanonicalWorkoutType('health_connect', 'EXERCISE_TYPE_SWIMMING_OPEN_WATER')).toEqual({
      type: 'open_water_swimming',
      exact: true,
    });
    expect(toCanonicalWorkoutType('health_connect', 'running_treadmill')).toEqual({
      type: 'treadmill',
      exact: true,
    });
    expect(toCanonicalWorkoutType('health_connect', '0')).toEqual({ type: 'other', exact: true });
    expect(toCanonicalWorkoutType('health_connect', 1)).toEqual({ type: 'other', exact: false });
  });

  it('trusts only the name for framework EXERCISE_SESSION_TYPE_ constants', () => {
    expect(toCanonicalWorkoutType('health_connect', 'EXERCISE_SESSION_TYPE_BIKING')).toEqual({
      type: 'cycling',
      exact: true,
    });
  });

  it('maps Samsung codes and Health Connect-style names', () => {
    expect(toCanonicalWorkoutType('samsung', 1002)).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('samsung', 15005)).toEqual({ type: 'treadmill', exact: true });
    expect(toCanonicalWorkoutType('samsung', 11007)).toEqual({ type: 'cycling', exact: true });
    expect(toCanonicalWorkoutType('samsung', 'BIKING_STATIONARY')).toEqual({
      type: 'indoor_cycling',
      exact: true,
    });
    expect(toCanonicalWorkoutType('samsung', 99999)).toEqual({ type: 'other', exact: false });
  });
});

describe('toCanonicalWorkoutType: vendors', () => {
  it('maps Strava sport types', () => {
    expect(toCanonicalWorkoutType('strava', 'Ride')).toEqual({ type: 'cycling', exact: true });
    expect(toCanonicalWorkoutType('strava', 'TrailRun')).toEqual({ type: 'trail_running', exact: true });
    expect(toCanonicalWorkoutType('strava', 'VirtualRide')).toEqual({ type: 'virtual_cycling', exact: true });
    expect(toCanonicalWorkoutType('strava', 'WeightTraining')).toEqual({
      type: 'strength_training',
      exact: true,
    });
  });

  it('maps Garmin keys in any case, with or without _V2/_WS', () => {
    expect(toCanonicalWorkoutType('garmin', 'RUNNING')).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('garmin', 'Running')).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('garmin', 'lap_swimming')).toEqual({ type: 'pool_swimming', exact: true });
    expect(toCanonicalWorkoutType('garmin', 'RESORT_SKIING_SNOWBOARDING_WS')).toEqual({
      type: 'downhill_skiing',
      exact: true,
    });
    expect(toCanonicalWorkoutType('garmin', 'KAYAKING_V2')).toEqual({ type: 'kayaking', exact: true });
  });

  it('maps WHOOP ids and sport names', () => {
    expect(toCanonicalWorkoutType('whoop', 0)).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('whoop', 1)).toEqual({ type: 'cycling', exact: true });
    expect(toCanonicalWorkoutType('whoop', -1)).toEqual({ type: 'other', exact: true });
    expect(toCanonicalWorkoutType('whoop', 48)).toEqual({
      type: 'functional_strength_training',
      exact: true,
    });
    expect(toCanonicalWorkoutType('whoop', 'running')).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('whoop', 'hiking/rucking')).toEqual({ type: 'hiking', exact: true });
    expect(toCanonicalWorkoutType('whoop', 'functional-fitness')).toEqual({
      type: 'functional_strength_training',
      exact: true,
    });
  });

  it('maps Polar and Oura names', () => {
    expect(toCanonicalWorkoutType('polar', 'RUNNING')).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('polar', 'WATERSPORTS_WATERSKI')).toEqual({
      type: 'water_skiing',
      exact: true,
    });
    expect(toCanonicalWorkoutType('polar', 'OTHER')).toEqual({ type: 'other', exact: true });
    expect(toCanonicalWorkoutType('oura', 'cycling')).toEqual({ type: 'cycling', exact: true });
  });

  it('guesses from other tables and keywords, without claiming exactness', () => {
    expect(toCanonicalWorkoutType('oura', 'trailRun')).toEqual({ type: 'trail_running', exact: false });
    expect(toCanonicalWorkoutType('polar', 'ROAD_RUNNING_WITH_DOG')).toEqual({
      type: 'running',
      exact: false,
    });
    expect(toCanonicalWorkoutType('strava', 'Quidditch')).toEqual({ type: 'other', exact: false });
  });
});

describe('toCanonicalWorkoutType: SDK payloads', () => {
  it('accepts canonical, HealthKit and Health Connect spellings as exact', () => {
    expect(toCanonicalWorkoutType('sdk', 'running')).toEqual({ type: 'running', exact: true });
    expect(toCanonicalWorkoutType('sdk', 'strength_training')).toEqual({
      type: 'strength_training',
      exact: true,
    });
    expect(toCanonicalWorkoutType('sdk', 'traditionalStrengthTraining')).toEqual({
      type: 'strength_training',
      exact: true,
    });
    expect(toCanonicalWorkoutType('sdk', 'HKWorkoutActivityTypeYoga')).toEqual({ type: 'yoga', exact: true });
    expect(toCanonicalWorkoutType('sdk', 'EXERCISE_TYPE_BIKING')).toEqual({ type: 'cycling', exact: true });
    expect(toCanonicalWorkoutType('sdk', 'highIntensityIntervalTraining')).toEqual({
      type: 'hiit',
      exact: true,
    });
  });

  it('refuses bare numbers, which are ambiguous across platforms', () => {
    expect(toCanonicalWorkoutType('sdk', 37)).toEqual({ type: 'other', exact: false });
  });
});

describe('distanceSeriesForWorkout', () => {
  it('follows the HealthKit split', () => {
    expect(distanceSeriesForWorkout('running')).toBe('distance_walking_running');
    expect(distanceSeriesForWorkout('hiking')).toBe('distance_walking_running');
    expect(distanceSeriesForWorkout('mountain_biking')).toBe('distance_cycling');
    expect(distanceSeriesForWorkout('open_water_swimming')).toBe('distance_swimming');
    expect(distanceSeriesForWorkout('snowboarding')).toBe('distance_downhill_snow_sports');
    expect(distanceSeriesForWorkout('cross_country_skiing')).toBe('distance_other');
    expect(distanceSeriesForWorkout('hand_cycling')).toBe('distance_other');
    expect(distanceSeriesForWorkout('rowing')).toBe('distance_other');
  });

  it('gives every workout type a valid series', () => {
    for (const name of WORKOUT_TYPE_NAMES)
      expect(isSeriesTypeName(distanceSeriesForWorkout(name))).toBe(true);
    expect(workoutGroup('treadmill')).toBe('running');
  });
});
