import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config/load-config.ts';
import { uploadDirectory } from '../../importers/apple-health/import-service.ts';
import type { Platform } from '../../platform.ts';
import { blobStoreFor } from '../../storage/blob-store.ts';
import type { JobAttempt } from '../../sync/job-queue.ts';
import { toStoredError } from '../../sync/stored-error.ts';
import { InvalidTransitionError } from '../../sync/sync-runs.repo.ts';
import { enqueueWebhookEvents } from '../../webhooks/outbox.ts';
import { writeExport } from './build.ts';
import { newTokenNonce, signDownloadToken } from './download-token.ts';

/** Where finished ZIPs live in the blob store. */
export const exportBlobKey = (exportId: string) => `exports/${exportId}.zip`;

/** The path of a download link (no ids in it: the token names the export). */
export const downloadPath = (token: string) => `/api/v1/data-exports/${token}/download`;

/** Temp files of exports being written: next to the uploads, so the final move is a rename when local. */
export async function exportTempFile(config: Config, name: string): Promise<string> {
  const dir = join(uploadDirectory(config), 'export-tmp');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return join(dir, name);
}

/**
 * Deletes the ZIPs of exports finished more than EXPORT_KEEP_HOURS ago (their links end with them) and
 * marks them expired. Run with each export job, so a deployment that exports also cleans up.
 */
export async function sweepExpiredExports(platform: Pick<Platform, 'config' | 'deps' | 'logger'>) {
  const { db } = platform.deps;
  const cutoff = new Date(Date.now() - platform.config.EXPORT_KEEP_HOURS * 3_600_000);
  const stale = await db
    .selectFrom('data_exports')
    .select(['id', 'blob_key'])
    .where('status', '=', 'ready')
    .where('completed_at', '<', cutoff)
    .limit(100)
    .execute();
  const blobs = blobStoreFor(platform.config);
  for (const row of stale) {
    // The row first: a link stops working before its file goes.
    await db
      .updateTable('data_exports')
      .set({ status: 'expired', token_nonce: null, blob_key: null })
      .where('id', '=', row.id)
      .where('status', '=', 'ready')
      .execute();
    if (row.blob_key !== null) await blobs.delete(row.blob_key);
  }
  return stale.length;
}

async function failExport(platform: Platform, exportId: string, runId: string | null, error: unknown) {
  const { db, runs } = platform.deps;
  const stored = toStoredError(error);
  await db
    .updateTable('data_exports')
    .set({ status: 'failed', error: JSON.stringify(stored), completed_at: new Date() })
    .where('id', '=', exportId)
    .where('status', 'in', ['queued', 'running'])
    .execute();
  if (runId !== null) {
    await runs
      .finish(runId, { stage: 'failed', status: 'failed', message: 'Export failed', error: stored })
      .catch((e: unknown) => {
        if (!(e instanceof InvalidTransitionError)) throw e;
      });
  }
}

/** Builds export `exportId` into its ZIP (issue 18). */
export async function runExportJob(platform: Platform, exportId: string, attempt: JobAttempt): Promise<void> {
  const { config, logger } = platform;
  const { db, runs } = platform.deps;
  await sweepExpiredExports(platform).catch((error: unknown) =>
    logger.warn({ err: error }, 'sweeping expired exports failed'),
  );
  const row = await db.selectFrom('data_exports').selectAll().where('id', '=', exportId).executeTakeFirst();
  if (row === undefined || !['queued', 'running'].includes(row.status)) return;
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (user === undefined) {
    await failExport(platform, exportId, row.run_id, {
      code: 'USER_DELETED',
      message: 'The user was deleted',
    });
    return;
  }
  const temp = await exportTempFile(config, `${exportId}.${attempt.count}.zip`);
  try {
    await db.updateTable('data_exports').set({ status: 'running' }).where('id', '=', exportId).execute();
    const runId = row.run_id;
    if (runId !== null) {
      const run = await db.selectFrom('sync_runs').select('stage').where('id', '=', runId).executeTakeFirst();
      // A retry finds its run past `queued`: it goes on reporting progress from there.
      if (run?.stage === 'queued') await runs.transition(runId, 'started', { message: 'Export started' });
    }
    const { manifest, bytes } = await writeExport(db, user, createWriteStream(temp, { mode: 0o600 }), {
      ...(runId === null ? {} : { excludeRunId: runId }),
      onProgress: async (done, total, file) => {
        if (runId === null || file === undefined) return;
        await runs.transition(
          runId,
          'processing',
          { message: `Writing ${file}`, itemsProcessed: done, itemsTotal: total },
          { file },
        );
      },
    });
    const key = exportBlobKey(exportId);
    await blobStoreFor(config).putFile(key, temp, 'application/zip');
    if (runId !== null) {
      await runs.transition(runId, 'saving', {
        message: 'Stored the export',
        itemsProcessed: manifest.files.length,
      });
    }
    const nonce = newTokenNonce();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + config.EXPORT_LINK_TTL_MINUTES * 60_000);
    const token = signDownloadToken(config.jwtSecret, nonce, expiresAt);
    const downloadUrl = `${config.publicUrl.replace(/\/+$/, '')}${downloadPath(token)}`;
    // Ready and announced together: the webhook exists exactly when the export does.
    const done = await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('data_exports')
        .set({
          status: 'ready',
          blob_key: key,
          size_bytes: bytes,
          manifest: JSON.stringify(manifest),
          token_nonce: nonce,
          expires_at: expiresAt,
          completed_at: now,
          error: null,
        })
        .where('id', '=', exportId)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) return false;
      await enqueueWebhookEvents(trx, [
        {
          type: 'export.completed',
          userId: row.user_id,
          data: {
            export_id: exportId,
            user_id: row.user_id,
            download_url: downloadUrl,
            expires_at: expiresAt.toISOString(),
          },
        },
      ]);
      return true;
    });
    if (!done) {
      await blobStoreFor(config).delete(key);
      return;
    }
    if (runId !== null) {
      await runs.finish(
        runId,
        {
          stage: 'completed',
          status: 'success',
          message: `Export ready: ${manifest.files.length} files, ${bytes} bytes`,
          itemsProcessed: manifest.files.length,
          result: {
            export_id: exportId,
            size_bytes: bytes,
            files: manifest.files.map((f) => ({ name: f.name, count: f.count })),
          },
        },
        { export_id: exportId },
      );
    }
    logger.info({ export_id: exportId, bytes, files: manifest.files.length }, 'export ready');
  } catch (error) {
    await rm(temp, { force: true });
    if (attempt.count >= attempt.limit) {
      await failExport(platform, exportId, row.run_id, error);
      logger.error({ err: error, export_id: exportId }, 'export failed');
      return;
    }
    throw error;
  }
}
