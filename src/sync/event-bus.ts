import type { SyncEvent } from './sync-event.ts';

/** An event as stored in the log, with the position that SSE clients resume from (`id:`). */
export interface LoggedEvent {
  id: string;
  event: SyncEvent;
}

/**
 * The 24 h sync-event log and its live fan-out. Positions are `<ms>-<seq>` (Redis stream ids), ordered
 * per user; resuming after a position yields exactly the events after it.
 * Two adapters: in-process (embedded) and Redis Streams (events published by a worker on one machine
 * reach SSE clients on every API node).
 */
export interface SyncEventBus {
  /**
   * Appends to the log and fans out. Undefined when the log is unreachable for now: the event is
   * buffered and appended, in order, once it is back (the Redis adapter).
   */
  publish(event: SyncEvent): Promise<LoggedEvent | undefined>;
  /**
   * Newest first. A stream opening may be answered as of this process's live fan-out (events after that
   * reach its listeners anyway); `fromLog` reads the log itself, for a reader that wants what was
   * published up to now (GET …/sync/recent right after a publish).
   */
  recent(userId: string, limit: number, options?: { fromLog?: boolean }): Promise<LoggedEvent[]>;
  /** Oldest first, strictly after `afterId`. */
  after(userId: string, afterId: string, limit: number): Promise<LoggedEvent[]>;
  /** Live events for one user from now on; returns the unsubscribe function. */
  subscribe(userId: string, listener: (logged: LoggedEvent) => void): () => void;
  close(): Promise<void>;
}

export const EVENT_RETENTION_MS = 24 * 3600_000;

/** Stream positions compare as (ms, seq). */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

export function isEventId(value: string): boolean {
  return /^\d{1,16}-\d{1,16}$/.test(value);
}

export class MemoryEventBus implements SyncEventBus {
  readonly #logs = new Map<string, LoggedEvent[]>();
  readonly #listeners = new Map<string, Set<(logged: LoggedEvent) => void>>();
  #lastMs = 0;
  #seq = 0;

  async publish(event: SyncEvent): Promise<LoggedEvent> {
    const now = Date.now();
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#seq = 0;
    } else {
      this.#seq += 1;
    }
    const logged = { id: `${this.#lastMs}-${this.#seq}`, event };
    const log = this.#logs.get(event.user_id) ?? [];
    log.push(logged);
    // Retention: drop what is older than 24 h (the log is in time order).
    const cutoff = now - EVENT_RETENTION_MS;
    let stale = 0;
    while (stale < log.length && Number((log[stale] as LoggedEvent).id.split('-')[0]) < cutoff) stale += 1;
    if (stale > 0) log.splice(0, stale);
    this.#logs.set(event.user_id, log);
    for (const listener of this.#listeners.get(event.user_id) ?? []) listener(logged);
    return logged;
  }

  async recent(userId: string, limit: number): Promise<LoggedEvent[]> {
    return (this.#logs.get(userId) ?? []).slice(-limit).reverse();
  }

  async after(userId: string, afterId: string, limit: number): Promise<LoggedEvent[]> {
    return (this.#logs.get(userId) ?? []).filter((e) => compareIds(e.id, afterId) > 0).slice(0, limit);
  }

  subscribe(userId: string, listener: (logged: LoggedEvent) => void): () => void {
    const set = this.#listeners.get(userId) ?? new Set();
    set.add(listener);
    this.#listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(userId);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
