import type { Logger } from '../shared/logger.ts';

/**
 * Runs accepted ingest batches in the background, a bounded number at a time, in this process.
 * Durability does not depend on it: a batch's raw payload and its queued run are committed before the
 * 202 goes out, and `recoverUnfinishedRuns` replays whatever a crash left behind on the next start.
 * (The sync engine's job queue takes this over when it lands; the contract stays the same.)
 */
export class IngestExecutor {
  readonly #queue: { runId: string; job: () => Promise<void> }[] = [];
  readonly #running = new Set<Promise<void>>();
  readonly #waitingForRoom: (() => void)[] = [];
  #closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly concurrency = 2,
    /** Queued (not yet running) jobs beyond which producers wait: bounds the memory of mapped batches. */
    private readonly maxQueued = 8,
  ) {}

  /** Resolves when the queue has room; callers await it before accepting more work (backpressure). */
  async room(): Promise<void> {
    while (!this.#closed && this.#queue.length >= this.maxQueued) {
      await new Promise<void>((resolve) => this.#waitingForRoom.push(resolve));
    }
  }

  enqueue(runId: string, job: () => Promise<void>): void {
    if (this.#closed) {
      this.logger.warn({ run_id: runId }, 'executor closed; run left for recovery on next start');
      return;
    }
    this.#queue.push({ runId, job });
    this.#pump();
  }

  get pending(): number {
    return this.#queue.length + this.#running.size;
  }

  #pump(): void {
    while (this.#running.size < this.concurrency && this.#queue.length > 0) {
      const next = this.#queue.shift();
      if (next === undefined) return;
      this.#waitingForRoom.shift()?.();
      const running: Promise<void> = next
        .job()
        .catch((error: unknown) =>
          this.logger.error({ err: error, run_id: next.runId }, 'ingest job crashed'),
        )
        .finally(() => {
          this.#running.delete(running);
          this.#pump();
        });
      this.#running.add(running);
    }
  }

  /** Waits for every queued and running job (or the timeout); jobs left over are recovered on restart. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0 && Date.now() < deadline) {
      await Promise.race([...this.#running, new Promise((r) => setTimeout(r, 50))]);
    }
  }

  async close(timeoutMs: number): Promise<void> {
    await this.drain(timeoutMs);
    this.#closed = true;
    this.#queue.length = 0;
    for (const wake of this.#waitingForRoom.splice(0)) wake();
  }
}
