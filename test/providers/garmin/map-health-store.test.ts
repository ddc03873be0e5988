import { expect, it } from 'vitest';
import { seriesType } from '../../../src/catalog/series-types.ts';
import { writeCanonicalBatch } from '../../../src/ingest/write-batch.ts';
import { mapGarmin } from '../../../src/providers/garmin/map.ts';
import { describeEachDatabase } from '../../support/harness.ts';

/**
 * The re-send promises of the health mappers, checked in the database: Garmin re-sends summaries as
 * they grow, and what is stored must be the complete data once, never the partial and the complete
 * both (which the day sums would add up).
 */

const T = 1_796_022_000; // 2026-11-30T07:00:00Z

const epoch = (over: Record<string, unknown>) => ({
  summaryId: 'e1',
  activityType: 'WALKING',
  startTimeInSeconds: T,
  startTimeOffsetInSeconds: 3600,
  durationInSeconds: 900,
  steps: 93,
  activeKilocalories: 4,
  ...over,
});

const night = {
  summaryId: 'sleep-1',
  calendarDate: '2026-11-30',
  startTimeInSeconds: T - 8 * 3600,
  startTimeOffsetInSeconds: 3600,
  durationInSeconds: 6600,
  sleepLevelsMap: {
    light: [{ startTimeInSeconds: T - 8 * 3600, endTimeInSeconds: T - 6 * 3600 }],
    deep: [{ startTimeInSeconds: T - 6 * 3600, endTimeInSeconds: T - 6 * 3600 + 600 }],
    awake: [{ startTimeInSeconds: T - 6 * 3600 + 600, endTimeInSeconds: T - 5 * 3600 }],
  },
  overallSleepScore: { value: 80, qualifierKey: 'GOOD' },
};

describeEachDatabase(
  'Garmin health summaries stored (re-sends never double)',
  (ctx) => {
    it('a slice synced mid-way and then complete is stored once, with the complete values', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const steps = () =>
        db
          .selectFrom('samples')
          .select(['value', 'duration_ms'])
          .where('user_id', '=', user.id)
          .where('series_type', '=', seriesType('steps').id)
          .execute();

      const partial = await writeCanonicalBatch(
        db,
        user.id,
        mapGarmin('epochs', [epoch({ durationInSeconds: 720, steps: 60 })]),
      );
      expect(partial.samples).toMatchObject({ received: 0, inserted: 0 });
      const complete = await writeCanonicalBatch(db, user.id, mapGarmin('epochs', [epoch({})]));
      expect(complete.samples).toMatchObject({ received: 2, inserted: 2 });
      const resent = await writeCanonicalBatch(db, user.id, mapGarmin('epochs', [epoch({})]));
      expect(resent.samples).toMatchObject({ received: 2, inserted: 0, duplicates: 2 });
      expect(await steps()).toEqual([{ value: 93, duration_ms: 900_000 }]);
    });

    it('a re-sent night adds no intervals and stays one session ending after the final wake', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);

      const first = await writeCanonicalBatch(db, user.id, mapGarmin('sleeps', [night]));
      expect(first.sleep).toMatchObject({ intervals_received: 4, intervals_inserted: 4 });
      const again = await writeCanonicalBatch(db, user.id, mapGarmin('sleeps', [night]));
      expect(again.sleep).toMatchObject({ intervals_received: 4, intervals_inserted: 0 });

      const sessions = await db
        .selectFrom('sleep_sessions')
        .select(['start_time', 'end_time'])
        .where('user_id', '=', user.id)
        .execute();
      expect(sessions.map((s) => [new Date(s.start_time).getTime(), new Date(s.end_time).getTime()])).toEqual(
        [[(T - 8 * 3600) * 1000, (T - 5 * 3600) * 1000]],
      );
      const scores = await db
        .selectFrom('health_scores')
        .select(['category', 'score', 'date'])
        .where('user_id', '=', user.id)
        .execute();
      expect(scores.map((s) => [s.category, Number(s.score)])).toEqual([['sleep', 80]]);
    });

    it("a later daily summary replaces the day's stress score and adds only its new heart-rate samples", async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const daily = (durationInSeconds: number, stress: number, hr: Record<string, number>) => ({
        summaryId: 'd1',
        calendarDate: '2026-11-30',
        startTimeInSeconds: T - 8 * 3600,
        startTimeOffsetInSeconds: 3600,
        durationInSeconds,
        averageStressLevel: stress,
        timeOffsetHeartRateSamples: hr,
      });

      await writeCanonicalBatch(db, user.id, mapGarmin('dailies', [daily(3600, 30, { '15': 60, '30': 61 })]));
      const later = await writeCanonicalBatch(
        db,
        user.id,
        mapGarmin('dailies', [daily(7200, 41, { '15': 60, '30': 61, '3615': 70 })]),
      );
      expect(later.samples).toMatchObject({ received: 3, inserted: 1, duplicates: 2 });
      const scores = await db
        .selectFrom('health_scores')
        .select(['category', 'score'])
        .where('user_id', '=', user.id)
        .execute();
      expect(scores.map((s) => [s.category, Number(s.score)])).toEqual([['stress', 41]]);
    });
  },
  { worker: false },
);
