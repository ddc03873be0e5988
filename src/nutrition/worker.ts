import type { Platform } from '../platform.ts';
import { scheduleMealImageRetention } from './image-retention.ts';
import { modelsFor, recognizeMealLog } from './recognition/job.ts';

/** Recognition jobs one process runs at once: each waits on a vendor for seconds, using little CPU. */
const NUTRITION_CONCURRENCY = 2;

/**
 * Runs meal-photo recognition jobs in this process (issue 19). The models are built first, so a VISION_* /
 * VERIFIER_* mistake (a provider without a model, an Anthropic model without a key) stops the start with
 * its reason instead of failing every photo.
 */
export async function startNutritionWorker(platform: Platform): Promise<void> {
  modelsFor(platform.config);
  await platform.queue.workNutrition(NUTRITION_CONCURRENCY, (data, attempt) =>
    recognizeMealLog(platform, data.logId, attempt),
  );
  scheduleMealImageRetention(platform);
}
