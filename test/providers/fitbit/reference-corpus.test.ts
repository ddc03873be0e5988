import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import {
  mapFitbitLegacy,
  parseLegacyFitbitNotifications,
} from '../../../src/providers/fitbit/legacy/index.ts';

/**
 * Every file of the Fitbit reference folder maps (or parses) through the legacy mappers, with the
 * expected records computed from the file's own content here, not copied from the mapper's output.
 * A file in no list fails the suite, so a new reference file is never silently ignored.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/fitbit');
const present = existsSync(referenceDir);

const SKIPPED: Record<string, string> = { 'SOURCE.txt': 'provenance notes, not a payload' };
const DAILY = 'dynamicdata-activities_daily_summary_excerpt.json';
const ENTRY = 'dynamicdata-activity_log_entry_excerpt.json';
const FLAT_SLEEP = 'dynamicdata-sleep_levels_summary_flattened.json';
const NOTIFICATION = 'subscription_notification_docs_example.json';
const COVERED = [DAILY, ENTRY, FLAT_SLEEP, NOTIFICATION];

const readJson = (file: string): any => JSON.parse(readFileSync(join(referenceDir, file), 'utf8'));

const seriesValues = (batch: CanonicalBatch) =>
  Object.fromEntries(batch.samples.map((s) => [findSeriesTypeById(s.seriesTypeId)?.name, s.value]));

describe.skipIf(!present)(
  `Fitbit reference corpus${present ? '' : ' (skipped: ../shared/reference/providers/fitbit is absent)'}`,
  () => {
    const files = present ? readdirSync(referenceDir).sort() : [];

    it('covers every file of the folder', () => {
      const known = new Set([...COVERED, ...Object.keys(SKIPPED)]);
      expect(files.filter((f) => !known.has(f))).toEqual([]);
      expect(COVERED.filter((f) => !files.includes(f))).toEqual([]);
    });

    it(`${DAILY} → one day sample per mapped value`, () => {
      const json = readJson(DAILY);
      const batch = mapFitbitLegacy('daily_summary', json, { date: '2021-12-29', utcOffsetMinutes: 120 });
      const nonSedentary = json.lightlyActiveMinutes + json.fairlyActiveMinutes + json.veryActiveMinutes;
      expect(seriesValues(batch)).toEqual({
        steps: json.steps,
        basal_energy: json.caloriesBMR,
        energy: json.caloriesOut - json.caloriesBMR,
        distance_walking_running: json.distances.tracker * 1000,
        flights_climbed: json.floors,
        active_time: nonSedentary,
        resting_heart_rate: json.restingHeartRate,
      });
      expect(batch.samples).toHaveLength(7);
      // Active + basal add up to Fitbit's total out; the day starts at local midnight (UTC+2).
      expect(batch.samples.map((s) => s.startMs)).toEqual(Array(7).fill(Date.parse('2021-12-28T22:00:00Z')));
      expect(batch.sources).toEqual([{ provider: 'fitbit' }]);
    });

    it(`${ENTRY} → one workout with the entry's values`, () => {
      const json = readJson(ENTRY);
      const batch = mapFitbitLegacy('activity_log', json);
      expect(batch.samples).toEqual([]);
      expect(batch.sleep).toEqual([]);
      expect(batch.workouts).toHaveLength(1);
      const w = batch.workouts[0]!;
      const start = Date.parse(json.startTime);
      expect(w).toMatchObject({
        externalId: String(json.logId),
        type: 'walking',
        sourceActivityType: json.activityName,
        startMs: start,
        endMs: start + json.duration,
        durationS: json.duration / 1000,
        // The excerpt has no distance field.
        distanceM: null,
        energyKcal: json.calories,
        avgHeartRateBpm: json.averageHeartRate,
        elevationGainM: json.elevationGain,
        steps: json.steps,
        utcOffsetMin: 120,
        metadata: {
          log_type: json.logType,
          activity_type_id: json.activityTypeId,
          last_modified: json.lastModified,
        },
      });
      expect(w.statistics.heart_rate_zones).toHaveLength(json.heartRateZones.length);
      expect(w.statistics.active_zone_minutes).toBe(json.activeZoneMinutes.totalMinutes);
      expect(w.statistics.active_duration_s).toBe(json.activeDuration / 1000);
    });

    // The file is `levels.summary` flattened together with the project's own fields (startTimeTS and
    // endTimeTS are not Fitbit fields). What maps: the session (startTime/endTime) as one in_bed
    // interval. The per-stage minutes have no timing, so no stage interval can be placed.
    it(`${FLAT_SLEEP} → one in_bed interval and no stages`, () => {
      const json = readJson(FLAT_SLEEP);
      const batch = mapFitbitLegacy('sleep', json);
      expect(batch.sleep).toHaveLength(1);
      expect(batch.sleep[0]).toMatchObject({
        stage: 'in_bed',
        startMs: json.startTimeTS,
        endMs: json.endTimeTS,
        externalId: null,
        utcOffsetMin: null,
      });
      expect(batch.samples).toEqual([]);
      // The summary's minutes cover the time in bed: what the interval spans (to the minute).
      const summed = ['deep', 'light', 'rem', 'wake'].reduce((acc, k) => acc + json[k].minutes, 0);
      expect(summed).toBe(json.timeInBed);
      expect(Math.floor((json.endTimeTS - json.startTimeTS) / 60_000)).toBe(json.timeInBed);
    });

    it(`${NOTIFICATION} → a pull per legacy kind of each notified collection`, () => {
      const json = readJson(NOTIFICATION);
      const out = parseLegacyFitbitNotifications(json);
      const kindsOf: Record<string, string[]> = {
        activities: ['activity_log', 'daily_summary'],
        sleep: ['sleep'],
      };
      const expected = json.flatMap((n: any) =>
        (kindsOf[n.collectionType] ?? []).map((resource) => ({
          providerUserId: n.ownerId,
          resource,
          date: n.date,
        })),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(
        out.map((n) =>
          n.kind === 'pull'
            ? { providerUserId: n.providerUserId, resource: n.target.resource, date: n.target.details?.date }
            : n,
        ),
      ).toEqual(expected);
    });
  },
);
