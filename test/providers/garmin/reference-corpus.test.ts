import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapGarmin } from '../../../src/providers/garmin/map.ts';
import { resourceOfListKey } from '../../../src/providers/garmin/summary-types.ts';

/**
 * Every file of the Garmin reference folder (push bodies from Garmin's spec examples, one ping) goes
 * through `mapGarmin` under the resource its list key names. What each file must yield is counted here
 * from the file's own content, with the rule (API-NOTES §1.3) written next to it; a file the table does
 * not know fails the suite, so a new reference file is never silently ignored.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/garmin');
const present = existsSync(referenceDir);

type Json = Record<string, unknown>;
const objects = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const mapValues = (v: unknown): number[] =>
  v !== null && typeof v === 'object'
    ? Object.values(v as Json).filter((x): x is number => typeof x === 'number')
    : [];
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
/** How many of `xs` pass, as a count map entry only when there are any (batches hold no zero counts). */
const tally = (into: Record<string, number>, key: string, n: number) => {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
};

interface Counts {
  samples: Record<string, number>;
  workouts: number;
  routePoints: number;
  sleep: Record<string, number>;
  scores: Record<string, number>;
}
const none = (): Counts => ({ samples: {}, workouts: 0, routePoints: 0, sleep: {}, scores: {} });

function countsOf(batch: CanonicalBatch): Counts {
  const out = none();
  for (const s of batch.samples) tally(out.samples, findSeriesTypeById(s.seriesTypeId)?.name ?? '?', 1);
  out.workouts = batch.workouts.length;
  out.routePoints = batch.workouts.reduce((n, w) => n + w.route.length, 0);
  for (const i of batch.sleep) tally(out.sleep, i.stage, 1);
  for (const s of batch.scores) tally(out.scores, s.category, 1);
  return out;
}

/** Counts from a file's items, per Garmin's documented semantics. */
type Rule = (items: Json[]) => Counts;

/** A rule that tallies item by item. */
const readings =
  (rule: (c: Counts, item: Json) => void): Rule =>
  (items) => {
    const c = none();
    for (const item of items) rule(c, item);
    return c;
  };

/** Health Snapshot summary types (SDRR is an SDNN of RR intervals). */
const SNAPSHOT_SERIES: Record<string, string> = {
  heart_rate: 'heart_rate',
  respiration: 'respiratory_rate',
  stress: 'stress_level',
  spo2: 'oxygen_saturation',
  rmssd_hrv: 'heart_rate_variability_rmssd',
  sdrr_hrv: 'heart_rate_variability_sdnn',
};

const RULES: Record<string, Rule> = {
  // Heart-rate offsets with a beat; day totals (resting HR, BMR, floors, active time) only for a complete
  // day (86 400 s); the day's average stress (0–100; −1 = not enough data) as a stress score.
  dailies: readings((c, d) => {
    tally(c.samples, 'heart_rate', mapValues(d.timeOffsetHeartRateSamples).filter((v) => v > 0).length);
    if (isNum(d.durationInSeconds) && d.durationInSeconds >= 86_400) {
      tally(c.samples, 'resting_heart_rate', isNum(d.restingHeartRateInBeatsPerMinute) ? 1 : 0);
      tally(c.samples, 'basal_energy', isNum(d.bmrKilocalories) ? 1 : 0);
      tally(c.samples, 'flights_climbed', isNum(d.floorsClimbed) ? 1 : 0);
      tally(c.samples, 'active_time', isNum(d.activeTimeInSeconds) ? 1 : 0);
    }
    const stress = d.averageStressLevel ?? d.averageStresslevel;
    tally(c.scores, 'stress', isNum(stress) && stress >= 0 && stress <= 100 ? 1 : 0);
  }),
  // One slice per start, summed over activity types, only once complete (900 s): a shorter record is
  // partial and Garmin re-sends the slice whole.
  epochs: readings((c, e) => {
    if (!isNum(e.durationInSeconds) || e.durationInSeconds < 900) return;
    tally(c.samples, 'steps', isNum(e.steps) ? 1 : 0);
    tally(c.samples, 'energy', isNum(e.activeKilocalories) ? 1 : 0);
    const onFoot = e.activityType === 'WALKING' || e.activityType === 'RUNNING';
    const distance = isNum(e.distanceInMeters) && e.distanceInMeters > 0;
    tally(c.samples, onFoot ? 'distance_walking_running' : 'distance_other', distance ? 1 : 0);
    tally(c.samples, 'average_met', isNum(e.met) && isNum(e.activeTimeInSeconds) ? 1 : 0);
  }),
  // Every sleep but OFF_WRIST: an in-bed session plus one interval per `sleepLevelsMap` span; SpO2 and
  // breathing offsets during sleep; the overall sleep score when given.
  sleeps: readings((c, s) => {
    if (String(s.validation).toUpperCase() === 'OFF_WRIST') return;
    tally(c.sleep, 'in_bed', 1);
    for (const [stage, spans] of Object.entries((s.sleepLevelsMap ?? {}) as Json))
      tally(c.sleep, stage, objects(spans).length);
    tally(c.samples, 'oxygen_saturation', mapValues(s.timeOffsetSleepSpo2).filter((v) => v > 0).length);
    tally(c.samples, 'respiratory_rate', mapValues(s.timeOffsetSleepRespiration).filter((v) => v > 0).length);
    tally(c.scores, 'sleep', isNum((s.overallSleepScore as Json | undefined)?.value) ? 1 : 0);
  }),
  // Stress levels 0–100 (negative values are codes: off wrist, motion, …); Body Battery levels.
  stress_details: readings((c, s) => {
    tally(c.samples, 'stress_level', mapValues(s.timeOffsetStressLevelValues).filter((v) => v >= 0).length);
    tally(c.samples, 'body_battery', mapValues(s.timeOffsetBodyBatteryValues).filter((v) => v >= 0).length);
  }),
  // Weight, muscle mass, body fat, BMI; bone mass and body water have no canonical series.
  body_comps: readings((c, b) => {
    for (const [field, series] of [
      ['weightInGrams', 'weight'],
      ['muscleMassInGrams', 'skeletal_muscle_mass'],
      ['bodyFatInPercent', 'body_fat_percentage'],
      ['bodyMassIndex', 'body_mass_index'],
    ] as const)
      tally(c.samples, series, isNum(b[field]) ? 1 : 0);
  }),
  // VO2 max of the calendar day (cycling VO2 max and fitness age have no series).
  user_metrics: readings((c, u) => tally(c.samples, 'vo2_max', isNum(u.vo2Max) ? 1 : 0)),
  pulse_ox: readings((c, p) =>
    tally(c.samples, 'oxygen_saturation', mapValues(p.timeOffsetSpo2Values).filter((v) => v > 0).length),
  ),
  respiration: readings((c, r) =>
    tally(c.samples, 'respiratory_rate', mapValues(r.timeOffsetEpochToBreaths).filter((v) => v > 0).length),
  ),
  // Each summary type's per-second epoch values (its average only when it has none).
  health_snapshot: readings((c, h) => {
    for (const s of objects(h.summaries)) {
      const name = SNAPSHOT_SERIES[String(s.summaryType)];
      if (typeof name !== 'string') continue;
      const epochs = mapValues(s.epochSummaries).length;
      tally(c.samples, name, epochs > 0 ? epochs : isNum(s.avgValue) ? 1 : 0);
    }
  }),
  // RMSSD every 5 minutes; the night's average only when there are no values (it would count twice).
  hrv: readings((c, h) => {
    const n = mapValues(h.hrvValues).filter((v) => v > 0).length;
    tally(c.samples, 'heart_rate_variability_rmssd', n > 0 ? n : isNum(h.lastNightAvg) ? 1 : 0);
  }),
  blood_pressures: readings((c, b) => {
    tally(c.samples, 'blood_pressure_systolic', isNum(b.systolic) ? 1 : 0);
    tally(c.samples, 'blood_pressure_diastolic', isNum(b.diastolic) ? 1 : 0);
    tally(c.samples, 'heart_rate', isNum(b.pulse) ? 1 : 0);
  }),
  skin_temp: readings((c, s) =>
    tally(c.samples, 'skin_temperature_deviation', isNum(s.avgDeviationCelsius) ? 1 : 0),
  ),
  // One workout per activity; its steps, distance and energy are the dailies' and epochs', not samples.
  activities: readings((c, a) => {
    c.workouts += isNum(a.startTimeInSeconds) && isNum(a.durationInSeconds) ? 1 : 0;
  }),
  // The summary's workout; per sample a heart rate (> 0), speed, power and elevation (a run's speed and
  // power on the running series); a route point per sample with a position.
  activity_details: readings((c, d) => {
    c.workouts += 1;
    const running = /RUN/.test(String((d.summary as Json).activityType));
    for (const s of objects(d.samples)) {
      tally(c.samples, 'heart_rate', isNum(s.heartRate) && s.heartRate > 0 ? 1 : 0);
      tally(c.samples, running ? 'running_speed' : 'speed', isNum(s.speedMetersPerSecond) ? 1 : 0);
      tally(c.samples, running ? 'running_power' : 'power', isNum(s.powerInWatts) ? 1 : 0);
      tally(c.samples, 'elevation', isNum(s.elevationInMeters) ? 1 : 0);
      c.routePoints += isNum(s.latitudeInDegree) && isNum(s.longitudeInDegree) ? 1 : 0;
    }
  }),
  // Move IQ spans are auto-detected, not fitness activities: deliberately not mapped (map-activity.ts).
  move_iq: () => none(),
};
RULES.manually_updated_activities = RULES.activities as Rule;

/** Files that are not push bodies. */
const NOT_PAYLOADS: Record<string, string> = { 'SOURCE.txt': 'provenance notes, not a payload' };
const PING = 'ping-dailies-docs-example.json';

const files = present ? readdirSync(referenceDir).sort() : [];
const read = (file: string) => JSON.parse(readFileSync(join(referenceDir, file), 'utf8')) as Json;

/** A push body's single list key and its items. */
function listOf(file: string): { listKey: string; resource: string | undefined; items: Json[] } {
  const keys = Object.keys(read(file));
  expect(keys).toHaveLength(1);
  const listKey = keys[0] as string;
  return { listKey, resource: resourceOfListKey(listKey), items: objects(read(file)[listKey]) };
}

describe.skipIf(!present)(
  `Garmin reference corpus${present ? '' : ' (skipped: /work/shared/reference is absent)'}`,
  () => {
    it('has a rule for every file (no reference file is silently ignored)', () => {
      const unknown = files.filter((f) => {
        if (f in NOT_PAYLOADS || f === PING) return false;
        const { resource } = listOf(f);
        return resource === undefined || !(resource in RULES);
      });
      expect(unknown).toEqual([]);
      expect(files.length).toBeGreaterThanOrEqual(15);
    });

    for (const file of files.filter((f) => !(f in NOT_PAYLOADS) && f !== PING)) {
      it(`${file} maps to what its content says`, () => {
        const { resource, items } = listOf(file);
        expect(items.length).toBeGreaterThan(0);
        const rule = RULES[resource as string] as Rule;
        const batch = mapGarmin(resource as string, items);
        expect(countsOf(batch)).toEqual(rule(items));
        // Every record points at the one Garmin source, and a batch with records has it.
        const records =
          batch.samples.length + batch.workouts.length + batch.sleep.length + batch.scores.length;
        expect(batch.sources).toEqual(
          records > 0 ? [{ provider: 'garmin', deviceManufacturer: 'Garmin' }] : [],
        );
      });
    }

    it('maps something from every file but the partial epoch and Move IQ (no vacuous passes)', () => {
      const empty = files
        .filter((f) => !(f in NOT_PAYLOADS) && f !== PING)
        .filter((f) => {
          const { resource, items } = listOf(f);
          const c = (RULES[resource as string] as Rule)(items);
          return Object.keys(c.samples).length + c.workouts + Object.keys(c.sleep).length === 0;
        });
      expect(empty).toEqual(['push-epoch.json', 'push-move_iq.json']);
    });

    it('maps the partial example epoch once Garmin re-sends its slice complete (900 s)', () => {
      const { items } = listOf('push-epoch.json');
      expect(items.map((e) => e.durationInSeconds)).toEqual([840]);
      const complete = items.map((e) => ({ ...e, durationInSeconds: 900 }));
      const batch = mapGarmin('epochs', complete);
      expect(countsOf(batch)).toEqual((RULES.epochs as Rule)(complete));
      expect(countsOf(batch).samples).toEqual({
        steps: 1,
        energy: 1,
        distance_walking_running: 1,
        average_met: 1,
      });
    });

    it('ends each sleep where its last stage ends, not at start + duration', () => {
      const { items } = listOf('push-sleeps.json');
      const sessions = mapGarmin('sleeps', items).sleep.filter((i) => i.stage === 'in_bed');
      const lastStageEnds = items.map(
        (s) =>
          Math.max(
            ...Object.values(s.sleepLevelsMap as Json).flatMap((spans) =>
              objects(spans).map((span) => span.endTimeInSeconds as number),
            ),
          ) * 1000,
      );
      expect(sessions.map((s) => s.endMs)).toEqual(lastStageEnds);
      expect(lastStageEnds[0]).toBeGreaterThan(
        ((items[0]?.startTimeInSeconds as number) + (items[0]?.durationInSeconds as number)) * 1000,
      );
    });

    it('carries the activities summaries values into the workouts', () => {
      const { items } = listOf('push-activities.json');
      const workouts = mapGarmin('activities', items).workouts;
      expect(workouts.map((w) => [w.externalId, w.startMs, w.durationS, w.distanceM, w.energyKcal])).toEqual(
        items.map((a) => [
          String(a.activityId),
          (a.startTimeInSeconds as number) * 1000,
          a.durationInSeconds,
          a.distanceInMeters,
          a.activeKilocalories,
        ]),
      );
    });

    it('treats the ping example as a ping: a callbackURL per item and nothing to map', () => {
      const body = read(PING);
      expect(Object.keys(body)).toEqual(['dailies']);
      const items = objects(body.dailies);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        const url = new URL(String(item.callbackURL));
        expect(url.protocol).toBe('https:');
        expect(url.searchParams.get('uploadStartTimeInSeconds')).toBe(String(item.uploadStartTimeInSeconds));
        expect(url.searchParams.get('uploadEndTimeInSeconds')).toBe(String(item.uploadEndTimeInSeconds));
        expect(item).not.toHaveProperty('startTimeInSeconds');
      }
      expect(mapGarmin(resourceOfListKey('dailies') as string, items)).toEqual({
        sources: [],
        samples: [],
        workouts: [],
        sleep: [],
        scores: [],
      });
    });
  },
);
