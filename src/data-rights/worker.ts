import type { Platform } from '../platform.ts';
import type { DataRightsJobData, JobAttempt } from '../sync/job-queue.ts';
import { resumeUserDeletions, runProviderDataDeletionJob, runUserDeletionJob } from './deletion/job.ts';
import { runExportJob } from './export/job.ts';
import { runRetentionPass, scheduleRetention } from './retention/job.ts';

/** Concurrent data-rights tasks per process: exports and deletions are I/O-bound and long. */
const DATA_RIGHTS_CONCURRENCY = 2;

/** The task catalogue: one handler per `DataRightsJobData['task']`. */
const handlers: {
  [T in DataRightsJobData['task']]: (
    platform: Platform,
    data: Extract<DataRightsJobData, { task: T }>,
    attempt: JobAttempt,
  ) => Promise<void>;
} = {
  export: (platform, data, attempt) => runExportJob(platform, data.exportId, attempt),
  'delete-user': (platform, data, attempt) => runUserDeletionJob(platform, data.userId, attempt),
  'delete-provider-data': (platform, data, attempt) =>
    runProviderDataDeletionJob(platform, data.userId, data.provider, attempt),
  retention: (platform) => runRetentionPass(platform),
};

/** Runs data-rights jobs in this process and keeps the retention pass scheduled. */
export async function startDataRightsWorker(platform: Platform): Promise<void> {
  await platform.queue.workDataRights(DATA_RIGHTS_CONCURRENCY, (data, attempt) =>
    (handlers[data.task] as (p: Platform, d: DataRightsJobData, a: JobAttempt) => Promise<void>)(
      platform,
      data,
      attempt,
    ),
  );
  scheduleRetention(platform);
  // Deletions whose job ended without finishing (its last attempt failed) carry on from what is left.
  await resumeUserDeletions(platform).catch((error: unknown) =>
    platform.logger.error({ err: error }, 'could not resume unfinished user deletions'),
  );
}
