import { expect, it } from 'vitest';
import { writeCanonicalBatch } from '../../../src/ingest/write-batch.ts';
import { mapGarmin } from '../../../src/providers/garmin/map.ts';
import { describeEachDatabase } from '../../support/harness.ts';

/**
 * What the mapper promises, checked where it matters: in the database. An activity, its re-send, its
 * details and a later manual edit on Garmin Connect are one workout row (same id), updated in place.
 */

const T0 = 1_796_022_000; // 2026-11-30T07:00:00Z

const activity = (over: Record<string, unknown> = {}) => ({
  userId: 'garmin-user',
  summaryId: '424242',
  activityId: 424242,
  activityName: 'Lunch ride',
  activityType: 'ROAD_BIKING',
  startTimeInSeconds: T0,
  startTimeOffsetInSeconds: 3600,
  durationInSeconds: 3600,
  distanceInMeters: 30_000,
  activeKilocalories: 700,
  deviceName: 'Edge 540',
  ...over,
});

const details = {
  userId: 'garmin-user',
  summaryId: '424242-detail',
  activityId: 424242,
  summary: { ...activity(), maxHeartRateInBeatsPerMinute: 171 },
  samples: [48.1, 48.101, 48.102].map((latitudeInDegree, i) => ({
    startTimeInSeconds: T0 + i * 10,
    heartRate: 120 + i,
    latitudeInDegree,
    longitudeInDegree: 11.5,
  })),
};

describeEachDatabase(
  'Garmin activities stored (one workout per activity)',
  (ctx) => {
    it('updates one workout row through a re-send, the details and a manual edit', async () => {
      const server = ctx();
      const db = server.platform.database.db;
      const dev = await server.api.registerDeveloper();
      const user = await server.api.createUser(dev.key);
      const workouts = () =>
        db
          .selectFrom('workouts')
          .select(['id', 'type', 'distance_m', 'max_heart_rate_bpm', 'metadata'])
          .where('user_id', '=', user.id)
          .execute();

      const first = await writeCanonicalBatch(db, user.id, mapGarmin('activities', [activity()]));
      expect(first.workouts).toMatchObject({ inserted: 1, updated: 0 });
      const [row] = await workouts();

      const resent = await writeCanonicalBatch(db, user.id, mapGarmin('activities', [activity()]));
      expect(resent.workouts).toMatchObject({ inserted: 0, updated: 1 });

      const detailed = await writeCanonicalBatch(db, user.id, mapGarmin('activity_details', [details]));
      expect(detailed.workouts).toMatchObject({ inserted: 0, updated: 1 });
      expect(detailed.samples).toMatchObject({ received: 3, inserted: 3 });

      const edited = await writeCanonicalBatch(
        db,
        user.id,
        mapGarmin('manually_updated_activities', [
          activity({
            activityType: 'GRAVEL_CYCLING',
            distanceInMeters: 31_000,
            deviceName: undefined,
            manual: true,
          }),
        ]),
      );
      expect(edited.workouts).toMatchObject({ inserted: 0, updated: 1 });

      const after = await workouts();
      expect(after.map((w) => w.id)).toEqual([row?.id]);
      expect(after[0]).toMatchObject({ type: 'gravel_cycling', distance_m: 31_000 });
      expect(after[0]?.metadata).toMatchObject({ manual: true, delivered_as: 'manually_updated_activities' });
      // The route from the details stays with the workout after the edit.
      const points = await db
        .selectFrom('workout_route_points')
        .select(['latitude'])
        .where('workout_id', '=', row?.id as string)
        .orderBy('time')
        .execute();
      expect(points.map((p) => Number(p.latitude))).toEqual([48.1, 48.101, 48.102]);
    });
  },
  { worker: false },
);
