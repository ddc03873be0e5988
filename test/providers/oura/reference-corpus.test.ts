import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeriesTypeById } from '../../../src/catalog/series-types.ts';
import type { CanonicalBatch } from '../../../src/health-data/canonical.ts';
import { mapOura } from '../../../src/providers/oura/map.ts';
import { OuraPayloadError } from '../../../src/providers/oura/map-common.ts';
import { ouraWebhook } from '../../../src/providers/oura/webhook.ts';

/**
 * Every payload file of the Oura reference folder (Oura's documentation examples) maps to canonical
 * records, with the count of each kind asserted. Files that are not data WearLink maps are listed with
 * the reason; a file in neither list fails the suite, so a new reference file is never silently ignored.
 */

const referenceDir = join(import.meta.dirname, '../../../../shared/reference/providers/oura');
const present = existsSync(referenceDir);

const SKIPPED: Record<string, string> = {
  'SOURCE.txt': 'provenance notes, not a payload',
  'oura-api-openapi-v2-official.json': 'the OpenAPI specification, not a payload',
  'docs-example-daily_stress.json':
    'seconds in high-stress/high-recovery zones and a summary word: no catalog series or score range fits',
  'docs-example-enhanced_tag.json': "the user's own tags (free text): no canonical family",
  'docs-example-tag.json': "the user's own tags (free text, deprecated by enhanced_tag): no canonical family",
  'docs-example-rest_mode_period.json': 'periods the user paused tracking: no canonical family',
  'docs-example-ring_battery_level.json': "the ring's battery state: device telemetry, not health data",
  'docs-example-ring_configuration.json': "the ring's model and colour: device metadata, not health data",
  'docs-example-sleep_time.json': "Oura's bedtime recommendation: advice, not a measurement",
};

/** A real 5-minute hypnogram for the docs example's 500-minute night (100 epochs, 9 runs). */
const HYPNOGRAM = ['4'.repeat(2), '2'.repeat(20), '1'.repeat(15), '2'.repeat(10), '3'.repeat(8)]
  .concat(['2'.repeat(25), '1'.repeat(5), '3'.repeat(10), '4'.repeat(5)])
  .join('');

interface Expected {
  resource: string;
  /** The docs examples carry placeholders (`"<long sequence of 1|2|3|4>"`): replaced as the notes say. */
  prepare?: (json: Record<string, unknown>) => unknown;
  samples: Record<string, number>;
  workouts: number;
  sleep: Record<string, number>;
  scores: Record<string, number>;
}

const firstDoc = (json: Record<string, unknown>) => (json.data as Record<string, unknown>[])[0] as object;

const MAPPED: Record<string, Expected> = {
  'docs-example-daily_activity.json': {
    resource: 'daily_activity',
    samples: { steps: 1, energy: 1, basal_energy: 1, average_met: 1 },
    workouts: 0,
    sleep: {},
    scores: { activity: 1 },
  },
  'docs-example-daily_cardiovascular_age.json': {
    resource: 'daily_cardiovascular_age',
    samples: { cardiovascular_age: 1 },
    workouts: 0,
    sleep: {},
    scores: {},
  },
  'docs-example-daily_readiness.json': {
    resource: 'daily_readiness',
    samples: { skin_temperature_deviation: 1 },
    workouts: 0,
    sleep: {},
    scores: { readiness: 1 },
  },
  'docs-example-daily_resilience.json': {
    resource: 'daily_resilience',
    samples: {},
    workouts: 0,
    sleep: {},
    scores: { resilience: 1 },
  },
  'docs-example-daily_sleep.json': {
    resource: 'daily_sleep',
    samples: {},
    workouts: 0,
    sleep: {},
    scores: { sleep: 1 },
  },
  // The example's SpO2 average is 0: a night without a reading, which maps to nothing.
  'docs-example-daily_spo2.json': { resource: 'daily_spo2', samples: {}, workouts: 0, sleep: {}, scores: {} },
  'docs-example-heartrate.json': {
    resource: 'heartrate',
    samples: { heart_rate: 1 },
    workouts: 0,
    sleep: {},
    scores: {},
  },
  'docs-example-personal_info.json': {
    resource: 'personal_info',
    // The pull stamps when it read the profile (the answer has no date).
    prepare: (json) => ({ ...json, retrieved_at: '2026-12-02T10:00:00Z' }),
    samples: { weight: 1, height: 1 },
    workouts: 0,
    sleep: {},
    scores: {},
  },
  // A `rest` Moment without HRV: nothing to map (its heart rate is in the heartrate series).
  'docs-example-session.json': { resource: 'session', samples: {}, workouts: 0, sleep: {}, scores: {} },
  'docs-example-sleep.json': {
    resource: 'sleep',
    prepare: (json) => ({ data: [{ ...firstDoc(json), sleep_phase_5_min: HYPNOGRAM }] }),
    // HRV items are null or negative (placeholders): the night's average_hrv stands in.
    samples: { heart_rate_variability_rmssd: 1, respiratory_rate: 1, resting_heart_rate: 1 },
    workouts: 0,
    sleep: { in_bed: 1, awake: 2, light: 3, deep: 2, rem: 2 },
    scores: {},
  },
  'docs-example-vo2_max.json': {
    resource: 'vo2_max',
    samples: { vo2_max: 1 },
    workouts: 0,
    sleep: {},
    scores: {},
  },
  // The example's end (01:00) is before its start (01:30): swapped here, and skipped as sent (below).
  'docs-example-workout.json': {
    resource: 'workout',
    prepare: (json) => {
      const doc = firstDoc(json) as { start_datetime: string; end_datetime: string };
      return { data: [{ ...doc, start_datetime: doc.end_datetime, end_datetime: doc.start_datetime }] };
    },
    samples: { distance_cycling: 1 },
    workouts: 1,
    sleep: {},
    scores: {},
  },
};

function tally(batch: CanonicalBatch) {
  const count = (keys: string[]) =>
    keys.reduce<Record<string, number>>((acc, k) => {
      acc[k] = (acc[k] ?? 0) + 1;
      return acc;
    }, {});
  return {
    samples: count(
      batch.samples.map((s) => findSeriesTypeById(s.seriesTypeId)?.name ?? String(s.seriesTypeId)),
    ),
    workouts: batch.workouts.length,
    sleep: count(batch.sleep.map((s) => s.stage)),
    scores: count(batch.scores.map((s) => s.category)),
  };
}

const readJson = (file: string) => JSON.parse(readFileSync(join(referenceDir, file), 'utf8'));

describe.skipIf(!present)(
  `Oura reference corpus${present ? '' : ' (skipped: ../shared/reference/providers/oura is absent)'}`,
  () => {
    const files = present ? readdirSync(referenceDir).sort() : [];

    it('lists every file of the folder as mapped, a webhook body, or skipped with a reason', () => {
      const known = new Set([...Object.keys(MAPPED), ...Object.keys(SKIPPED), WEBHOOK_FILE]);
      expect(files.filter((f) => !known.has(f))).toEqual([]);
      expect(Object.keys(MAPPED).filter((f) => !files.includes(f))).toEqual([]);
    });

    for (const [file, expected] of Object.entries(MAPPED)) {
      it(`${file} → ${expected.resource}`, () => {
        const json = readJson(file);
        const batch = mapOura(expected.resource, expected.prepare ? expected.prepare(json) : json);
        const { resource: _r, prepare: _p, ...counts } = expected;
        expect(tally(batch)).toEqual(counts);
        expect(batch.sources).toEqual([{ provider: 'oura' }]);
      });
    }

    it('the docs sleep example with its placeholder hypnogram is refused with a clear error', () => {
      expect(() => mapOura('sleep', readJson('docs-example-sleep.json'))).toThrow(OuraPayloadError);
      expect(() => mapOura('sleep', readJson('docs-example-sleep.json'))).toThrow(
        /sleep_phase_5_min is not a string of digits/,
      );
    });

    it('the docs workout example as sent (end before start) is skipped', () => {
      expect(mapOura('workout', readJson('docs-example-workout.json')).workouts).toEqual([]);
    });

    it(`${WEBHOOK_FILE} parses to a targeted pull of the object it names`, () => {
      const body = readFileSync(join(referenceDir, WEBHOOK_FILE));
      const parsed = ouraWebhook.parse({ method: 'POST', headers: {}, query: {}, body });
      expect(parsed).toEqual({
        ok: true,
        notifications: [
          {
            kind: 'pull',
            providerUserId: 'oura-user-123',
            target: { resource: 'daily_sleep', objectId: 'abc-123', details: { event_type: 'create' } },
          },
        ],
      });
    });
  },
);

const WEBHOOK_FILE = 'webhook_notification_create_daily_sleep.json';
