import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.ts';
import { EVENT_RETENTION_MS, type LoggedEvent, type SyncEventBus } from './event-bus.ts';
import type { SyncEvent } from './sync-event.ts';

/** Appends to the user's stream (trimmed to 24 h) and to the fan-out stream, atomically. */
const publishScript = `
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'e', ARGV[2])
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
 * Redis Streams: one stream per user holds the 24 h log (its ids are the SSE positions); one shared
 * stream carries every event to every API process, where a single blocking reader hands them to the
 * local SSE listeners of that user.
 */
export class RedisEventBus implements SyncEventBus {
  readonly #listeners = new Map<string, Set<(logged: LoggedEvent) => void>>();
  readonly #reader: Redis;
  readonly #fanOutKey: string;
  #closed = false;
  readonly #loop: Promise<void>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.#fanOutKey = `${prefix}sync:all`;
    // XREAD BLOCK holds its connection: it needs one of its own.
    this.#reader = redis.duplicate();
    this.#reader.on('error', (error) => logger.warn({ err: error }, 'redis event reader error'));
    this.#loop = this.#read();
  }

  #userKey(userId: string): string {
    return `${this.prefix}sync:user:${userId}`;
  }

  async publish(event: SyncEvent): Promise<LoggedEvent> {
    const json = JSON.stringify(event);
    const id = (await this.redis.eval(
      publishScript,
      2,
      this.#userKey(event.user_id),
      this.#fanOutKey,
      String(Date.now() - EVENT_RETENTION_MS),
      json,
      String(EVENT_RETENTION_MS),
      event.user_id,
    )) as string;
    return { id, event };
  }

  async recent(userId: string, limit: number): Promise<LoggedEvent[]> {
    const entries = (await this.redis.xrevrange(
      this.#userKey(userId),
      '+',
      '-',
      'COUNT',
      limit,
    )) as StreamEntry[];
    return entries.flatMap(toLogged);
  }

  async after(userId: string, afterId: string, limit: number): Promise<LoggedEvent[]> {
    const entries = (await this.redis.xrange(
      this.#userKey(userId),
      `(${afterId}`,
      '+',
      'COUNT',
      limit,
    )) as StreamEntry[];
    return entries.flatMap(toLogged);
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

  async #read(): Promise<void> {
    let position = '$';
    while (!this.#closed) {
      try {
        const result = (await this.#reader.xread('BLOCK', 2000, 'STREAMS', this.#fanOutKey, position)) as
          | [string, StreamEntry[]][]
          | null;
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
            for (const listener of listeners) listener(logged);
          }
        }
      } catch (error) {
        if (this.#closed) return;
        this.logger.warn({ err: error }, 'redis event reader failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#reader.disconnect();
    await this.#loop;
  }
}

function toLogged([id, fields]: StreamEntry): LoggedEvent[] {
  const json = field(fields, 'e');
  return json === undefined ? [] : [{ id, event: JSON.parse(json) as SyncEvent }];
}
