import type { Redis } from 'ioredis';

export interface RateLimitHit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Epoch milliseconds at which the current window ends. */
  resetAt: number;
}

/** Fixed-window counters. One window per key; a key names a bucket and a caller (e.g. `login:1.2.3.4`). */
export interface RateLimiter {
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  /** The current window of a key without counting a hit (undefined: no live window). */
  peek(key: string): Promise<RateLimitHit | undefined>;
  close(): Promise<void>;
}

/**
 * Windows one process keeps at most. Callers without a verified credential are counted per address, so
 * distinct keys come from distinct addresses or real credentials; this cap still bounds the memory a
 * flood of them can take (~100 bytes a window).
 */
export const MEMORY_RATE_LIMIT_MAX_WINDOWS = 100_000;

export class MemoryRateLimiter implements RateLimiter {
  /** In creation order, and windows all last about as long, so the first ones are the first to end. */
  readonly #windows = new Map<string, RateLimitHit>();
  readonly #sweeper: NodeJS.Timeout;
  #lastSweep = 0;

  constructor(
    sweepEveryMs = 60_000,
    private readonly maxWindows = MEMORY_RATE_LIMIT_MAX_WINDOWS,
  ) {
    this.#sweeper = setInterval(() => this.#sweep(), sweepEveryMs);
    this.#sweeper.unref();
  }

  /** Windows held right now (for tests and metrics). */
  get size(): number {
    return this.#windows.size;
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    const current = this.#windows.get(key);
    if (current === undefined || current.resetAt <= now) {
      const fresh = { count: 1, resetAt: now + windowMs };
      // Re-inserted, not updated in place: the map stays in creation order.
      this.#windows.delete(key);
      if (this.#windows.size >= this.maxWindows) this.#makeRoom(now);
      this.#windows.set(key, fresh);
      return { ...fresh };
    }
    current.count += 1;
    return { ...current };
  }

  async peek(key: string): Promise<RateLimitHit | undefined> {
    const current = this.#windows.get(key);
    return current === undefined || current.resetAt <= Date.now() ? undefined : { ...current };
  }

  /**
   * Ended windows go first; if the map is still full, the oldest live ones (closest to their end). A full
   * sweep at most once a second, so a flood of new keys does not walk the whole map on every request.
   */
  #makeRoom(now: number): void {
    if (now - this.#lastSweep >= 1000) this.#sweep(now);
    const excess = this.#windows.size - this.maxWindows + 1;
    if (excess <= 0) return;
    let dropped = 0;
    for (const key of this.#windows.keys()) {
      if (dropped++ >= excess) break;
      this.#windows.delete(key);
    }
  }

  #sweep(now = Date.now()): void {
    this.#lastSweep = now;
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }
}

// INCR and the first PEXPIRE in one round trip, atomically, so every API node shares one window.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Every key carries a TTL of one window, so Redis holds no more windows than are live. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, ttl] = (await this.redis.eval(
      hitScript,
      1,
      `${this.prefix}ratelimit:${key}`,
      windowMs,
    )) as [number, number];
    return { count, resetAt: Date.now() + ttl };
  }

  async peek(key: string): Promise<RateLimitHit | undefined> {
    const full = `${this.prefix}ratelimit:${key}`;
    const [[, count], [, ttl]] = (await this.redis.multi().get(full).pttl(full).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    return count === null || ttl < 0 ? undefined : { count: Number(count), resetAt: Date.now() + ttl };
  }

  async close(): Promise<void> {
    // The Redis connection is shared and closed by its owner.
  }
}
