import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/database.ts';
import { isEmbedded } from '../../db/pglite-dialect.ts';
import type { StorableBatch } from '../../health-data/canonical.ts';
import { archiveRawPayload } from '../../health-data/raw-payloads.repo.ts';
import { type WriteCounts, type WriteRejected, writeCanonicalBatch } from '../../ingest/write-batch.ts';
import type { ZipLimits } from './export-file.ts';
import type { ImportTally } from './mapper.ts';
import type { ParseWorkerData, ParseWorkerMessage } from './parse-worker.ts';
import { type ExportEnd, type ExportEvent, type ReadOptions, readAppleExport } from './read-export.ts';
import { ImportFormatError } from './xml-stream.ts';

export interface ImportProgress {
  bytes_read: number;
  bytes_total: number;
  /** Top-level elements read so far. */
  records: number;
  items_written: number;
  elapsed_ms: number;
}

export interface ImportTotals {
  samples_inserted: number;
  samples_duplicates: number;
  workouts_inserted: number;
  workouts_updated: number;
  sleep_intervals_inserted: number;
  batches: number;
  /** Records the database refused although they were parsed and mapped (see writeCanonicalBatch). */
  write_rejected: number;
}

export interface ImportOutcome {
  file: { kind: 'zip' | 'xml'; xml_name: string; xml_bytes: number };
  tally: ImportTally;
  written: ImportTotals;
  /** The first WRITE_REJECTS_LISTED of `written.write_rejected`, with their reasons. */
  write_rejected: WriteRejected[];
  kept_raw_payload_id: number | null;
}

/** Write rejects listed in an import's outcome (all are counted). */
const WRITE_REJECTS_LISTED = 100;

export interface ImportOptions {
  db: Db;
  userId: string;
  path: string;
  /** Canonical items per write (samples + workouts + sleep intervals). */
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => Promise<void> | void;
  zipLimits?: ZipLimits;
  /** Parse only: map everything, write nothing (the benchmark's baseline uses streamXml directly). */
  dryRun?: boolean;
  /**
   * Parse in a worker thread, so that parsing and the database writes of this thread use two cores.
   * `auto` (default): for files of at least WORKER_MIN_BYTES (where it outweighs the thread's start)
   * going into embedded PGlite, which runs in this thread. With PostgreSQL the database works in its
   * own processes and this thread mostly waits for it: measured on 2 cores with 2M records, parsing
   * here took as long as in a worker (20.7–21.4 s against 21.4–21.5 s) and peaked 30–40 MiB lower,
   * without a second heap, its collector and the messages between the two.
   */
  parseInWorker?: boolean | 'auto';
  /** Stops the import between batches (its worker lost the run's lease): rejects with the reason. */
  signal?: AbortSignal;
}

const WORKER_MIN_BYTES = 4 * 1024 * 1024;
/** Batches a parse worker may run ahead of the writes. */
const WORKER_AHEAD = 2;
/**
 * Batches written at once. Concurrent batches of one import cannot deadlock: every statement takes its
 * row locks in key order (samples, rollups, offsets sorted; sleep behind a per-user advisory lock).
 * Measured on 2 cores with 2M records on PostgreSQL: 1 → 36 s, 2 → 31 s, 3 → 27 s, 4 → 29 s.
 */
const WRITERS = 3;

/** The parse stage in a worker thread, as the same event stream `readAppleExport` yields. */
async function* readInWorker(options: ReadOptions): AsyncGenerator<ExportEvent> {
  const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), {
    workerData: { options, ahead: WORKER_AHEAD } satisfies ParseWorkerData,
  });
  const queue: (ParseWorkerMessage | Error)[] = [];
  let wake: (() => void) | undefined;
  const push = (item: ParseWorkerMessage | Error) => {
    queue.push(item);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', push);
  worker.on('exit', (code) => push(new Error(`the parse worker exited (code ${code}) before it finished`)));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = queue.shift() as ParseWorkerMessage | Error;
      if (item instanceof Error) throw item;
      if (item.type === 'error') {
        if (item.name === 'ImportFormatError')
          throw new ImportFormatError(item.message, item.line, item.column);
        throw Object.assign(new Error(item.message), { name: item.name });
      }
      worker.postMessage('credit');
      yield item.event;
      if (item.event.kind === 'end') return;
    }
  } finally {
    await worker.terminate();
  }
}

function addCounts(totals: ImportTotals, counts: WriteCounts, rejected: WriteRejected[]): void {
  if (counts.write_rejected !== undefined) {
    totals.write_rejected += counts.write_rejected.count;
    for (const record of counts.write_rejected.records) {
      if (rejected.length < WRITE_REJECTS_LISTED) rejected.push(record);
    }
  }
  totals.samples_inserted += counts.samples.inserted;
  totals.samples_duplicates += counts.samples.duplicates;
  totals.workouts_inserted += counts.workouts.inserted;
  totals.workouts_updated += counts.workouts.updated;
  totals.sleep_intervals_inserted += counts.sleep.intervals_inserted;
  totals.batches += 1;
}

/**
 * Imports one Apple Health export (export.zip or export.xml) for a user: the parse stage
 * (read-export.ts, in a worker thread for large files) streams the XML and maps each top-level element
 * into canonical batches, which this thread writes with `writeCanonicalBatch` while the next ones are
 * parsed, reporting progress after every batch. Every write is idempotent, so
 * importing the same export again, or re-running an import that died halfway, ends with exactly the
 * rows of one clean import.
 */
export async function importAppleExport(options: ImportOptions): Promise<ImportOutcome> {
  const { db, userId } = options;
  const started = performance.now();
  const read: ReadOptions = {
    path: options.path,
    batchSize: options.batchSize ?? 10_000,
    ...(options.zipLimits === undefined ? {} : { zipLimits: options.zipLimits }),
  };
  const mode = options.parseInWorker ?? 'auto';
  const inWorker =
    mode === 'auto'
      ? !options.dryRun && isEmbedded(db) && (await stat(options.path)).size >= WORKER_MIN_BYTES
      : mode;
  const written: ImportTotals = {
    samples_inserted: 0,
    samples_duplicates: 0,
    workouts_inserted: 0,
    workouts_updated: 0,
    sleep_intervals_inserted: 0,
    batches: 0,
    write_rejected: 0,
  };
  const writeRejected: WriteRejected[] = [];
  let bytesTotal = 0;
  let itemsWritten = 0;
  let end: ExportEnd | undefined;
  let reported = { bytesRead: 0, records: 0 };
  const inFlight = new Set<Promise<void>>();

  const write = async (
    batch: StorableBatch,
    items: number,
    progress: { bytesRead: number; records: number },
  ) => {
    options.signal?.throwIfAborted();
    if (!options.dryRun) addCounts(written, await writeCanonicalBatch(db, userId, batch), writeRejected);
    itemsWritten += items;
    // Writes finish out of order: progress only ever moves forward.
    if (progress.bytesRead > reported.bytesRead) reported = progress;
    await options.onProgress?.({
      bytes_read: reported.bytesRead,
      bytes_total: bytesTotal,
      records: reported.records,
      items_written: itemsWritten,
      elapsed_ms: Math.round(performance.now() - started),
    });
  };

  try {
    for await (const event of inWorker ? readInWorker(read) : readAppleExport(read)) {
      options.signal?.throwIfAborted();
      if (event.kind === 'opened') bytesTotal = event.xmlBytes;
      else if (event.kind === 'end') end = event;
      else {
        // Batches are written while the next ones are parsed, WRITERS at a time: on PostgreSQL each
        // has its own connection, so the database works on several at once.
        while (inFlight.size >= WRITERS) await Promise.race(inFlight);
        const writing: Promise<void> = write(event.batch, event.items, event).finally(() =>
          inFlight.delete(writing),
        );
        // Handled here so a failing write is not an unhandled rejection; the race above rethrows it.
        writing.catch(() => {});
        inFlight.add(writing);
      }
    }
    await Promise.all(inFlight);
    options.signal?.throwIfAborted();
  } finally {
    // A failed parse must not leave a write running against a run that is being failed.
    await Promise.allSettled(inFlight);
  }
  if (end === undefined) throw new Error('the export reader ended without a tally');

  let keptRawPayloadId: number | null = null;
  if (!options.dryRun && (end.keptRawElements.length > 0 || end.tally.me !== null)) {
    keptRawPayloadId = await archiveRawPayload(db, {
      userId,
      provider: 'apple',
      kind: 'apple_xml_kept_raw',
      contentType: 'application/json',
      body: JSON.stringify({
        export_date: end.tally.export_date,
        me: end.tally.me,
        elements: end.keptRawElements,
      }),
    });
  }
  return {
    file: end.file,
    tally: end.tally,
    written,
    write_rejected: writeRejected,
    kept_raw_payload_id: keptRawPayloadId,
  };
}
