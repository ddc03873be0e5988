import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { SyncRunRow } from '../db/schema.ts';
import { archiveRawPayload, readRawPayload } from '../health-data/raw-payloads.repo.ts';
import type { Logger } from '../shared/logger.ts';
import { INGEST_QUEUE, type IngestJobData, type JobAttempt, type JobQueue } from '../sync/job-queue.ts';
import type { SyncRunRecorder } from '../sync/run-recorder.ts';
import { statusForTerminal } from '../sync/run-state.ts';
import { toStoredError } from '../sync/stored-error.ts';
import { createRun, InvalidTransitionError, newRunId } from '../sync/sync-runs.repo.ts';
import type { MappedBatch, PayloadKind } from './payload-kinds.ts';
import { isPayloadKind, payloadKinds } from './payload-kinds.ts';
import { writeCanonicalBatch } from './write-batch.ts';

/** At most this many rejected entries are listed in a run result; the count is always complete. */
const REJECTS_LISTED = 100;

/**
 * Items (samples, workouts, sleep intervals, scores) of the batches this process accepted and holds
 * mapped until its own worker runs them, so they need not be read back from the archive and mapped again
 * (gunzip, JSON.parse and mapping cost more than the write). SDK samples are held as columns, ~28 bytes
 * each: ~11 MiB.
 */
const MAPPED_ITEMS_KEPT = 400_000;
/**
 * While that much is held, an accept waits up to this long for a worker to take some (backpressure: a
 * flood of batches waits in HTTP instead of piling up); then the oldest held batch is let go (another
 * node's worker may have run it; if not, the worker maps it again from the archive).
 */
const ROOM_WAIT_MS = 5_000;

/**
 * SQLSTATE classes a batch fails with the same way however often it is retried: data exceptions (22:
 * a value the column cannot hold) and integrity violations (23). Anything else (a lost connection, a
 * restart, a lock timeout) is left to the queue's retries.
 */
const DETERMINISTIC_SQLSTATE = /^2[23][0-9A-Z]{3}$/;

function isDeterministicFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && DETERMINISTIC_SQLSTATE.test(code);
}

export interface AcceptedBatch {
  runId: string;
  rejectedCount: number;
}

/**
 * Push ingestion (SDK batches, WearMetrics): the raw payload, a queued sync run and its `ingest` job
 * are committed before the caller hears 202 (the run and the job in one transaction); a worker on any
 * node then writes the canonical batch and ends the run with counts and rejects. A job whose worker
 * died is retried after its expiry by any node and replays the archived payload: every write is
 * idempotent, so a replay ends exactly like an uninterrupted run, and no node ever re-runs a batch
 * another node is still running.
 */
export class IngestService {
  readonly #mapped = new Map<string, MappedBatch>();
  #heldItems = 0;
  readonly #roomWaiters = new Set<() => void>();
  #working = false;

  constructor(
    private readonly db: Db,
    private readonly queue: JobQueue,
    private readonly runs: SyncRunRecorder,
    private readonly logger: Logger,
  ) {}

  async accept(input: {
    kind: PayloadKind;
    developerId: string;
    userId: string;
    provider: string;
    /** The payload's JSON text, archived (and mapped again from there when another process runs the job). */
    body: string;
    mapped: MappedBatch;
  }): Promise<AcceptedBatch> {
    if (this.#working) await this.#room();
    const runId = newRunId('sdk', input.provider);
    const jobId = randomUUID();
    // Archived first, outside the transaction (compression should not hold a connection): a crash
    // right after leaves an unreferenced payload, which costs bytes, not correctness.
    const rawPayloadId = await archiveRawPayload(this.db, {
      userId: input.userId,
      provider: input.provider,
      kind: input.kind,
      contentType: 'application/json',
      body: input.body,
    });
    const row = await this.db.transaction().execute(async (trx) => {
      const created = await createRun(trx, {
        id: runId,
        queueJobId: jobId,
        developerId: input.developerId,
        userId: input.userId,
        provider: input.provider,
        source: 'sdk',
        itemsTotal: itemCount(input.mapped),
        rawPayloadId,
      });
      await this.queue.enqueueIngest({ runId }, { db: trx, id: jobId });
      return created;
    });
    if (this.#working) this.#hold(runId, input.mapped);
    await this.runs.announce(row);
    this.queue.wake(INGEST_QUEUE);
    return { runId, rejectedCount: input.mapped.rejected.length };
  }

  /** Runs ingest jobs in this process (`serve` and `worker` do). */
  async work(concurrency: number): Promise<void> {
    this.#working = true;
    await this.queue.workIngest(concurrency, (job, attempt) => this.runJob(job, attempt));
  }

  /** The worker side of one accepted batch. Throwing makes the queue retry the job. */
  async runJob(job: IngestJobData, attempt: JobAttempt): Promise<void> {
    const run = await this.db
      .updateTable('sync_runs')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', job.runId)
      // A job the run was since handed to another job from (the reaper's) does nothing; runs queued
      // before their job id was recorded on them have none.
      .where((eb) => eb.or([eb('queue_job_id', 'is', null), eb('queue_job_id', '=', attempt.jobId)]))
      .returningAll()
      .executeTakeFirst();
    const held = this.#release(job.runId);
    if (run === undefined || run.ended_at !== null) return;
    const mapped = held ?? (await this.#mapFromArchive(run));
    if (mapped === undefined) return;
    try {
      await this.#process(run, mapped);
    } catch (error) {
      // Cancelled, or ended by an earlier attempt that outlived its expiry: nothing more to record.
      if (error instanceof InvalidTransitionError) return;
      if (!isDeterministicFailure(error) && attempt.count < attempt.limit) throw error;
      this.logger.error({ run_id: run.id, error: toStoredError(error) }, 'ingest run failed');
      await this.runs.finish(run.id, {
        stage: 'failed',
        status: 'failed',
        message: 'Ingest failed',
        error: { code: 'INTERNAL_ERROR', message: toStoredError(error).message },
      });
    }
  }

  async #room(): Promise<void> {
    const deadline = Date.now() + ROOM_WAIT_MS;
    while (this.#heldItems >= MAPPED_ITEMS_KEPT && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, deadline - Date.now());
        function wake() {
          clearTimeout(timer);
          resolve();
        }
        this.#roomWaiters.add(wake);
      });
    }
  }

  #hold(runId: string, mapped: MappedBatch): void {
    this.#mapped.set(runId, mapped);
    this.#heldItems += itemCount(mapped);
    for (const oldest of this.#mapped.keys()) {
      if (this.#heldItems <= MAPPED_ITEMS_KEPT || oldest === runId) break;
      this.#release(oldest);
    }
  }

  #release(runId: string): MappedBatch | undefined {
    const mapped = this.#mapped.get(runId);
    if (mapped === undefined) return undefined;
    this.#mapped.delete(runId);
    this.#heldItems -= itemCount(mapped);
    for (const wake of this.#roomWaiters) wake();
    this.#roomWaiters.clear();
    return mapped;
  }

  async #mapFromArchive(run: SyncRunRow): Promise<MappedBatch | undefined> {
    const raw = run.raw_payload_id === null ? undefined : await readRawPayload(this.db, run.raw_payload_id);
    if (raw === undefined || !isPayloadKind(raw.kind)) {
      await this.runs.finish(run.id, {
        stage: 'failed',
        status: 'failed',
        message: 'Interrupted, and its payload is no longer available',
        error: { code: 'INTERNAL_ERROR', message: 'raw payload missing' },
      });
      return undefined;
    }
    if (run.stage !== 'queued') this.logger.info({ run_id: run.id, stage: run.stage }, 'resuming ingest run');
    return payloadKinds[raw.kind].map(raw.body.toString('utf8'));
  }

  async #process(run: SyncRunRow, mapped: MappedBatch): Promise<void> {
    const total = itemCount(mapped);
    // One statement for the three steps, each still its own sync event (see advanceRun).
    await this.runs.advance(run, [
      ...(run.stage === 'queued' ? [{ stage: 'started' as const, progress: { message: 'Started' } }] : []),
      {
        stage: 'processing',
        progress: { message: `Normalised ${total} items`, itemsTotal: total, itemsProcessed: 0 },
      },
      { stage: 'saving', progress: { message: 'Saving' } },
    ]);
    const counts = await writeCanonicalBatch(this.db, run.user_id, mapped.batch);
    const rejected = mapped.rejected.length;
    // Entries the database still refused (listed in `write_rejected`) make the run partial too.
    const refused = counts.write_rejected?.count ?? 0;
    await this.runs.finish(run.id, {
      stage: 'completed',
      status: statusForTerminal('completed', rejected + refused > 0),
      message:
        rejected + refused > 0
          ? `Completed; ${rejected + refused} entries rejected${refused > 0 ? ` (${refused} by the database)` : ''}`
          : 'Completed',
      itemsProcessed: total,
      result: {
        received: mapped.received,
        ...counts,
        kept_raw: mapped.keptRaw,
        rejected_count: rejected,
        rejected: mapped.rejected.slice(0, REJECTS_LISTED),
        ...mapped.extra,
      },
    });
  }
}

function itemCount(mapped: MappedBatch): number {
  const b = mapped.batch;
  return b.samples.length + b.workouts.length + b.sleep.length + b.scores.length;
}
