import type { Db } from '../db/database.ts';
import type { StorableBatch } from '../health-data/canonical.ts';
import { upsertDataSources } from '../health-data/data-sources.repo.ts';
import { upsertHealthScores } from '../health-data/health-scores.repo.ts';
import { insertSamples } from '../health-data/samples.repo.ts';
import { ingestSleep } from '../health-data/sleep.repo.ts';
import { upsertWorkouts } from '../health-data/workouts.repo.ts';

export interface WriteCounts {
  samples: { received: number; inserted: number; duplicates: number };
  workouts: { received: number; inserted: number; updated: number };
  sleep: { intervals_received: number; intervals_inserted: number; sessions_rebuilt: number };
  scores: { received: number; upserted: number };
}

/**
 * Writes a canonical batch. Every step is idempotent on its own, so a batch interrupted halfway and
 * written again ends exactly as one clean write.
 */
export async function writeCanonicalBatch(
  db: Db,
  userId: string,
  batch: StorableBatch,
): Promise<WriteCounts> {
  const sourceIds = await upsertDataSources(db, userId, batch.sources);
  const user = await db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirst();
  const inserted = await insertSamples(db, userId, batch.samples, sourceIds, user?.timezone ?? 'UTC');
  const workouts = await upsertWorkouts(db, userId, batch.workouts, sourceIds);
  const sleep = await ingestSleep(db, userId, batch.sleep, sourceIds);
  const scores = await upsertHealthScores(db, userId, batch.scores, sourceIds);
  return {
    samples: { received: batch.samples.length, inserted, duplicates: batch.samples.length - inserted },
    workouts: { received: batch.workouts.length, ...workouts },
    sleep: {
      intervals_received: batch.sleep.length,
      intervals_inserted: sleep.intervalsInserted,
      sessions_rebuilt: sleep.sessions,
    },
    scores: { received: batch.scores.length, upserted: scores },
  };
}
