import type { Db } from '../db/database.ts';
import { archiveRawPayload, readRawPayload } from '../health-data/raw-payloads.repo.ts';
import type { Logger } from '../shared/logger.ts';
import type { SyncRunRecorder } from '../sync/run-recorder.ts';
import { statusForTerminal } from '../sync/run-state.ts';
import { findUnfinishedRuns, newRunId } from '../sync/sync-runs.repo.ts';
import type { IngestExecutor } from './executor.ts';
import type { MappedBatch, PayloadKind } from './payload-kinds.ts';
import { isPayloadKind, payloadKinds } from './payload-kinds.ts';
import { writeCanonicalBatch } from './write-batch.ts';

/** At most this many rejected entries are listed in a run result; the count is always complete. */
const REJECTS_LISTED = 100;

export interface AcceptedBatch {
  runId: string;
  rejectedCount: number;
}

/**
 * Push ingestion (SDK batches, WearMetrics): the raw payload and a queued sync run are committed before
 * the caller hears 202, then the canonical batch is written in the background and the run ends with
 * counts and rejects. After a crash, `recover` replays unfinished runs from their archived payloads:
 * every write is idempotent, so a replay ends exactly like an uninterrupted run.
 */
export class IngestService {
  constructor(
    private readonly db: Db,
    private readonly executor: IngestExecutor,
    private readonly runs: SyncRunRecorder,
    private readonly logger: Logger,
  ) {}

  async accept(input: {
    kind: PayloadKind;
    developerId: string;
    userId: string;
    provider: string;
    /** The payload as accepted (re-parsed from the archive on recovery). */
    payload: unknown;
    mapped: MappedBatch;
  }): Promise<AcceptedBatch> {
    // Under sustained load the HTTP response waits here instead of mapped batches piling up in memory.
    await this.executor.room();
    const runId = newRunId('sdk', input.provider);
    const rawPayloadId = await archiveRawPayload(this.db, {
      userId: input.userId,
      provider: input.provider,
      kind: input.kind,
      contentType: 'application/json',
      body: JSON.stringify(input.payload),
    });
    await this.runs.create({
      id: runId,
      developerId: input.developerId,
      userId: input.userId,
      provider: input.provider,
      source: 'sdk',
      itemsTotal: itemCount(input.mapped),
      rawPayloadId,
    });
    this.executor.enqueue(runId, () => this.#process(runId, input.userId, input.mapped));
    return { runId, rejectedCount: input.mapped.rejected.length };
  }

  async #process(runId: string, userId: string, mapped: MappedBatch, resumedFrom?: string): Promise<void> {
    const total = itemCount(mapped);
    try {
      if (resumedFrom === undefined || resumedFrom === 'queued') {
        await this.runs.transition(runId, 'started', { message: 'Started' });
      }
      await this.runs.transition(runId, 'processing', {
        message: `Normalised ${total} items`,
        itemsTotal: total,
        itemsProcessed: 0,
      });
      await this.runs.transition(runId, 'saving', { message: 'Saving' });
      const counts = await writeCanonicalBatch(this.db, userId, mapped.batch);
      const rejected = mapped.rejected.length;
      await this.runs.finish(runId, {
        stage: 'completed',
        status: statusForTerminal('completed', rejected > 0),
        message: rejected > 0 ? `Completed; ${rejected} entries rejected` : 'Completed',
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
    } catch (error) {
      this.logger.error({ err: error, run_id: runId }, 'ingest run failed');
      await this.runs
        .finish(runId, {
          stage: 'failed',
          status: 'failed',
          message: 'Ingest failed',
          error: { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) },
        })
        .catch((finishError: unknown) =>
          this.logger.error({ err: finishError, run_id: runId }, 'could not fail run'),
        );
    }
  }

  /** Re-queues every push run a previous process left unfinished. Returns how many. */
  async recover(): Promise<number> {
    const runs = await findUnfinishedRuns(this.db, ['sdk']);
    for (const run of runs) {
      const raw = run.raw_payload_id === null ? undefined : await readRawPayload(this.db, run.raw_payload_id);
      if (raw === undefined || !isPayloadKind(raw.kind)) {
        await this.runs.finish(run.id, {
          stage: 'failed',
          status: 'failed',
          message: 'Interrupted, and its payload is no longer available',
          error: { code: 'INTERNAL_ERROR', message: 'raw payload missing' },
        });
        continue;
      }
      const mapped = payloadKinds[raw.kind].map(JSON.parse(raw.body.toString('utf8')));
      this.logger.info({ run_id: run.id, stage: run.stage }, 'resuming interrupted ingest run');
      this.executor.enqueue(run.id, () => this.#process(run.id, run.user_id, mapped, run.stage));
    }
    return runs.length;
  }
}

function itemCount(mapped: MappedBatch): number {
  const b = mapped.batch;
  return b.samples.length + b.workouts.length + b.sleep.length + b.scores.length;
}
