import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { s3Settings } from '../../config/config.ts';
import type { Config } from '../../config/load-config.ts';
import type { Db } from '../../db/database.ts';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.ts';
import { NotFoundError } from '../../shared/errors.ts';
import type { Logger } from '../../shared/logger.ts';
import { S3BlobStore, S3ObjectNotFoundError, S3ObjectTooLargeError } from '../../storage/s3.ts';
import {
  IMPORT_QUEUE,
  type ImportJobData,
  type JobAttempt,
  JobFailedError,
  type JobQueue,
} from '../../sync/job-queue.ts';
import type { SyncRunRecorder } from '../../sync/run-recorder.ts';
import { statusForTerminal } from '../../sync/run-state.ts';
import { type StoredError, toStoredError } from '../../sync/stored-error.ts';
import { createRun, InvalidTransitionError, newRunId } from '../../sync/sync-runs.repo.ts';
import { isUserGone } from '../../users/user-gone.ts';
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

/**
 * Local upload URLs (no S3) are pending uploads too, under this key prefix (bucket keys are under
 * `apple-imports/`): the row makes the URL single-use (its `run_id` is claimed by the first PUT), and it
 * goes with its user (on delete cascade), so a URL of a deleted user is unknown rather than a 500.
 */
export const LOCAL_UPLOAD_PREFIX = 'local/';

/** What presenting a local upload URL came to. */
export type LocalUploadClaim =
  | { outcome: 'claimed'; runId: string; fileName: string; maxBytes: number }
  | { outcome: 'used'; runId: string }
  | { outcome: 'unknown' };

/** Where an import reads its export from. */
/** What an upload grant (local URL or S3 presigned PUT) records about the upload it admits. */
interface UploadGrantInput {
  developerId: string;
  userId: string;
  fileName: string;
  maxBytes: number;
  expiresInSeconds: number;
}

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
  /** Who holds the leases of imports run by this process: host, pid, and a nonce for this instance. */
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Runs seen with an `active` job and no lease, since when (see reapInterruptedImports). */
  readonly #leaseless = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly runs: SyncRunRecorder,
    private readonly queue: JobQueue,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    LIVE_OWNERS.add(this.#owner);
    const settings = s3Settings(config);
    this.s3 = settings === undefined ? undefined : new S3BlobStore(settings);
  }

  #requireS3(): S3BlobStore {
    if (this.s3 === undefined) throw new Error('S3 storage is not configured (S3_BUCKET and its keys)');
    return this.s3;
  }

  /**
   * Stores a request body as a new upload file; returns its path and size. `body` is a web stream, or
   * any async iterable of bytes: the upload routes pass Node's own request stream through an iterator
   * that does not destroy it when the upload is refused halfway (destroying an IncomingMessage destroys
   * its socket, and the client would see a reset instead of the 413). `expectedBytes` (a declared
   * Content-Length) must be met exactly. A failed store leaves no file behind.
   */
  async store(
    body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
    maxBytes: number,
    expectedBytes?: number,
  ): Promise<{ path: string; bytes: number }> {
    const dir = uploadDirectory(this.config);
    await mkdir(dir, { recursive: true });
    const path = join(dir, `apple-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.upload`);
    let bytes = 0;
    // A web stream is iterated as such (its iterator's return cancels it), never bridged to a Node one.
    const chunks = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    try {
      await pipeline(
        async function* () {
          for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
            bytes += next.value.byteLength;
            if (bytes > maxBytes) throw new UploadTooLargeError(maxBytes);
            yield next.value;
          }
          if (expectedBytes !== undefined && bytes !== expectedBytes) {
            throw new UploadIncompleteError(
              `The upload ended after ${bytes} of the ${expectedBytes} bytes its Content-Length declared`,
            );
          }
        },
        // A deep write buffer: with the default 16 KiB every socket chunk waited for its own disk write.
        createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: 8 * 1024 * 1024 }),
      );
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    } finally {
      // Stops reading a body refused halfway (the server drains or closes the connection after the answer).
      await chunks.return?.().catch(() => undefined);
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
    const runId = input.runId ?? newRunId('xml_import', 'apple');
    const jobId = randomUUID();
    const data: ImportJobData =
      's3Key' in input
        ? { runId, userId: input.userId, s3Key: input.s3Key, maxBytes: input.maxBytes }
        : { runId, userId: input.userId, path: input.path };
    // The run and its job commit together: no crash leaves a queued run that no job will ever start.
    const row = await this.db
      .transaction()
      .execute(async (trx) => {
        const created = await createRun(trx, {
          id: runId,
          queueJobId: jobId,
          developerId: input.developerId,
          userId: input.userId,
          provider: 'apple',
          source: 'xml_import',
          message: `Queued import of ${input.fileName}`,
        });
        await this.queue.enqueueImport(data, { db: trx, id: jobId });
        return created;
      })
      .catch(async (error: unknown) => {
        // Nothing will import the stored file: do not leave it behind.
        if ('path' in input) await rm(input.path, { force: true });
        return userGone(error);
      });
    await this.runs.announce(row, { file_name: input.fileName, bytes_total: input.bytes });
    this.queue.wake(IMPORT_QUEUE);
    return runId;
  }

  /** Records a local upload URL's grant; its key goes into the signed URL. */
  async grantLocalUpload(input: UploadGrantInput): Promise<{ key: string; expiresAt: Date }> {
    const key = `${LOCAL_UPLOAD_PREFIX}${randomBytes(16).toString('hex')}`;
    return { key, expiresAt: await this.#recordPendingUpload(key, input) };
  }

  /**
   * Claims a local upload URL for one upload, before its body is read: a second PUT, concurrent or
   * later, finds the claim and is refused. `releaseLocalUpload` undoes a claim whose upload failed.
   */
  async claimLocalUpload(key: string): Promise<LocalUploadClaim> {
    if (!key.startsWith(LOCAL_UPLOAD_PREFIX)) return { outcome: 'unknown' };
    const runId = newRunId('xml_import', 'apple');
    const claimed = await this.db
      .updateTable('pending_uploads')
      .set({ run_id: runId })
      .where('key', '=', key)
      .where('run_id', 'is', null)
      .where('expires_at', '>', new Date())
      .returning(['file_name', 'max_bytes'])
      .executeTakeFirst();
    if (claimed !== undefined) {
      return { outcome: 'claimed', runId, fileName: claimed.file_name, maxBytes: Number(claimed.max_bytes) };
    }
    const row = await this.db
      .selectFrom('pending_uploads')
      .select('run_id')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.run_id ? { outcome: 'used', runId: row.run_id } : { outcome: 'unknown' };
  }

  async releaseLocalUpload(key: string, runId: string): Promise<void> {
    await this.db
      .updateTable('pending_uploads')
      .set({ run_id: null })
      .where('key', '=', key)
      .where('run_id', '=', runId)
      .execute();
  }

  /** Records an upload grant under `key` (a user deleted meanwhile is a 404); returns when it expires. */
  async #recordPendingUpload(key: string, input: UploadGrantInput): Promise<Date> {
    const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000);
    await this.#forgetOldUploads();
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
      .execute()
      .catch(userGone);
    return expiresAt;
  }

  async #forgetOldUploads(): Promise<void> {
    await this.db
      .deleteFrom('pending_uploads')
      .where('expires_at', '<', new Date(Date.now() - PENDING_UPLOAD_RETENTION_MS))
      .execute();
  }

  /**
   * Hands out a presigned PUT URL for a new key in the bucket and remembers the key as pending: the
   * notification that later names it is only believed for keys recorded here.
   */
  async presignS3Upload(input: UploadGrantInput): Promise<{ url: string; key: string; expiresAt: Date }> {
    const s3 = this.#requireS3();
    const key = `apple-imports/${input.developerId}/${input.userId}/${randomBytes(16).toString('hex')}.upload`;
    const expiresAt = await this.#recordPendingUpload(key, input);
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
    // A local upload URL's key is no object of the bucket.
    if (key.startsWith(LOCAL_UPLOAD_PREFIX)) return { outcome: 'unknown' };
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
    await this.runs
      .create(
        {
          id: runId,
          developerId: input.developerId,
          userId: input.userId,
          provider: 'apple',
          source: 'xml_import',
          message,
        },
        { file_name: input.fileName, bytes_total: input.bytes },
      )
      .catch(userGone);
    return runId;
  }

  /**
   * Imports a local file in this process (the CLI), as a run like any other. The run has no queue job
   * but a lease like a worker's: if this process dies, the next start of any WearLink process reaps it
   * (see reapInterruptedImports) instead of leaving it `saving` for good.
   */
  async importLocalFile(
    input: { developerId: string; userId: string; path: string; bytes: number; fileName: string },
    onProgress?: (p: ImportProgress) => void,
    onStart?: (runId: string) => void,
  ): Promise<string> {
    const runId = await this.#createRun(input, `Importing ${input.fileName}`);
    onStart?.(runId);
    await this.runJob(
      { runId, userId: input.userId, path: input.path, keepFile: true },
      { count: 0, limit: 0, jobId: '' },
      onProgress,
    );
    return runId;
  }

  /** How long a lease lasts without a heartbeat (IMPORT_LEASE_SECONDS). */
  get #leaseMs(): number {
    return this.config.IMPORT_LEASE_SECONDS * 1000;
  }

  /**
   * Takes the lease of a run this process is about to import, and keeps it alive: one heartbeat every
   * quarter of the lease. The returned signal aborts when the lease turns out to be someone else's (a
   * reaper judged this process dead, and the run went to another worker): the import then stops
   * without ending the run. Taking it over from a previous holder is right: the queue gave us the job.
   */
  async #holdLease(runId: string): Promise<{ signal: AbortSignal; release: () => Promise<void> }> {
    const expires = () => new Date(Date.now() + this.#leaseMs);
    const lease = { owner: this.#owner, host: hostname(), pid: process.pid, expires_at: expires() };
    await this.db
      .insertInto('import_leases')
      .values({ run_id: runId, ...lease })
      .onConflict((oc) => oc.column('run_id').doUpdateSet(lease))
      .execute();
    const controller = new AbortController();
    const timer = setInterval(async () => {
      try {
        const renewed = await this.db
          .updateTable('import_leases')
          .set({ expires_at: expires() })
          .where('run_id', '=', runId)
          .where('owner', '=', this.#owner)
          .executeTakeFirst();
        if (renewed.numUpdatedRows === 0n) controller.abort(new LeaseLostError(runId));
      } catch (error) {
        // The database is away: the lease may lapse, and another worker then takes over (idempotently).
        this.logger.warn({ run_id: runId, error: toStoredError(error) }, 'import lease not renewed');
      }
    }, this.#leaseMs / 4);
    timer.unref();
    return {
      signal: controller.signal,
      release: async () => {
        clearInterval(timer);
        await this.db
          .deleteFrom('import_leases')
          .where('run_id', '=', runId)
          .where('owner', '=', this.#owner)
          .execute()
          .catch((error: unknown) =>
            this.logger.warn({ run_id: runId, error: toStoredError(error) }, 'import lease not released'),
          );
      },
    };
  }

  /**
   * Registers this process as an import worker (`serve`, `worker`): runs import jobs, and reaps
   * interrupted imports now and then every half lease, until the queue stops.
   */
  async startWorker(): Promise<void> {
    await this.queue.workImports(1, (job, attempt) => this.runJob(job, attempt));
    const reap = () =>
      this.reapInterruptedImports().catch((error: unknown) =>
        this.logger.error({ error: toStoredError(error) }, 'reaping interrupted imports failed'),
      );
    await reap();
    const timer = setInterval(
      () => {
        if (this.queue.stopped) clearInterval(timer);
        else void reap();
      },
      Math.max(this.#leaseMs / 2, 500),
    );
    timer.unref();
  }

  /**
   * Ends the wait of imports whose process died (kill -9, a crash, a lost machine), within about a
   * lease of the death, so that every import run ends: resumed, or failed with the reason.
   *
   * A run's holder is dead when its lease has lapsed, or at once when it was a process of this host
   * that no longer exists. Then: a run with a queue job still `active` has that job failed, which the
   * queue retries within its retry limit (the retry resumes the import; writes are idempotent, so it
   * ends with exactly the data of a clean one), and the run is failed if no retry is left; a run whose
   * job ended without ending it, or that has no job (a CLI import), is failed with the reason: the CLI
   * import is run again by hand, with the same outcome. An `active` job without any lease (its worker
   * died before taking it) counts as dead once seen so for a whole lease.
   */
  async reapInterruptedImports(): Promise<{ retried: string[]; failed: string[] }> {
    const now = Date.now();
    // A holder killed after ending its run but before dropping its lease leaves the lease behind.
    await this.db
      .deleteFrom('import_leases')
      .where('run_id', 'in', (eb) =>
        eb.selectFrom('sync_runs').select('sync_runs.id').where('sync_runs.ended_at', 'is not', null),
      )
      .execute();
    const open = await this.db
      .selectFrom('sync_runs')
      .leftJoin('import_leases', 'import_leases.run_id', 'sync_runs.id')
      .select([
        'sync_runs.id',
        'sync_runs.queue_job_id',
        'sync_runs.updated_at',
        'import_leases.owner',
        'import_leases.host',
        'import_leases.pid',
        'import_leases.expires_at',
      ])
      .where('sync_runs.source', '=', 'xml_import')
      .where('sync_runs.ended_at', 'is', null)
      .orderBy('sync_runs.created_at')
      .limit(REAP_BATCH)
      .execute();
    const retried: string[] = [];
    const failed: string[] = [];
    const seen = new Set<string>();
    for (const run of open) {
      seen.add(run.id);
      if (run.owner === this.#owner) continue;
      let holder: string | undefined;
      if (run.owner !== null) {
        const lapsed = (run.expires_at as Date).getTime() < now;
        const gone =
          run.host === hostname() &&
          run.pid !== null &&
          // This very pid, but no instance of this process: a previous process that had the same pid
          // (PID 1 of a restarted container, typically).
          (run.pid === process.pid ? !LIVE_OWNERS.has(run.owner) : !processAlive(run.pid));
        if (!lapsed && !gone) continue; // imported right now by a live process
        holder = `process ${run.pid} on ${run.host}`;
      }
      const jobId = run.queue_job_id;
      const job = jobId !== null && UUID.test(jobId) ? await this.queue.job(IMPORT_QUEUE, jobId) : undefined;
      if (job?.state === 'created' || job?.state === 'retry') continue; // waiting for a worker
      if (job?.state === 'active') {
        if (holder === undefined) {
          // Taken by a worker that has not written its lease yet, or that died before it did.
          const since = this.#leaseless.get(run.id) ?? now;
          this.#leaseless.set(run.id, since);
          if (now - since < this.#leaseMs) continue;
          holder = 'a worker that never took its lease';
        }
        const outcome = await this.queue.failActiveJob(IMPORT_QUEUE, jobId as string, {
          code: 'WORKER_LOST',
          message: `The import was interrupted: ${holder} stopped`,
        });
        await this.#dropLease(run.id, run.owner);
        if (outcome === 'retry') {
          this.logger.warn({ run_id: run.id, holder }, 'import interrupted; the queue resumes it');
          retried.push(run.id);
          continue;
        }
      } else if (holder === undefined) {
        // Not started, or no lease at all: judged by its age, so a run still being created is left alone.
        if (run.updated_at.getTime() > now - this.#leaseMs) continue;
        holder = job === undefined ? 'its queue job is gone' : `its queue job ended (${job.state})`;
      }
      const ended = await this.runs
        .finish(run.id, {
          stage: 'failed',
          status: 'failed',
          message:
            jobId === null
              ? `Interrupted: ${holder} stopped before the import ended. Import the file again: nothing is stored twice`
              : `Interrupted: ${holder}, and the import could not be resumed. Upload the file again: nothing is stored twice`,
          error: { code: 'INTERRUPTED', message: `The import was interrupted: ${holder}` },
        })
        .then(
          () => true,
          (error: unknown) => {
            if (error instanceof InvalidTransitionError) return false; // ended meanwhile
            throw error;
          },
        );
      await this.#dropLease(run.id, run.owner);
      if (ended) {
        this.logger.warn({ run_id: run.id, holder }, 'interrupted import failed');
        failed.push(run.id);
      }
    }
    for (const id of this.#leaseless.keys()) if (!seen.has(id)) this.#leaseless.delete(id);
    return { retried, failed };
  }

  async #dropLease(runId: string, owner: string | null): Promise<void> {
    if (owner === null) return;
    await this.db
      .deleteFrom('import_leases')
      .where('run_id', '=', runId)
      .where('owner', '=', owner)
      .execute();
  }

  async runJob(
    job: ImportJobData,
    attempt: JobAttempt,
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
    const lease = await this.#holdLease(job.runId);
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
        message:
          attempt.count > 0 ? `Reading the export (attempt ${attempt.count + 1})` : 'Reading the export',
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
        signal: lease.signal,
      });
      // A run taken over meanwhile is the new holder's to end.
      lease.signal.throwIfAborted();
      const { tally } = outcome;
      const records = Object.values(tally.elements).reduce((a, b) => a + b, 0);
      // Elements the mapper refused, and records the database refused at write time (set aside there).
      const rejected = tally.rejected_count + outcome.written.write_rejected;
      await this.runs.finish(job.runId, {
        stage: 'completed',
        status: statusForTerminal('completed', rejected > 0),
        message:
          rejected > 0
            ? `Imported ${records} elements; ${rejected} rejected`
            : `Imported ${records} elements`,
        itemsProcessed: records,
        result: { ...outcome, kept_raw: tally.kept_raw },
      });
      await this.#discard(job, downloaded);
    } catch (error) {
      if (lease.signal.aborted) {
        // Reaped while running (this process was judged dead): the run is another worker's now, and
        // so is the upload. Nothing more to record or delete here.
        this.logger.warn({ run_id: job.runId }, 'import lease taken over; this attempt stops');
        if (downloaded !== undefined) await rm(downloaded, { force: true });
        return;
      }
      if (error instanceof InvalidTransitionError) {
        // Cancelled (or ended elsewhere) while running: nothing more to record.
        await this.#discard(job, downloaded);
        return;
      }
      if (isUserGone(error)) {
        // The user is being deleted: the write guard refused the next batch. Not worth a retry.
        await this.runs
          .finish(job.runId, {
            stage: 'cancelled',
            status: 'cancelled',
            message: 'Cancelled: the user was deleted',
          })
          .catch(() => undefined);
        await this.#discard(job, downloaded);
        return;
      }
      const failure = importFailure(error);
      if (!failure.final && attempt.count < attempt.limit) {
        this.logger.warn(
          { run_id: job.runId, error: failure.error },
          'import attempt failed; the queue retries it',
        );
        // The next attempt downloads again, perhaps on another worker; the object stays until the end.
        if (downloaded !== undefined) await rm(downloaded, { force: true });
        // Only the sanitized error goes up (to the queue, which stores it): never the driver's object.
        throw new JobFailedError(failure.error);
      }
      this.logger[failure.final ? 'info' : 'error'](
        { run_id: job.runId, error: failure.error },
        'import failed',
      );
      await this.runs
        .finish(job.runId, {
          stage: 'failed',
          status: 'failed',
          message: failure.message,
          error: failure.error,
        })
        .catch((finishError: unknown) =>
          this.logger.error({ run_id: job.runId, error: toStoredError(finishError) }, 'could not fail run'),
        );
      await this.#discard(job, downloaded);
    } finally {
      await lease.release();
    }
  }
}

/** Unfinished import runs looked at per reaping pass; the rest wait for the next one. */
const REAP_BATCH = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The lease owners of this process's import services (a test process may have several). */
const LIVE_OWNERS = new Set<string>();

/** Whether a process of this host is alive (EPERM: it is, someone else's). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process lost the lease of the run it imports (another worker has it now). */
class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(runId: string) {
    super(`the lease of import run ${runId} was taken over`);
  }
}

/** A SQLSTATE of PostgreSQL (and PGlite): five digits or capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * What a failed import attempt comes to: the run's `{code, message}` (never the driver's error object,
 * whose parameters are user data), its message, and whether trying again can change anything. A file
 * that is not a readable export, an upload gone from the bucket, and statements the database refuses
 * for what they are (see `final` below) fail the same way every time.
 */
function importFailure(error: unknown): {
  final: boolean;
  message: string;
  error: StoredError & Record<string, unknown>;
} {
  if (error instanceof ImportFormatError) {
    return {
      final: true,
      message: `Not a readable Apple Health export: ${error.message}`,
      error: {
        code: 'INVALID_FILE',
        message: error.message,
        ...(error.line !== undefined ? { line: error.line, column: error.column } : {}),
      },
    };
  }
  const stored = toStoredError(error);
  if (error instanceof S3ObjectNotFoundError || error instanceof S3ObjectTooLargeError) {
    return {
      final: true,
      message: `The upload could not be read from the bucket: ${stored.message}`,
      error: { code: 'UPLOAD_UNAVAILABLE', message: stored.message },
    };
  }
  const sqlstate = (error as { code?: unknown } | null)?.code;
  if (typeof sqlstate === 'string' && SQLSTATE.test(sqlstate)) {
    const message = `The database refused the export's data (SQLSTATE ${sqlstate}): ${stored.message}`;
    return {
      // Data (22), integrity (23), access and schema (42), limits (54): the same on every attempt.
      final: /^(22|23|42|54)/.test(sqlstate),
      message: 'Import failed: the database refused its data',
      error: { code: 'STORAGE_ERROR', message },
    };
  }
  return {
    final: false,
    message: 'Import failed',
    error: { code: 'INTERNAL_ERROR', message: stored.message },
  };
}

/** The user was deleted since the request was authenticated (or the URL was granted): a 404, not a 500. */
function userGone(error: unknown): never {
  if (isForeignKeyViolation(error)) throw new NotFoundError('User not found');
  throw error;
}

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`upload exceeds ${maxBytes} bytes`);
  }
}

/** A request body that ended, or broke off, before all of it arrived. */
export class UploadIncompleteError extends Error {
  override name = 'UploadIncompleteError';
}
