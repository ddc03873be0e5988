import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { s3Settings } from '../../config/config.ts';
import type { Config } from '../../config/load-config.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { S3BlobStore, S3ObjectNotFoundError, S3ObjectTooLargeError } from '../../storage/s3.ts';
import type { ImportJobData, JobQueue } from '../../sync/job-queue.ts';
import type { SyncRunRecorder } from '../../sync/run-recorder.ts';
import { statusForTerminal } from '../../sync/run-state.ts';
import { InvalidTransitionError, newRunId } from '../../sync/sync-runs.repo.ts';
import { type ImportProgress, importAppleExport } from './import-export.ts';
import { ImportFormatError } from './xml-stream.ts';

/** Where uploads wait for their import: UPLOAD_DIR, else `<data dir>/uploads`, else a temp dir. */
export function uploadDirectory(config: Config): string {
  if (config.UPLOAD_DIR !== undefined) return config.UPLOAD_DIR;
  return config.dataDir === undefined ? join(tmpdir(), 'wearlink-uploads') : join(config.dataDir, 'uploads');
}

/** Seconds between progress events beyond one per batch (keeps the SSE stream readable on big files). */
const PROGRESS_MIN_INTERVAL_MS = 500;

/**
 * S3 checks a presigned URL's expiry when the PUT starts, not when it ends: a multi-gigabyte upload
 * begun just in time finishes (and is announced) later. Its import may start this long after expiry.
 */
const S3_UPLOAD_COMPLETION_GRACE_MS = 6 * 3_600_000;
/** Pending uploads, used or not, are kept this long: a late duplicate notification is still known. */
const PENDING_UPLOAD_RETENTION_MS = 7 * 86_400_000;

/** Where an import reads its export from. */
type ImportSource = { path: string } | { s3Key: string; maxBytes: number };

/** What a request to start the import of an S3 upload (a bucket notification, or /complete) came to. */
export type S3ImportStart =
  | { outcome: 'queued'; runId: string }
  | { outcome: 'already_started'; runId: string | null }
  /** Not a key we handed out (for this user), or one whose URL expired unused. */
  | { outcome: 'unknown' }
  | { outcome: 'not_uploaded' }
  | { outcome: 'too_large'; bytes: number; maxBytes: number };

/**
 * Apple Health XML imports as sync runs (`source: xml_import`). The upload is on disk (or in the S3
 * bucket) and the queued run and its job are committed before the caller hears 202; a worker then
 * streams the file into canonical batches. A job whose worker dies is retried by the queue and simply
 * starts over: writes are idempotent, so it ends with exactly the data of one clean run.
 */
export class AppleImportService {
  /** The bucket large uploads go to; undefined: they stay on local disk (UPLOAD_DIR). */
  readonly s3: S3BlobStore | undefined;

  constructor(
    private readonly db: Db,
    private readonly runs: SyncRunRecorder,
    private readonly queue: JobQueue,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    const settings = s3Settings(config);
    this.s3 = settings === undefined ? undefined : new S3BlobStore(settings);
  }

  #requireS3(): S3BlobStore {
    if (this.s3 === undefined) throw new Error('S3 storage is not configured (S3_BUCKET and its keys)');
    return this.s3;
  }

  /** Stores a stream as a new upload file; returns its path. */
  async store(
    body: ReadableStream<Uint8Array> | Readable,
    maxBytes: number,
  ): Promise<{ path: string; bytes: number }> {
    const dir = uploadDirectory(this.config);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `apple-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.upload`);
    let bytes = 0;
    const source =
      body instanceof Readable ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream);
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            bytes += chunk.byteLength;
            if (bytes > maxBytes) throw new UploadTooLargeError(maxBytes);
            yield chunk;
          }
        },
        // A deep write buffer: with the default 16 KiB every socket chunk waited for its own disk write.
        createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: 8 * 1024 * 1024 }),
      );
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { path, bytes };
  }

  /** Queues the import of a stored upload; returns the run id (which is also the job id callers see). */
  async accept(
    input: {
      developerId: string;
      userId: string;
      bytes: number;
      fileName: string;
      /** A run id claimed beforehand (S3 uploads claim theirs on the pending upload). */
      runId?: string;
    } & ImportSource,
  ): Promise<string> {
    const runId = await this.#createRun(input, `Queued import of ${input.fileName}`);
    await this.queue.enqueueImport(
      's3Key' in input
        ? { runId, userId: input.userId, s3Key: input.s3Key, maxBytes: input.maxBytes }
        : { runId, userId: input.userId, path: input.path },
    );
    return runId;
  }

  /**
   * Hands out a presigned PUT URL for a new key in the bucket and remembers the key as pending: the
   * notification that later names it is only believed for keys recorded here.
   */
  async presignS3Upload(input: {
    developerId: string;
    userId: string;
    fileName: string;
    maxBytes: number;
    expiresInSeconds: number;
  }): Promise<{ url: string; key: string; expiresAt: Date }> {
    const s3 = this.#requireS3();
    const key = `apple-imports/${input.developerId}/${input.userId}/${randomBytes(16).toString('hex')}.upload`;
    const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000);
    await this.db
      .deleteFrom('pending_uploads')
      .where('expires_at', '<', new Date(Date.now() - PENDING_UPLOAD_RETENTION_MS))
      .execute();
    await this.db
      .insertInto('pending_uploads')
      .values({
        key,
        developer_id: input.developerId,
        user_id: input.userId,
        file_name: input.fileName,
        max_bytes: input.maxBytes,
        expires_at: expiresAt,
        run_id: null,
      })
      .execute();
    // Signed after the row is committed, so a URL never exists for a key we would not recognise.
    return { url: s3.presignPut(key, input.expiresInSeconds), key, expiresAt };
  }

  /**
   * Starts the import of an uploaded S3 object, at most once per key however often it is asked
   * (notifications are delivered at least once, and a client may also call /complete). Nothing in the
   * request is trusted beyond the key: the pending upload says whose it is, a HEAD with our own
   * credentials says it exists and how large it is. `scope` restricts the lookup to one user.
   */
  async startS3Import(key: string, scope?: { developerId: string; userId: string }): Promise<S3ImportStart> {
    const s3 = this.#requireS3();
    let lookup = this.db.selectFrom('pending_uploads').selectAll().where('key', '=', key);
    if (scope !== undefined) {
      lookup = lookup.where('developer_id', '=', scope.developerId).where('user_id', '=', scope.userId);
    }
    const upload = await lookup.executeTakeFirst();
    if (upload === undefined) return { outcome: 'unknown' };
    let runId = upload.run_id;
    if (runId !== null) {
      if (await this.#runExists(runId)) return { outcome: 'already_started', runId };
      // Claimed by a process that stopped before it created the run (the sender retries because it
      // never got an answer): finish the start under the same run id.
    } else if (upload.expires_at.getTime() + S3_UPLOAD_COMPLETION_GRACE_MS < Date.now()) {
      return { outcome: 'unknown' };
    }
    const object = await s3.head(key);
    if (object === undefined) return { outcome: 'not_uploaded' };
    if (object.bytes > upload.max_bytes) {
      return { outcome: 'too_large', bytes: object.bytes, maxBytes: upload.max_bytes };
    }
    if (runId === null) {
      const candidate = newRunId('xml_import', 'apple');
      const claimed = await this.db
        .updateTable('pending_uploads')
        .set({ run_id: candidate })
        .where('key', '=', key)
        .where('run_id', 'is', null)
        .returning('run_id')
        .executeTakeFirst();
      if (claimed === undefined) {
        const winner = await this.db
          .selectFrom('pending_uploads')
          .select('run_id')
          .where('key', '=', key)
          .executeTakeFirst();
        return { outcome: 'already_started', runId: winner?.run_id ?? null };
      }
      runId = candidate;
    }
    try {
      await this.accept({
        runId,
        developerId: upload.developer_id,
        userId: upload.user_id,
        fileName: upload.file_name,
        bytes: object.bytes,
        s3Key: key,
        maxBytes: upload.max_bytes,
      });
    } catch (error) {
      // Another delivery of the same notification created this run first.
      if (isUniqueViolation(error)) return { outcome: 'already_started', runId };
      await this.#releaseClaim(key, runId);
      throw error;
    }
    return { outcome: 'queued', runId };
  }

  async #runExists(runId: string): Promise<boolean> {
    const row = await this.db.selectFrom('sync_runs').select('id').where('id', '=', runId).executeTakeFirst();
    return row !== undefined;
  }

  /** After a failed start: lets the next delivery (or /complete) try again with a new run. */
  async #releaseClaim(key: string, runId: string): Promise<void> {
    try {
      if (await this.#runExists(runId)) {
        // Created but never queued: no worker will pick it up, so end it visibly.
        await this.runs.finish(runId, {
          stage: 'failed',
          status: 'failed',
          message: 'Could not queue the import; it starts again when the upload is announced again',
          error: { code: 'INTERNAL_ERROR', message: 'import job not enqueued' },
        });
      }
      await this.db
        .updateTable('pending_uploads')
        .set({ run_id: null })
        .where('key', '=', key)
        .where('run_id', '=', runId)
        .execute();
    } catch (error) {
      this.logger.error({ err: error, run_id: runId, s3_key: key }, 'could not release the upload claim');
    }
  }

  /** Streams the S3 object into a private temp file next to local uploads (yauzl needs random access). */
  async #download(job: ImportJobData & { s3Key: string }): Promise<string> {
    const s3 = this.#requireS3();
    const dir = uploadDirectory(this.config);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `s3-${job.runId}-${randomBytes(6).toString('hex')}.download`);
    await s3.download(job.s3Key, path, job.maxBytes);
    return path;
  }

  /** Removes what the import read: the stored upload, the downloaded copy, and the object in the bucket. */
  async #discard(job: ImportJobData, downloaded?: string): Promise<void> {
    if (downloaded !== undefined) await rm(downloaded, { force: true });
    if (job.path !== undefined && !job.keepFile) await rm(job.path, { force: true });
    if (job.s3Key !== undefined) {
      await this.s3?.delete(job.s3Key).catch((error: unknown) =>
        // A leftover object costs storage, not correctness; a bucket lifecycle rule sweeps it.
        this.logger.warn(
          { err: error, run_id: job.runId, s3_key: job.s3Key },
          'upload not deleted from the bucket',
        ),
      );
    }
  }

  async #createRun(
    input: { developerId: string; userId: string; bytes: number; fileName: string; runId?: string },
    message: string,
  ): Promise<string> {
    const runId = input.runId ?? newRunId('xml_import', 'apple');
    await this.runs.create(
      {
        id: runId,
        developerId: input.developerId,
        userId: input.userId,
        provider: 'apple',
        source: 'xml_import',
        message,
      },
      { file_name: input.fileName, bytes_total: input.bytes },
    );
    return runId;
  }

  /** Imports a local file in this process (the CLI), as a run like any other. */
  async importLocalFile(
    input: { developerId: string; userId: string; path: string; bytes: number; fileName: string },
    onProgress?: (p: ImportProgress) => void,
  ): Promise<string> {
    const runId = await this.#createRun(input, `Importing ${input.fileName}`);
    await this.runJob(
      { runId, userId: input.userId, path: input.path, keepFile: true },
      { count: 0, limit: 0 },
      onProgress,
    );
    return runId;
  }

  async runJob(
    job: ImportJobData,
    retry: { count: number; limit: number },
    listener?: (p: ImportProgress) => void,
  ): Promise<void> {
    const run = await this.db
      .selectFrom('sync_runs')
      .select(['stage'])
      .where('id', '=', job.runId)
      .executeTakeFirst();
    if (run === undefined || ['completed', 'failed', 'cancelled'].includes(run.stage)) {
      await this.#discard(job);
      return;
    }
    let downloaded: string | undefined;
    try {
      if (run.stage === 'queued') await this.runs.transition(job.runId, 'started', { message: 'Started' });
      if (job.s3Key !== undefined) {
        await this.runs.transition(job.runId, 'fetching', {
          message: 'Downloading the upload from the bucket',
        });
        downloaded = await this.#download({ ...job, s3Key: job.s3Key });
      }
      const path = downloaded ?? job.path;
      if (path === undefined) throw new Error(`import job ${job.runId} names neither a file nor an S3 key`);
      await this.runs.transition(job.runId, 'processing', {
        message: retry.count > 0 ? `Reading the export (attempt ${retry.count + 1})` : 'Reading the export',
        itemsProcessed: 0,
      });
      let lastEvent = 0;
      const onProgress = async (p: ImportProgress) => {
        listener?.(p);
        const now = Date.now();
        if (now - lastEvent < PROGRESS_MIN_INTERVAL_MS && p.bytes_read < p.bytes_total) return;
        lastEvent = now;
        const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
        await this.runs.transition(
          job.runId,
          'saving',
          {
            message: `Imported ${p.records} records (${mb(p.bytes_read)} of ${mb(p.bytes_total)} MB)`,
            itemsProcessed: p.records,
          },
          {
            bytes_read: p.bytes_read,
            bytes_total: p.bytes_total,
            records: p.records,
            items_written: p.items_written,
            records_per_s: p.elapsed_ms > 0 ? Math.round((p.records * 1000) / p.elapsed_ms) : null,
          },
        );
      };
      const outcome = await importAppleExport({
        db: this.db,
        userId: job.userId,
        path,
        onProgress,
      });
      const { tally } = outcome;
      const records = Object.values(tally.elements).reduce((a, b) => a + b, 0);
      await this.runs.finish(job.runId, {
        stage: 'completed',
        status: statusForTerminal('completed', tally.rejected_count > 0),
        message:
          tally.rejected_count > 0
            ? `Imported ${records} elements; ${tally.rejected_count} rejected`
            : `Imported ${records} elements`,
        itemsProcessed: records,
        result: { ...outcome, kept_raw: tally.kept_raw },
      });
      await this.#discard(job, downloaded);
    } catch (error) {
      if (error instanceof InvalidTransitionError) {
        // Cancelled (or ended elsewhere) while running: nothing more to record.
        await this.#discard(job, downloaded);
        return;
      }
      const format = error instanceof ImportFormatError;
      // The object vanished from the bucket, or was overwritten with more than was granted: final.
      const upload = error instanceof S3ObjectNotFoundError || error instanceof S3ObjectTooLargeError;
      if (!format && !upload && retry.count < retry.limit) {
        this.logger.warn({ err: error, run_id: job.runId }, 'import attempt failed; the queue retries it');
        // The next attempt downloads again, perhaps on another worker; the object stays until the end.
        if (downloaded !== undefined) await rm(downloaded, { force: true });
        throw error;
      }
      this.logger[format || upload ? 'info' : 'error']({ err: error, run_id: job.runId }, 'import failed');
      const message = error instanceof Error ? error.message : String(error);
      await this.runs
        .finish(job.runId, {
          stage: 'failed',
          status: 'failed',
          message: format
            ? `Not a readable Apple Health export: ${message}`
            : upload
              ? `The upload could not be read from the bucket: ${message}`
              : 'Import failed',
          error: {
            code: format ? 'INVALID_FILE' : upload ? 'UPLOAD_UNAVAILABLE' : 'INTERNAL_ERROR',
            message,
            ...(error instanceof ImportFormatError && error.line !== undefined
              ? { line: error.line, column: error.column }
              : {}),
          },
        })
        .catch((finishError: unknown) =>
          this.logger.error({ err: finishError, run_id: job.runId }, 'could not fail run'),
        );
      await this.#discard(job, downloaded);
    }
  }
}

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`upload exceeds ${maxBytes} bytes`);
  }
}
