import { describe, expect, it } from 'vitest';
import { seriesType } from '../../../src/catalog/series-types.ts';
import { ProviderResponseError } from '../../../src/providers/errors.ts';
import { mapWhoop } from '../../../src/providers/whoop/map.ts';
import { localDate, offsetMinutes } from '../../../src/providers/whoop/map-common.ts';
import { cycleDay } from '../../../src/providers/whoop/map-cycle.ts';
import { whoopNight, whoopWorkout } from '../../support/vendor-mocks/whoop-data.ts';

const page = (...records: unknown[]) => ({ pages: [{ records, next_token: null }] });
const at = (s: string) => Date.parse(s);
const id = (name: Parameters<typeof seriesType>[0]) => seriesType(name).id;

describe('WHOOP mappers', () => {
  it('reads timezone offsets and files days locally', () => {
    expect(offsetMinutes('-04:00')).toBe(-240);
    expect(offsetMinutes('+05:30')).toBe(330);
    expect(offsetMinutes('Z')).toBe(0);
    expect(offsetMinutes(undefined)).toBeNull();
    // 02:30 UTC at -05:00 is still the evening before, locally.
    expect(localDate(at('2026-05-25T02:30:00Z'), -300)).toBe('2026-05-24');
    // A cycle that starts at 23:18 local belongs to the day the member wakes into.
    expect(cycleDay(at('2026-05-25T03:18:00Z'), -240)).toBe('2026-05-25');
    expect(cycleDay(at('2026-05-25T04:40:00Z'), -240)).toBe('2026-05-25');
  });

  it('maps a workout: UUID id, catalog type, kJ to kcal exactly, offset kept', () => {
    const w = whoopWorkout({
      userId: 1,
      startMs: at('2026-05-24T12:00:00Z'),
      minutes: 60,
      sportName: 'hiking/rucking',
      kilojoule: 4184,
      distanceMeter: 10_000,
      offset: '+09:00',
    });
    const [workout] = mapWhoop('workout', page(w)).workouts;
    expect(workout).toMatchObject({
      externalId: w.id,
      type: 'hiking',
      sourceActivityType: 'hiking/rucking',
      durationS: 3600,
      energyKcal: 1000,
      distanceM: 10_000,
      avgHeartRateBpm: 150,
      maxHeartRateBpm: 176,
      elevationGainM: 42,
      utcOffsetMin: 540,
    });
    expect(workout?.statistics).toMatchObject({
      whoop_strain: 11.2,
      energy_kilojoules: 4184,
      heart_rate_zone_seconds: { zero: 0, one: 300, two: 600, three: 900, four: 600, five: 300 },
    });
  });

  it('keeps an unscored workout without statistics and an unknown sport as other', () => {
    const w = whoopWorkout({ userId: 1, startMs: at('2026-05-24T12:00:00Z'), scoreState: 'PENDING_SCORE' });
    const odd = whoopWorkout({
      userId: 1,
      startMs: at('2026-05-25T12:00:00Z'),
      sportName: 'underwater hockey on mars',
    });
    const [pending, other] = mapWhoop('workout', page(w, odd)).workouts;
    expect(pending).toMatchObject({ energyKcal: null, distanceM: null, statistics: {} });
    expect(other?.type).toBe('other');
  });

  it('maps a night: recovery vitals over the sleep, HRV as RMSSD, absolute skin temperature', () => {
    const night = whoopNight({
      userId: 1,
      cycleId: 7,
      sleepStartMs: at('2026-05-25T03:18:00Z'),
      hours: 8,
      offset: '-04:00',
      recoveryScore: 81,
      hrvRmssdMs: 55.5,
      skinTempC: 34.1,
    });
    const batch = mapWhoop('recovery', { ...page(night.recovery), sleeps: [night.sleep] });
    const values = Object.fromEntries(batch.samples.map((s) => [s.seriesTypeId, s]));
    expect(values[id('heart_rate_variability_rmssd')]).toMatchObject({
      value: 55.5,
      startMs: at('2026-05-25T03:18:00Z'),
      durationMs: 8 * 3600_000,
      utcOffsetMin: -240,
    });
    expect(values[id('heart_rate_variability_sdnn')]).toBeUndefined();
    expect(values[id('skin_temperature')]?.value).toBe(34.1);
    expect(values[id('skin_temperature_deviation')]).toBeUndefined();
    expect(values[id('resting_heart_rate')]?.value).toBe(51);
    expect(values[id('oxygen_saturation')]?.value).toBe(96.5);
    // Woke at 07:18 local on the 25th.
    expect(batch.scores).toEqual([
      expect.objectContaining({
        category: 'recovery',
        score: 81,
        date: '2026-05-25',
        rangeMin: 0,
        rangeMax: 100,
      }),
    ]);
  });

  it('leaves out vitals WHOOP 3.0 does not measure', () => {
    const night = whoopNight({
      userId: 1,
      cycleId: 8,
      sleepStartMs: at('2026-05-25T03:00:00Z'),
      spo2: null,
      skinTempC: null,
    });
    const batch = mapWhoop('recovery', { ...page(night.recovery), sleeps: [night.sleep] });
    expect(batch.samples.map((s) => s.seriesTypeId).sort()).toEqual(
      [id('resting_heart_rate'), id('heart_rate_variability_rmssd')].sort(),
    );
  });

  it('maps a sleep as its in-bed span with the stage totals in the sleep score', () => {
    const night = whoopNight({ userId: 1, cycleId: 9, sleepStartMs: at('2026-05-25T03:00:00Z'), hours: 8 });
    const batch = mapWhoop('sleep', page(night.sleep));
    expect(batch.sleep).toEqual([
      {
        source: 0,
        startMs: at('2026-05-25T03:00:00Z'),
        endMs: at('2026-05-25T11:00:00Z'),
        stage: 'in_bed',
        externalId: `sleep:${night.sleep.id}`,
        utcOffsetMin: -240,
      },
    ]);
    expect(batch.samples).toEqual([
      expect.objectContaining({
        seriesTypeId: id('respiratory_rate'),
        value: 15.86,
        durationMs: 8 * 3600_000,
      }),
    ]);
    const [score] = batch.scores;
    expect(score).toMatchObject({
      category: 'sleep',
      score: 94.1,
      date: '2026-05-25',
      rangeMin: 0,
      rangeMax: 100,
    });
    const c = score?.components as Record<string, number>;
    expect(
      (c.awake_seconds ?? 0) + (c.light_seconds ?? 0) + (c.deep_seconds ?? 0) + (c.rem_seconds ?? 0),
    ).toBe(8 * 3600);
    expect(c.in_bed_seconds).toBe(8 * 3600);
    expect(c.efficiency_percent).toBe(94.9);
  });

  it('gives a nap no sleep score and an unscored sleep only its span', () => {
    const nap = whoopNight({
      userId: 1,
      cycleId: 10,
      sleepStartMs: at('2026-05-25T17:00:00Z'),
      hours: 0.5,
    }).sleep;
    nap.nap = true;
    const pending = whoopNight({
      userId: 1,
      cycleId: 11,
      sleepStartMs: at('2026-05-26T03:00:00Z'),
      scoreState: 'PENDING_SCORE',
    }).sleep;
    const batch = mapWhoop('sleep', page(nap, pending));
    expect(batch.sleep).toHaveLength(2);
    expect(batch.scores).toHaveLength(0);
    expect(batch.samples).toHaveLength(1);
  });

  it('maps a scored cycle to the day strain, and skips an unscored one', () => {
    const current = whoopNight({
      userId: 1,
      cycleId: 12,
      sleepStartMs: at('2026-05-25T03:00:00Z'),
      current: true,
    }).cycle;
    const pending = whoopNight({
      userId: 1,
      cycleId: 13,
      sleepStartMs: at('2026-05-24T03:00:00Z'),
      scoreState: 'PENDING_SCORE',
    }).cycle;
    const batch = mapWhoop('cycle', page(current, pending));
    expect(batch.scores).toHaveLength(1);
    expect(batch.scores[0]).toMatchObject({
      category: 'strain',
      score: 12.5,
      date: '2026-05-25',
      rangeMax: 21,
    });
    expect(batch.scores[0]?.components).toMatchObject({
      in_progress: true,
      energy_kilojoules: 8368,
      total_energy_kcal: 2000,
    });
    expect(batch.samples).toHaveLength(0);
  });

  it('maps the body measurement in cm and kg', () => {
    const batch = mapWhoop('body', {
      measured_at: '2026-05-25T00:00:00.000Z',
      body: { height_meter: 1.8288, weight_kilogram: 90.7185, max_heart_rate: 200 },
    });
    expect(batch.samples.map((s) => [s.seriesTypeId, s.value])).toEqual([
      [id('height'), 182.88],
      [id('weight'), 90.7185],
    ]);
    expect(mapWhoop('body', { measured_at: '2026-05-25T00:00:00.000Z', body: null }).samples).toEqual([]);
  });

  it('refuses malformed payloads with a message naming the record and field', () => {
    const bad = (resource: string, payload: unknown) => () => mapWhoop(resource, payload);
    expect(bad('sleep', 'nope')).toThrow(ProviderResponseError);
    expect(bad('sleep', { records: 'x' })).toThrow(/"records" must be an array/);
    expect(
      bad(
        'workout',
        page({ id: 'w', start: 'yesterday', end: '2026-05-25T00:00:00Z', score_state: 'SCORED' }),
      ),
    ).toThrow(/workout record 1 is malformed: start: not an ISO-8601 date-time/);
    expect(bad('cycle', page({ id: 1, start: '2026-05-25T00:00:00Z', score_state: 'DONE' }))).toThrow(
      /score_state/,
    );
    expect(
      bad(
        'sleep',
        page({
          id: 's',
          start: '2026-05-25T00:00:00Z',
          end: '2026-05-25T01:00:00Z',
          score_state: 'SCORED',
          timezone_offset: 'EST',
        }),
      ),
    ).toThrow(/timezone_offset/);
    expect(
      bad('recovery', page({ cycle_id: 1, score_state: 'SCORED', score: { recovery_score: 50 } })),
    ).toThrow(/no sleep in the payload and no created_at/);
    expect(bad('steps', page())).toThrow(/no resource "steps"/);
  });
});
