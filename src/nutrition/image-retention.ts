import type { Db } from '../db/database.ts';
import type { Platform } from '../platform.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { expiredImages, updateLog } from './logs.repo.ts';
import { nutritionBlobStore } from './nutrition.routes.ts';

const SWEEP_BATCH = 200;

/**
 * Deletes meal photos older than `retentionDays` from the blob store; their logs and items stay, marked
 * `image_deleted_at` (the review detail then has no image URL). The blob goes first: a crash between
 * the two leaves a row the next sweep marks (deleting a missing blob is a no-op). Returns how many.
 */
export async function sweepExpiredMealImages(
  db: Db,
  store: BlobStore,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let swept = 0;
  for (;;) {
    const rows = await expiredImages(db, before, SWEEP_BATCH);
    for (const row of rows) {
      if (row.image_key !== null) await store.delete(row.image_key);
      await updateLog(db, row.id, { image_deleted_at: now });
      swept += 1;
    }
    if (rows.length < SWEEP_BATCH) return swept;
  }
}

/**
 * With NUTRITION_IMAGE_RETENTION_DAYS set, sweeps at start and then every RETENTION_INTERVAL_MINUTES,
 * on a timer that does not keep the process alive and ends when the queue stops. Several processes may
 * sweep at once: both steps are idempotent. Started by the nutrition worker.
 */
export function scheduleMealImageRetention(platform: Platform): { stop(): void } {
  const days = platform.config.NUTRITION_IMAGE_RETENTION_DAYS;
  if (days === undefined) return { stop: () => {} };
  const sweep = async () => {
    try {
      const swept = await sweepExpiredMealImages(platform.deps.db, nutritionBlobStore(platform.config), days);
      if (swept > 0)
        platform.logger.info({ swept, retention_days: days }, 'meal photos past retention deleted');
    } catch (error) {
      platform.logger.error({ err: error }, 'meal photo retention sweep failed');
    }
  };
  void sweep();
  const timer = setInterval(() => {
    if (platform.queue.stopped) clearInterval(timer);
    else void sweep();
  }, platform.config.RETENTION_INTERVAL_MINUTES * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
