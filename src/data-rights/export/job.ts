import type { Platform } from '../../platform.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';

/** Builds export `exportId` into its ZIP (issue 18). */
export async function runExportJob(
  _platform: Platform,
  _exportId: string,
  _attempt: JobAttempt,
): Promise<void> {}
