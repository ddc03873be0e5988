import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import { parseStravaJson } from '../../../src/providers/strava/json.ts';
import { mapStrava } from '../../../src/providers/strava/map.ts';
import { mapLap } from '../../../src/providers/strava/map-activity.ts';
import { StravaLap } from '../../../src/providers/strava/schemas.ts';
import { stravaWebhook } from '../../../src/providers/strava/webhook.ts';

/**
 * Strava's own documentation examples (../shared/reference/providers/strava, read in place, never
 * copied): every data payload maps, with its records counted.
 */
const folder = join(import.meta.dirname, '../../../../shared/reference/providers/strava');
const present = existsSync(folder);

const read = (file: string) => readFileSync(join(folder, file), 'utf8');
const parsed = (file: string) => parseStravaJson(read(file));

/** Files that are not data payloads WearLink maps, and why. */
const SKIPPED: Record<string, string> = {
  'SOURCE.txt': 'provenance note, not a payload',
  'strava-swagger-v3.json': 'the OpenAPI spec; its response examples are the other files here',
  'athlete_zones.json':
    "the athlete's heart-rate/power zone settings: configuration, not health data (not fetched)",
};
const MAPPED = [
  'activity_detailed_GET_activities_id.json',
  'athlete_activities_list_summary.json',
  'activity_streams.json',
  'activity_laps.json',
  'athlete_detailed.json',
  'webhook_event_activity_update.json',
];

const counts = (batch: ReturnType<typeof mapStrava>) => {
  const bySeries: Record<string, number> = {};
  for (const s of batch.samples) {
    const name = findSeriesTypeById(s.seriesTypeId)?.name ?? String(s.seriesTypeId);
    bySeries[name] = (bySeries[name] ?? 0) + 1;
  }
  return {
    workouts: batch.workouts.length,
    sleep: batch.sleep.length,
    scores: batch.scores.length,
    route: batch.workouts.reduce((n, w) => n + w.route.length, 0),
    segments: batch.workouts.reduce((n, w) => n + w.segments.length, 0),
    samples: bySeries,
  };
};

describe.skipIf(!present)(
  `Strava reference corpus${present ? '' : ' (skipped: ../shared/reference/providers/strava is absent)'}`,
  () => {
    it('knows every file of the folder (mapped or skipped with a reason)', () => {
      expect(readdirSync(folder).sort()).toEqual([...MAPPED, ...Object.keys(SKIPPED)].sort());
    });

    it('activity detail → one ride with exact int64 ids, its lap, local offset, calories', () => {
      const batch = mapStrava('activities', {
        activities: [parsed('activity_detailed_GET_activities_id.json')],
      });
      expect(counts(batch)).toEqual({
        workouts: 1,
        sleep: 0,
        scores: 0,
        route: 0,
        segments: 1,
        samples: { distance_cycling: 1, energy: 1 },
      });
      const w = batch.workouts[0];
      expect(w).toMatchObject({
        externalId: '12345678987654321',
        type: 'cycling',
        sourceActivityType: 'Ride',
        startMs: Date.parse('2018-02-16T14:52:54Z'),
        durationS: 4410,
        distanceM: 28099,
        energyKcal: 870.2,
        elevationGainM: 516,
        utcOffsetMin: -480,
        avgHeartRateBpm: null,
      });
      expect(w?.metadata).toMatchObject({
        upload_id: '98765432123456789',
        time_zone: 'America/Los_Angeles',
        device_name: 'Garmin Edge 1030',
      });
      expect(w?.statistics.work).toEqual({ value: 780.5, unit: 'kJ' });
    });

    it('activity list → two rides, ids and an upload id beyond int64 exact, DST offset from local time', () => {
      const batch = mapStrava('activities', { activities: parsed('athlete_activities_list_summary.json') });
      expect(counts(batch)).toEqual({
        workouts: 2,
        sleep: 0,
        scores: 0,
        route: 0,
        segments: 0,
        samples: { distance_cycling: 2 },
      });
      expect(batch.workouts.map((w) => w.externalId)).toEqual(['154504250376823', '1234567809']);
      expect(batch.workouts[0]?.metadata.upload_id).toBe('987654321234567891234');
      // "(GMT-08:00) America/Los_Angeles" in May: the athlete lived UTC−7.
      expect(batch.workouts.map((w) => w.utcOffsetMin)).toEqual([-420, -420]);
      expect(batch.workouts[0]).toMatchObject({
        avgHeartRateBpm: 140.3,
        maxHeartRateBpm: 178,
        energyKcal: null,
      });
    });

    it('streams (array form, distance only) attach to their activity and add no HR or route points', () => {
      const detail = parsed('activity_detailed_GET_activities_id.json') as { id: string };
      const batch = mapStrava('activities', {
        activities: [detail],
        streams: { [detail.id]: parsed('activity_streams.json') },
      });
      expect(counts(batch)).toMatchObject({
        workouts: 1,
        route: 0,
        samples: { distance_cycling: 1, energy: 1 },
      });
    });

    it('laps → lap segments', () => {
      const laps = (parsed('activity_laps.json') as unknown[]).map((l) => mapLap(StravaLap.parse(l)));
      expect(laps).toEqual([
        expect.objectContaining({
          kind: 'lap',
          start: '2018-02-08T14:13:37.000Z',
          end: '2018-02-08T14:41:48.000Z',
          distance_m: 8046.72,
          moving_time_s: 1587,
        }),
      ]);
    });

    it('athlete profile → no weight sample (weight 0 is "not set")', () => {
      const athlete = parsed('athlete_detailed.json') as { id: string };
      expect(athlete.id).toBe('1234567890987654321');
      const batch = mapStrava('athlete', { athlete, fetched_at: '2026-12-01T00:00:00Z' });
      expect(counts(batch).samples).toEqual({});
    });

    it('webhook event → a pull of the named activity for its owner', () => {
      const result = stravaWebhook.parse({
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        query: {},
        body: new TextEncoder().encode(read('webhook_event_activity_update.json')),
      });
      expect(result).toEqual({
        ok: true,
        notifications: [
          {
            kind: 'pull',
            providerUserId: '2402700',
            target: {
              resource: 'activities',
              objectId: '3604148047',
              details: { aspect_type: 'update', subscription_id: '120475' },
            },
          },
        ],
      });
    });
  },
);
