import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ServiceUnavailableError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { compareIds, EVENT_RETENTION_MS, type LoggedEvent, type SyncEventBus } from './event-bus.ts';
import type { SyncEvent } from './sync-event.ts';

/**
 * Appends to the user's stream (trimmed to 24 h) and to the fan-out stream, atomically. Each entry
 * carries its publish id (`p`): an append whose answer was lost (the connection dropped after sending
 * it) is retried with ARGV[6] = '1', and if Redis took it the first time, its entry among the user's
 * newest is returned instead of appending it twice.
 */
const publishScript = `
if ARGV[6] == '1' then
  local newest = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 50)
  for _, entry in ipairs(newest) do
    local f = entry[2]
    for i = 1, #f, 2 do
      if f[i] == 'p' and f[i + 1] == ARGV[5] then return entry[1] end
    end
  end
end
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'e', ARGV[2], 'p', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 10000, '*', 'u', ARGV[4], 'id', id, 'e', ARGV[2])
return id
`;

type StreamEntry = [id: string, fields: string[]];

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * Events published while Redis cannot be reached wait in memory, in order, up to this many (each is a
 * few hundred bytes); past it the oldest are dropped first, so a run's final event is the last to go.
 */
export const MAX_BUFFERED_EVENTS = 10_000;
/** How long a buffered backlog waits for Redis to be ready again before its next try. */
const REPLAY_RETRY_MS = 500;
/** A publish Redis has not acknowledged within this long is buffered (a stalled connection, not only a closed one). */
const PUBLISH_TIMEOUT_MS = 3000;
/** How long one XREAD waits for new entries before it is issued again. */
const READ_BLOCK_MS = 2000;

/** The newest events of a user kept in memory while it has listeners here (the most a stream replays). */
const RECENT_KEPT = 200;

/**
 * A user's newest events, oldest first, as of this process's reader position: read from the log once,
 * then followed from the fan-out stream. `events` is undefined while the first read is under way, and
 * what the reader hands over meanwhile waits in `arrived`.
 */
interface RecentEvents {
  events: LoggedEvent[] | undefined;
  arrived: LoggedEvent[];
  filled: Promise<void>;
}

/** An event waiting for Redis; `sent` once an append of it may have reached Redis without an answer. */
interface Pending {
  event: SyncEvent;
  publishId: string;
  sent: boolean;
}

/**
 * Redis Streams: one stream per user holds the 24 h log (its ids are the SSE positions); one shared
 * stream carries every event to every API process, where a single blocking reader hands them to the
 * local SSE listeners of that user.
 *
 * A Redis outage must not lose a run's events (issue 15 #13: runs whose final event never reached the
 * stream): an event Redis does not take is buffered, and the buffer is replayed, oldest first, as soon
 * as Redis answers again. Publishes go one at a time and, while anything is buffered, behind the
 * buffer, so the log keeps the order in which they were published.
 */
export class RedisEventBus implements SyncEventBus {
  readonly #listeners = new Map<string, Set<(logged: LoggedEvent) => void>>();
  /**
   * Users with listeners here: their newest events, so that a stream opening (`recent`) reads no log.
   * A connect storm of 10,000 streams over 100 users made 10,000 XREVRANGEs for 100 users' logs.
   */
  readonly #recent = new Map<string, RecentEvents>();
  /** Whether the reader has a position to follow from (`#recent` is used only then). */
  #following = false;
  readonly #reader: Redis;
  readonly #writer: Redis;
  readonly #fanOutKey: string;
  #closed = false;
  readonly #loop: Promise<void>;
  readonly #buffered: Pending[] = [];
  #dropped = 0;
  #replaying: Promise<void> | undefined;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.#fanOutKey = `${prefix}sync:all`;
    // The bus has its own connections, on which a command is sent only while connected and never
    // queued or re-sent by ioredis: its default offline queue and re-send of unanswered commands
    // after a reconnect would append a timed-out (hence buffered) event a second time, out of order,
    // and an XREAD cut off mid-wait would stay pending until a reconnect that may never come, so that
    // close() never ended. The buffer below is the only queue, and it waits for `ready` itself.
    const own = {
      lazyConnect: false,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: null,
      // Back within half a second of Redis (ioredis's default backs off to 2 s between tries).
      retryStrategy: (times: number) => Math.min(times * 50, 500),
    };
    this.#writer = redis.duplicate({ ...own, commandTimeout: PUBLISH_TIMEOUT_MS });
    this.#writer.on('error', (error) => logger.debug({ err: error }, 'redis event writer error'));
    // XREAD BLOCK holds its connection: it needs one of its own. blockingTimeout: an XREAD on a
    // connection that went silent answers "nothing new" after its BLOCK time, as Redis would.
    // commandTimeout: any other command in flight when the link dies (the first XREVRANGE) is
    // dropped unanswered by ioredis on reconnect (no re-send, no retry limit), and its promise would
    // never settle: the loop, and close() awaiting it, would hang for good (seen in the outage test).
    this.#reader = redis.duplicate({
      ...own,
      blockingTimeout: READ_BLOCK_MS,
      commandTimeout: READ_BLOCK_MS + PUBLISH_TIMEOUT_MS,
    });
    this.#reader.on('error', (error) => logger.debug({ err: error }, 'redis event reader error'));
    this.#loop = this.#read();
  }

  /** Resolves when `connection` is ready, or after `maxMs` (or at once when the bus is closed). */
  async #ready(connection: Redis, maxMs: number): Promise<void> {
    if (connection.status === 'ready' || this.#closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        connection.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      connection.on('ready', done);
    });
  }

  #userKey(userId: string): string {
    return `${this.prefix}sync:user:${userId}`;
  }

  /** Events waiting for Redis to come back. */
  get buffered(): number {
    return this.#buffered.length;
  }

  async #append(pending: Pending): Promise<LoggedEvent> {
    const { event } = pending;
    const json = JSON.stringify(event);
    const id = (await this.#writer.eval(
      publishScript,
      2,
      this.#userKey(event.user_id),
      this.#fanOutKey,
      String(Date.now() - EVENT_RETENTION_MS),
      json,
      String(EVENT_RETENTION_MS),
      event.user_id,
      pending.publishId,
      pending.sent ? '1' : '0',
    )) as string;
    return { id, event };
  }

  #buffer(pending: Pending, error?: unknown): void {
    if (this.#buffered.length === 0 && error !== undefined)
      this.logger.warn({ err: error }, 'redis unavailable: buffering sync events until it returns');
    this.#buffered.push(pending);
    if (this.#buffered.length > MAX_BUFFERED_EVENTS) {
      this.#buffered.shift();
      this.#dropped += 1;
    }
    this.#replaying ??= this.#replay().finally(() => {
      this.#replaying = undefined;
    });
  }

  /** Appends the buffer, oldest first, retrying until Redis takes it (or the bus closes). */
  async #replay(): Promise<void> {
    let replayed = 0;
    while (this.#buffered.length > 0 && !this.#closed) {
      const head = this.#buffered[0] as Pending;
      try {
        await this.#ready(this.#writer, REPLAY_RETRY_MS);
        await this.#append(head);
        this.#buffered.shift();
        replayed += 1;
      } catch (error) {
        head.sent ||= wasSent(error);
        // Always a real pause: when the socket died but ioredis has not yet handled its 'close' (status
        // still `ready`), every append is refused at once, and a loop of already-settled awaits would
        // spin in microtasks, starving the event loop that would deliver that 'close' (CI hung on it).
        await new Promise((r) => setTimeout(r, 50));
        await this.#ready(this.#writer, REPLAY_RETRY_MS);
      }
    }
    if (replayed > 0 || this.#dropped > 0) {
      this.logger.info({ replayed, dropped: this.#dropped }, 'redis back: buffered sync events replayed');
      this.#dropped = 0;
    }
  }

  /**
   * Resolves once the event is in the log, or buffered for it (then with undefined): a Redis outage
   * never fails the caller, and never loses the event while the process lives.
   */
  publish(event: SyncEvent): Promise<LoggedEvent | undefined> {
    const pending: Pending = { event, publishId: randomUUID(), sent: false };
    const result = this.#tail.then(async () => {
      if (this.#buffered.length > 0) {
        this.#buffer(pending);
        return undefined;
      }
      try {
        // Not yet connected (start-up) or reconnecting: a moment's wait rather than the buffer.
        await this.#ready(this.#writer, PUBLISH_TIMEOUT_MS);
        return await this.#append(pending);
      } catch (error) {
        pending.sent = wasSent(error);
        this.#buffer(pending, error);
        return undefined;
      }
    });
    this.#tail = result;
    return result;
  }

  /**
   * Served from memory while the user has listeners in this process (a stream subscribes before it
   * reads), unless `fromLog`: the log as of this process's reader position, whose later events reach
   * those listeners anyway, so a stream that subscribed first misses nothing.
   */
  async recent(userId: string, limit: number, options?: { fromLog?: boolean }): Promise<LoggedEvent[]> {
    if (options?.fromLog || limit > RECENT_KEPT || !this.#following || !this.#listeners.has(userId))
      return this.#readRecent(userId, limit);
    let kept = this.#recent.get(userId);
    if (kept === undefined) {
      const fresh: RecentEvents = { events: undefined, arrived: [], filled: Promise.resolve() };
      fresh.filled = this.#readRecent(userId, RECENT_KEPT).then(
        (newest) => {
          const events = newest.reverse();
          // What the reader handed over meanwhile, less what the read already had.
          for (const logged of fresh.arrived) {
            const last = events.at(-1);
            if (last === undefined || compareIds(logged.id, last.id) > 0) events.push(logged);
          }
          fresh.events = events.length > RECENT_KEPT ? events.slice(-RECENT_KEPT) : events;
          fresh.arrived = [];
        },
        (error: unknown) => {
          if (this.#recent.get(userId) === fresh) this.#recent.delete(userId);
          throw error;
        },
      );
      this.#recent.set(userId, fresh);
      kept = fresh;
    }
    await kept.filled;
    const events = kept.events ?? [];
    const cutoff = Date.now() - EVENT_RETENTION_MS;
    const out: LoggedEvent[] = [];
    for (let i = events.length - 1; i >= 0 && out.length < limit; i--) {
      const logged = events[i] as LoggedEvent;
      if (Number(logged.id.slice(0, logged.id.indexOf('-'))) < cutoff) break;
      out.push(logged);
    }
    return out;
  }

  /** Hands an event the reader saw to the user's kept newest events, if any. */
  #keep(userId: string, logged: LoggedEvent): void {
    const kept = this.#recent.get(userId);
    if (kept === undefined) return;
    if (kept.events === undefined) {
      kept.arrived.push(logged);
      return;
    }
    const last = kept.events.at(-1);
    if (last !== undefined && compareIds(logged.id, last.id) <= 0) return;
    kept.events.push(logged);
    if (kept.events.length > RECENT_KEPT) kept.events.shift();
  }

  async #readRecent(userId: string, limit: number): Promise<LoggedEvent[]> {
    const entries = (await this.redis
      .xrevrange(this.#userKey(userId), '+', '-', 'COUNT', limit)
      .catch(logUnavailable)) as StreamEntry[];
    return entries.flatMap(toLogged);
  }

  async after(userId: string, afterId: string, limit: number): Promise<LoggedEvent[]> {
    const entries = (await this.redis
      .xrange(this.#userKey(userId), `(${afterId}`, '+', 'COUNT', limit)
      .catch(logUnavailable)) as StreamEntry[];
    return entries.flatMap(toLogged);
  }

  subscribe(userId: string, listener: (logged: LoggedEvent) => void): () => void {
    const set = this.#listeners.get(userId) ?? new Set();
    set.add(listener);
    this.#listeners.set(userId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(userId) === set) {
        this.#listeners.delete(userId);
        // No longer followed here: what is kept would go stale.
        this.#recent.delete(userId);
      }
    };
  }

  async #read(): Promise<void> {
    // A concrete position, never '$' after the start: events appended while this reader was cut off
    // (a replayed backlog among them) are read when it reconnects, not skipped.
    let position: string | undefined;
    while (!this.#closed) {
      try {
        await this.#ready(this.#reader, REPLAY_RETRY_MS);
        if (this.#closed) return;
        if (position === undefined) {
          const last = (await this.#reader.xrevrange(this.#fanOutKey, '+', '-', 'COUNT', 1)) as StreamEntry[];
          position = last[0]?.[0] ?? '0-0';
        }
        this.#following = true;
        const result = (await this.#reader.xread(
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.#fanOutKey,
          position,
        )) as [string, StreamEntry[]][] | null;
        for (const [, entries] of result ?? []) {
          for (const [entryId, fields] of entries) {
            position = entryId;
            const userId = field(fields, 'u');
            const id = field(fields, 'id');
            const json = field(fields, 'e');
            if (userId === undefined || id === undefined || json === undefined) continue;
            const listeners = this.#listeners.get(userId);
            if (!listeners?.size) continue;
            const logged = { id, event: JSON.parse(json) as SyncEvent };
            this.#keep(userId, logged);
            for (const listener of listeners) listener(logged);
          }
        }
      } catch (error) {
        if (this.#closed) return;
        // Whatever the reader may have missed (its fan-out entries trimmed meanwhile) must not be
        // replayed from memory: the next stream reads the log again.
        this.#following = false;
        this.#recent.clear();
        if (this.#reader.status === 'ready')
          this.logger.warn({ err: error }, 'redis event reader failed; retrying');
        await new Promise((r) => setTimeout(r, REPLAY_RETRY_MS));
      }
    }
  }

  async close(): Promise<void> {
    // What is still buffered is lost with the process; the runs table keeps every run's state.
    if (this.#buffered.length > 0)
      this.logger.warn({ events: this.#buffered.length }, 'closing with sync events Redis never took');
    this.#closed = true;
    this.#listeners.clear();
    this.#recent.clear();
    this.#reader.disconnect();
    this.#writer.disconnect();
    await this.#loop;
  }
}

/**
 * Whether a failed append may have reached Redis (so that its retry must not append it twice): not
 * when the connection was not writable, since the bus's connections never queue a command.
 */
function wasSent(error: unknown): boolean {
  return !(error instanceof Error && /enableOfflineQueue|Connection is closed/i.test(error.message));
}

/** Reading the log while Redis is away is a 503 `{detail}` to the client, not a 500. */
function logUnavailable(error: unknown): never {
  throw new ServiceUnavailableError('The sync event log is unavailable; retry shortly', { cause: error });
}

function toLogged([id, fields]: StreamEntry): LoggedEvent[] {
  const json = field(fields, 'e');
  return json === undefined ? [] : [{ id, event: JSON.parse(json) as SyncEvent }];
}
