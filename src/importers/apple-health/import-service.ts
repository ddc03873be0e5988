import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config/load-config.ts';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../shared/logger.ts';
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
 * Apple Health XML imports as sync runs (`source: xml_import`). The upload is on disk and the queued
 * run and its job are committed before the caller hears 202; a worker then streams the file into
 * canonical batches. A job whose worker dies is retried by the queue and simply starts over: writes are
 * idempotent, so it ends with exactly the data of one clean run.
 */
export class AppleImportService {
  constructor(
    private readonly db: Db,
    private readonly runs: SyncRunRecorder,
    private readonly queue: JobQueue,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

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
        createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true }),
      );
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { path, bytes };
  }

  /** Queues the import of a stored upload; returns the run id (which is also the job id callers see). */
  async accept(input: {
    developerId: string;
    userId: string;
    path: string;
    bytes: number;
    fileName: string;
  }): Promise<string> {
    const runId = newRunId('xml_import', 'apple');
    await this.runs.create(
      {
        id: runId,
        developerId: input.developerId,
        userId: input.userId,
        provider: 'apple',
        source: 'xml_import',
        message: `Queued import of ${input.fileName}`,
      },
      { file_name: input.fileName, bytes_total: input.bytes },
    );
    await this.queue.enqueueImport({ runId, userId: input.userId, path: input.path });
    return runId;
  }

  async #discard(job: ImportJobData): Promise<void> {
    if (!job.keepFile) await rm(job.path, { force: true });
  }

  /** Imports a local file in this process (the CLI), as a run like any other. */
  async importLocalFile(
    input: { developerId: string; userId: string; path: string; bytes: number; fileName: string },
    onProgress?: (p: ImportProgress) => void,
  ): Promise<string> {
    const runId = newRunId('xml_import', 'apple');
    await this.runs.create(
      {
        id: runId,
        developerId: input.developerId,
        userId: input.userId,
        provider: 'apple',
        source: 'xml_import',
        message: `Importing ${input.fileName}`,
      },
      { file_name: input.fileName, bytes_total: input.bytes },
    );
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
    try {
      if (run.stage === 'queued') await this.runs.transition(job.runId, 'started', { message: 'Started' });
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
        path: job.path,
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
      await this.#discard(job);
    } catch (error) {
      if (error instanceof InvalidTransitionError) {
        // Cancelled (or ended elsewhere) while running: nothing more to record.
        await this.#discard(job);
        return;
      }
      const format = error instanceof ImportFormatError;
      if (!format && retry.count < retry.limit) {
        this.logger.warn({ err: error, run_id: job.runId }, 'import attempt failed; the queue retries it');
        throw error;
      }
      this.logger[format ? 'info' : 'error']({ err: error, run_id: job.runId }, 'import failed');
      const message = error instanceof Error ? error.message : String(error);
      await this.runs
        .finish(job.runId, {
          stage: 'failed',
          status: 'failed',
          message: format ? `Not a readable Apple Health export: ${message}` : 'Import failed',
          error: {
            code: format ? 'INVALID_FILE' : 'INTERNAL_ERROR',
            message,
            ...(error instanceof ImportFormatError && error.line !== undefined
              ? { line: error.line, column: error.column }
              : {}),
          },
        })
        .catch((finishError: unknown) =>
          this.logger.error({ err: finishError, run_id: job.runId }, 'could not fail run'),
        );
      await this.#discard(job);
    }
  }
}

export class UploadTooLargeError extends Error {
  override name = 'UploadTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`upload exceeds ${maxBytes} bytes`);
  }
}
