import type { Db } from '../db/database.ts';
import type { SyncRunRow } from '../db/schema.ts';
import type { Logger } from '../shared/logger.ts';
import type { SyncEventBus } from './event-bus.ts';
import type { SyncStage, TerminalStage } from './run-state.ts';
import { eventFromRun } from './sync-event.ts';
import {
  advanceRun,
  createRun,
  finishRun,
  type RunProgress,
  type RunStep,
  transitionRun,
} from './sync-runs.repo.ts';

/**
 * The one way runs change: each change is committed to the durable run row, then published as a sync
 * event (spec 000) on the bus. A bus outage never fails a run; the row stays the source of truth.
 */
export class SyncRunRecorder {
  constructor(
    private readonly db: Db,
    private readonly bus: SyncEventBus,
    private readonly logger: Logger,
  ) {}

  async #publish(row: SyncRunRow, metadata?: Record<string, unknown>): Promise<SyncRunRow> {
    try {
      await this.bus.publish(eventFromRun(row, metadata));
    } catch (error) {
      this.logger.warn({ err: error, run_id: row.id }, 'sync event not published');
    }
    return row;
  }

  async create(
    run: Parameters<typeof createRun>[1],
    metadata?: Record<string, unknown>,
  ): Promise<SyncRunRow> {
    return this.#publish(await createRun(this.db, run), metadata);
  }

  /** Publishes a run created inside a caller's transaction (with its job), once that has committed. */
  async announce(row: SyncRunRow, metadata?: Record<string, unknown>): Promise<SyncRunRow> {
    return this.#publish(row, metadata);
  }

  async transition(
    runId: string,
    stage: Exclude<SyncStage, TerminalStage>,
    progress: RunProgress = {},
    metadata?: Record<string, unknown>,
  ): Promise<SyncRunRow> {
    return this.#publish(await transitionRun(this.db, runId, stage, progress), metadata);
  }

  /**
   * Several transitions in a row, committed as one (see `advanceRun`), then published as one event
   * each, in order. `before` is the run as the caller last read it.
   */
  async advance(
    before: SyncRunRow,
    steps: readonly RunStep[],
    metadata?: Record<string, unknown>,
  ): Promise<SyncRunRow | undefined> {
    let last: SyncRunRow | undefined;
    for (const row of await advanceRun(this.db, before, steps)) last = await this.#publish(row, metadata);
    return last;
  }

  async finish(
    runId: string,
    end: Parameters<typeof finishRun>[2],
    metadata?: Record<string, unknown>,
  ): Promise<SyncRunRow> {
    return this.#publish(await finishRun(this.db, runId, end), metadata);
  }
}
