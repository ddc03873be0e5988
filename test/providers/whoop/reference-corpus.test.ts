import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seriesType } from '../../../src/catalog/series-types.ts';
import { mapWhoop } from '../../../src/providers/whoop/map.ts';
import { parseWhoop, WhoopProfile } from '../../../src/providers/whoop/schemas.ts';
import { whoopWebhook } from '../../../src/providers/whoop/webhook.ts';

/**
 * Every data payload WHOOP publishes (../shared/reference/providers/whoop: examples assembled from WHOOP's
 * official OpenAPI v2 and api-evangelist's request/response wrappers) maps to canonical records, with
 * the counts per kind asserted. Files are read in place, never copied into the repository.
 */
const here = dirname(fileURLToPath(import.meta.url));
const folder = resolve(here, '../../../../shared/reference/providers/whoop');
const present = existsSync(folder);

const read = (file: string): unknown => JSON.parse(readFileSync(join(folder, file), 'utf8'));
/** api-evangelist files wrap the answer: `{request, response: {status, body}}`. */
const answer = (file: string): unknown => (read(file) as { response: { body: unknown } }).response.body;

interface Expected {
  resource: string;
  payload: () => unknown;
  samples: number;
  workouts: number;
  sleep: number;
  scores: number;
}

// A recovery alone (no sleep in the payload) is timed at its created_at: four vitals, one score.
const recovery = (payload: () => unknown): Expected => ({
  resource: 'recovery',
  payload,
  samples: 4,
  workouts: 0,
  sleep: 0,
  scores: 1,
});
const sleep = (payload: () => unknown): Expected => ({
  resource: 'sleep',
  payload,
  samples: 1,
  workouts: 0,
  sleep: 1,
  scores: 1,
});
const workout = (payload: () => unknown): Expected => ({
  resource: 'workout',
  payload,
  samples: 0,
  workouts: 1,
  sleep: 0,
  scores: 0,
});
const cycle = (payload: () => unknown): Expected => ({
  resource: 'cycle',
  payload,
  samples: 0,
  workouts: 0,
  sleep: 0,
  scores: 1,
});

const DATA: Record<string, Expected> = {
  'apievangelist-whoop-get-recovery-example.json': recovery(() =>
    answer('apievangelist-whoop-get-recovery-example.json'),
  ),
  'apievangelist-whoop-list-sleep-example.json': sleep(() =>
    answer('apievangelist-whoop-list-sleep-example.json'),
  ),
  'apievangelist-whoop-list-workouts-example.json': workout(() =>
    answer('apievangelist-whoop-list-workouts-example.json'),
  ),
  'spec-example-cycle.json': cycle(() => read('spec-example-cycle.json')),
  'spec-example-cycle_collection.json': cycle(() => read('spec-example-cycle_collection.json')),
  'spec-example-recovery.json': recovery(() => read('spec-example-recovery.json')),
  'spec-example-recovery_collection.json': recovery(() => read('spec-example-recovery_collection.json')),
  'spec-example-sleep.json': sleep(() => read('spec-example-sleep.json')),
  'spec-example-sleep_collection.json': sleep(() => read('spec-example-sleep_collection.json')),
  'spec-example-workout.json': workout(() => read('spec-example-workout.json')),
  'spec-example-workout_collection.json': workout(() => read('spec-example-workout_collection.json')),
  // WHOOP's body measurement carries no time: the pull files it under the day it fetched it.
  'spec-example-user_body_measurement.json': {
    resource: 'body',
    payload: () => ({
      measured_at: '2022-04-24T00:00:00.000Z',
      body: read('spec-example-user_body_measurement.json'),
    }),
    samples: 2,
    workouts: 0,
    sleep: 0,
    scores: 0,
  },
};

/** Not data payloads: why each is not mapped (the two JSON ones are exercised below anyway). */
const NOT_DATA: Record<string, string> = {
  'SOURCE.txt': 'provenance notes, not a payload',
  'whoop-api-openapi-v2.yml': "WHOOP's OpenAPI spec: the source of the field names, not a payload",
  'apievangelist-whoop-webhook-sleep-updated-example.json':
    'a webhook delivery (names a sleep to pull, carries no data): parsed by the webhook adapter below',
  'spec-example-user_basic_profile.json':
    'the basic profile: read by identify for the WHOOP user id, no health data: parsed below',
};

describe.skipIf(!present)(`WHOOP reference corpus${present ? '' : ` (skipped: ${folder} is absent)`}`, () => {
  it('knows every file of the folder', () => {
    const unknown = readdirSync(folder).filter((f) => !(f in DATA) && !(f in NOT_DATA));
    expect(unknown).toEqual([]);
  });

  for (const [file, expected] of Object.entries(DATA)) {
    it(`maps ${file}`, () => {
      const batch = mapWhoop(expected.resource, expected.payload());
      expect({
        samples: batch.samples.length,
        workouts: batch.workouts.length,
        sleep: batch.sleep.length,
        scores: batch.scores.length,
      }).toEqual({
        samples: expected.samples,
        workouts: expected.workouts,
        sleep: expected.sleep,
        scores: expected.scores,
      });
      expect(batch.sources).toEqual([{ provider: 'whoop' }]);
      for (const s of batch.scores) expect(s.score).toBeGreaterThanOrEqual(s.rangeMin);
      for (const s of batch.scores) expect(s.score).toBeLessThanOrEqual(s.rangeMax);
    });
  }

  it('reads the published values in canonical units', () => {
    const w = mapWhoop('workout', answer('apievangelist-whoop-list-workouts-example.json')).workouts[0];
    expect(w).toMatchObject({
      externalId: 'ecfc6a15-4661-442f-a9a4-f160dd7afae8',
      type: 'running',
      distanceM: 8123.4,
      utcOffsetMin: -240,
    });
    const r = mapWhoop('recovery', read('spec-example-recovery.json'));
    const byType = Object.fromEntries(r.samples.map((s) => [s.seriesTypeId, s.value]));
    expect(byType[seriesType('heart_rate_variability_rmssd').id]).toBe(31.813562);
    expect(byType[seriesType('heart_rate_variability_sdnn').id]).toBeUndefined();
    expect(byType[seriesType('skin_temperature').id]).toBe(33.7);
    expect(byType[seriesType('oxygen_saturation').id]).toBe(95.6875);
    expect(r.scores[0]).toMatchObject({ category: 'recovery', score: 44, rangeMin: 0, rangeMax: 100 });
    const c = mapWhoop('cycle', read('spec-example-cycle.json')).scores[0];
    expect(c).toMatchObject({ category: 'strain', score: 5.2951527, rangeMin: 0, rangeMax: 21 });
    expect(c?.components.total_energy_kcal).toBeCloseTo(8288.297 / 4.184, 6);
    expect(w?.energyKcal).toBeCloseTo(1832.74 / 4.184, 6);
  });

  it('parses the webhook delivery and the profile', () => {
    const delivery = read('apievangelist-whoop-webhook-sleep-updated-example.json') as {
      request: { body: unknown };
    };
    const parsed = whoopWebhook.parse({
      method: 'POST',
      headers: {},
      query: {},
      body: new TextEncoder().encode(JSON.stringify(delivery.request.body)),
    });
    expect(parsed).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: '10129',
          target: { resource: 'sleep', objectId: 'ecfc6a15-4661-442f-a9a4-f160dd7afae8' },
        },
      ],
    });
    expect(parseWhoop(WhoopProfile, read('spec-example-user_basic_profile.json'), 'profile').user_id).toBe(
      10129,
    );
  });
});
