import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { ProviderAuthError, ProviderResponseError } from '../../../src/providers/errors.ts';
import type { VendorHttp } from '../../../src/providers/types.ts';
import {
  localMidnightMs,
  scaled,
  withingsCall,
  zoneOffsetMin,
} from '../../../src/providers/withings/common.ts';
import { withingsSignature } from '../../../src/providers/withings/index.ts';
import { mapWithings } from '../../../src/providers/withings/map.ts';
import { withingsWebhook } from '../../../src/providers/withings/webhook.ts';
import {
  UNKNOWN_CATALOG_TYPES,
  withingsWorkoutType,
} from '../../../src/providers/withings/workout-categories.ts';

/** Withings mappers on small fixtures of our own: units, offsets, edge cases, malformed payloads. */

const named = (batch: CanonicalBatch) =>
  batch.samples.map((s) => [findSeriesTypeById(s.seriesTypeId)?.name, s.value] as const);

describe('value × 10^unit', () => {
  it('is exact for negative units (division, not multiplication by 0.001)', () => {
    expect(scaled(65750, -3)).toBe(65.75);
    expect(scaled(1234, -2)).toBe(12.34);
    expect(scaled(367, -1)).toBe(36.7);
    expect(scaled(120, 0)).toBe(120);
    expect(scaled(18, 1)).toBe(180);
    // Why division: the naive product is off by an ulp for many values (1.2000000000000002).
    expect(12 * 10 ** -1).not.toBe(1.2);
    expect(scaled(12, -1)).toBe(1.2);
    expect(scaled(9, -3)).toBe(0.009);
    expect(() => scaled(1.5, -1)).toThrow(ProviderResponseError);
  });
});

describe('getmeas', () => {
  const payload = {
    status: 0,
    body: {
      timezone: 'Europe/Paris',
      measuregrps: [
        {
          grpid: 1,
          date: Date.parse('2026-07-01T06:00:00Z') / 1000,
          category: 1,
          model: 'Body Cardio',
          measures: [
            { type: 1, value: 80125, unit: -3 },
            { type: 4, value: 1825, unit: -3 }, // 1.825 m → 182.5 cm
            { type: 6, value: 2345, unit: -2 },
            { type: 8, value: 18789, unit: -3 },
            { type: 5, value: 61336, unit: -3 },
            { type: 76, value: 58000, unit: -3 }, // muscle mass: no catalog series (left out)
            { type: 77, value: 44000, unit: -3 }, // hydration kg: not the catalog's intake mL
            { type: 88, value: 3100, unit: -3 }, // bone mass: no catalog series
          ],
        },
        {
          grpid: 2,
          date: Date.parse('2026-01-15T07:30:00Z') / 1000,
          category: 1,
          measures: [
            { type: 10, value: 128, unit: 0 },
            { type: 9, value: 82, unit: 0 },
            { type: 11, value: 64, unit: 0 },
            { type: 54, value: 975, unit: -1 },
            { type: 71, value: 3682, unit: -2 },
            { type: 73, value: 3390, unit: -2 },
          ],
        },
        // A goal (category 2) is not a measurement.
        { grpid: 3, date: 1_700_000_000, category: 2, measures: [{ type: 1, value: 75, unit: 0 }] },
      ],
      more: 0,
      offset: 0,
    },
  };

  it('maps every measured type in catalog units with the zone offset of its date', () => {
    const batch = mapWithings('measures', payload);
    expect(named(batch)).toEqual([
      ['weight', 80.125],
      ['height', 182.5],
      ['body_fat_percentage', 23.45],
      ['body_fat_mass', 18.789],
      ['lean_body_mass', 61.336],
      ['blood_pressure_systolic', 128],
      ['blood_pressure_diastolic', 82],
      ['heart_rate', 64],
      ['oxygen_saturation', 97.5],
      ['body_temperature', 36.82],
      ['skin_temperature', 33.9],
    ]);
    // Paris: summer time +120, winter +60.
    expect(batch.samples[0]?.utcOffsetMin).toBe(120);
    expect(batch.samples[5]?.utcOffsetMin).toBe(60);
    expect(batch.sources.map((s) => s.deviceName)).toEqual(['Body Cardio', null]);
  });

  it('a malformed payload is a clear response error, not a crash', () => {
    expect(() => mapWithings('measures', { measuregrps: [{ grpid: 1, date: 'x', measures: [] }] })).toThrow(
      /Withings getmeas payload is malformed at measuregrps\.0\.date/,
    );
    expect(() => mapWithings('measures', null)).toThrow(ProviderResponseError);
    expect(() => mapWithings('nope', {})).toThrow(/no resource "nope"/);
  });
});

describe('activity', () => {
  it('a DST day in New York is 23 hours long; active vs total kcal', () => {
    const batch = mapWithings('activity', {
      activities: [
        {
          date: '2026-03-08',
          timezone: 'America/New_York',
          steps: 9000,
          calories: 420.5,
          totalcalories: 2400.5,
          distance: 6500.2,
        },
      ],
    });
    const steps = batch.samples[0];
    expect(steps?.startMs).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(steps?.durationMs).toBe(23 * 3_600_000);
    expect(steps?.utcOffsetMin).toBe(-300);
    expect(named(batch)).toEqual([
      ['steps', 9000],
      ['distance_walking_running', 6500.2],
      ['energy', 420.5],
      ['basal_energy', 1980],
    ]);
  });

  it('intraday: epoch-second keys, sums over their duration, HRV labelled RMSSD and SDNN', () => {
    const batch = mapWithings('intraday', {
      series: {
        '1782900000': { steps: 42, calories: 3.1, distance: 30, duration: 60, heart_rate: 0 },
        '1782900060': { heart_rate: 71, spo2_auto: 96, rmssd: 41, sdnn1: 55, rr: 14 },
      },
    });
    expect(named(batch)).toEqual([
      ['steps', 42],
      ['energy', 3.1],
      ['distance_walking_running', 30],
      ['heart_rate', 71],
      ['oxygen_saturation', 96],
      ['heart_rate_variability_rmssd', 41],
      ['heart_rate_variability_sdnn', 55],
      ['respiratory_rate', 14],
    ]);
    expect(batch.samples[0]?.durationMs).toBe(60_000);
    expect(batch.samples[0]?.startMs).toBe(1_782_900_000_000);
    expect(mapWithings('intraday', { series: [] }).samples).toEqual([]);
    expect(() => mapWithings('intraday', { series: { yesterday: {} } })).toThrow(/not an epoch second/);
  });
});

describe('workouts', () => {
  it('category codes → catalog types; every table entry is a catalog type', () => {
    expect(UNKNOWN_CATALOG_TYPES).toEqual([]);
    expect(withingsWorkoutType(2).type).toBe('running');
    expect(withingsWorkoutType(307).type).toBe('treadmill');
    expect(withingsWorkoutType(9999)).toEqual({ type: 'other', name: 'category 9999' });
  });

  it('maps times, kcal, metres and the offset; ends before starts is an error', () => {
    const start = Date.parse('2026-07-01T16:00:00Z') / 1000;
    const batch = mapWithings('workouts', {
      series: [
        {
          id: 77,
          category: 6,
          timezone: 'Asia/Kathmandu',
          startdate: start,
          enddate: start + 3600,
          data: { calories: 512.5, distance: 25000, hr_average: 140, hr_max: 171, elevation: 210 },
        },
      ],
    });
    const [w] = batch.workouts;
    expect(w).toMatchObject({
      type: 'cycling',
      sourceActivityType: 'Bicycling',
      externalId: 'withings:workout:77',
      durationS: 3600,
      energyKcal: 512.5,
      distanceM: 25000,
      avgHeartRateBpm: 140,
      maxHeartRateBpm: 171,
      elevationGainM: 210,
      utcOffsetMin: 345,
    });
    expect(() =>
      mapWithings('workouts', { series: [{ id: 1, category: 1, startdate: 10, enddate: 5 }] }),
    ).toThrow(/ends before it starts/);
  });
});

describe('sleep', () => {
  const start = Date.parse('2026-07-01T21:30:00Z') / 1000; // 23:30 in Paris
  const combined = {
    summaries: [
      {
        id: 9,
        timezone: 'Europe/Paris',
        model: 32,
        startdate: start,
        enddate: start + 8 * 3600,
        date: '2026-07-02',
        data: { sleep_score: 81, hr_average: 55 },
      },
    ],
    details: [
      {
        timezone: 'Europe/Paris',
        model: 32,
        series: [
          { startdate: start, enddate: start + 600, state: 0, hr: { [String(start + 60)]: 62 } },
          // Crosses local midnight (22:00 UTC).
          {
            startdate: start + 600,
            enddate: start + 7200,
            state: 1,
            hr: { [String(start + 1800)]: 54, [String(start + 60)]: 62 },
            rr: { [String(start + 1800)]: 13 },
          },
          {
            startdate: start + 7200,
            enddate: start + 9000,
            state: 2,
            rmssd: { [String(start + 7300)]: 48 },
            sdnn_1: { [String(start + 7300)]: 60 },
          },
          { startdate: start + 9000, enddate: start + 10800, state: 3 },
          { startdate: start + 10800, enddate: start + 11000, state: 15 },
          { startdate: start + 11000, enddate: start + 11100, state: 42 },
        ],
      },
    ],
  };

  it('in-bed span, score 0–100 on the wake-up date, stages, per-second series without duplicates', () => {
    const batch = mapWithings('sleep', combined);
    expect(batch.sleep.map((s) => s.stage)).toEqual([
      'in_bed',
      'awake',
      'light',
      'deep',
      'rem',
      'awake',
      'unknown',
    ]);
    expect(batch.sleep[0]).toMatchObject({
      startMs: start * 1000,
      endMs: (start + 8 * 3600) * 1000,
      utcOffsetMin: 120,
      externalId: 'withings:sleep:9',
    });
    expect(batch.scores).toEqual([
      expect.objectContaining({
        provider: 'withings',
        category: 'sleep',
        date: '2026-07-02',
        score: 81,
        rangeMin: 0,
        rangeMax: 100,
      }),
    ]);
    expect(named(batch)).toEqual([
      ['heart_rate', 62],
      ['heart_rate', 54],
      ['respiratory_rate', 13],
      ['heart_rate_variability_rmssd', 48],
      ['heart_rate_variability_sdnn', 60],
    ]);
    expect(batch.sources.map((s) => s.deviceName)).toEqual(['Withings sleep monitor']);
  });

  it('a summary that does not end after it starts is an error', () => {
    expect(() =>
      mapWithings('sleep', { summaries: [{ ...combined.summaries[0], enddate: start }], details: [] }),
    ).toThrow(/does not end after it starts/);
  });
});

describe('time zones', () => {
  it('offsets by IANA name, unknown names give null', () => {
    expect(zoneOffsetMin('Asia/Kolkata', 0)).toBe(330);
    expect(zoneOffsetMin('UTC', 0)).toBe(0);
    expect(zoneOffsetMin('string', 0)).toBeNull();
    expect(localMidnightMs('2026-10-25', 'Europe/Paris')).toBe(Date.parse('2026-10-24T22:00:00Z'));
  });
});

describe('in-body statuses', () => {
  const http = (answer: unknown): VendorHttp => ({
    request: async () => ({ status: 200, headers: new Headers(), body: answer as never }),
    json: async () => answer as never,
  });
  it('0 → body; auth statuses → ProviderAuthError; others → a clear response error', async () => {
    await expect(withingsCall(http({ status: 0, body: { a: 1 } }), { path: '/measure' })).resolves.toEqual({
      a: 1,
    });
    for (const status of [100, 101, 102, 200, 401])
      await expect(withingsCall(http({ status }), { path: '/measure' })).rejects.toBeInstanceOf(
        ProviderAuthError,
      );
    await expect(
      withingsCall(http({ status: 503, error: 'Invalid params' }), {
        path: '/measure',
        form: { action: 'getmeas' },
      }),
    ).rejects.toThrow('Withings /measure action=getmeas failed with status 503: Invalid params');
    await expect(withingsCall(http([1]), { path: '/measure' })).rejects.toThrow(ProviderResponseError);
  });
});

describe('notifications', () => {
  const request = (method: string, body = '') => ({
    method,
    headers: {},
    query: {},
    body: new TextEncoder().encode(body),
  });
  it('answers the HEAD probe, parses form bodies per appli, dedupes on their fields', () => {
    expect(withingsWebhook.handshake?.(request('HEAD'), [])).toEqual({ status: 200 });
    expect(withingsWebhook.handshake?.(request('POST', 'userid=1'), [])).toBeUndefined();
    const parsed = withingsWebhook.parse(
      request('POST', 'userid=12345&appli=44&startdate=1782900000&enddate=1782930000'),
    );
    expect(parsed).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: '12345',
          target: {
            resource: 'sleep',
            fromMs: 1_782_900_000_000,
            toMs: 1_782_930_000_000,
            details: { appli: '44' },
          },
        },
      ],
    });
    expect(withingsWebhook.parse(request('POST', 'userid=1&appli=50&date=1782900000'))).toMatchObject({
      ok: true,
      notifications: [{ kind: 'ignore' }],
    });
    expect(withingsWebhook.parse(request('POST', '{"userid":1}'))).toMatchObject({ ok: false });
    expect(withingsWebhook.parse(request('POST', 'userid=1&appli=1&startdate=9&enddate=3'))).toMatchObject({
      ok: false,
    });
    const a = withingsWebhook.dedupeKey?.(request('POST', 'userid=1&appli=1&startdate=2&enddate=3'));
    const b = withingsWebhook.dedupeKey?.(request('POST', 'enddate=3&startdate=2&appli=1&userid=1'));
    expect(a).toBe(b);
  });

  it('signs like Withings: hex HMAC-SHA256 over comma-joined values', () => {
    // echo -n "revoke,client,nonce" | openssl dgst -sha256 -hmac secret
    expect(withingsSignature('secret', ['revoke', 'client', 'nonce'])).toMatch(/^[0-9a-f]{64}$/);
    expect(withingsSignature('secret', ['a', 'b'])).not.toBe(withingsSignature('secret', ['a,b', '']));
  });
});
