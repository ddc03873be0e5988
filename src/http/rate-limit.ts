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
  close(): Promise<void>;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly #windows = new Map<string, RateLimitHit>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(sweepEveryMs = 60_000) {
    this.#sweeper = setInterval(() => this.#sweep(), sweepEveryMs);
    this.#sweeper.unref();
  }

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = Date.now();
    const current = this.#windows.get(key);
    if (current === undefined || current.resetAt <= now) {
      const fresh = { count: 1, resetAt: now + windowMs };
      this.#windows.set(key, fresh);
      return { ...fresh };
    }
    current.count += 1;
    return { ...current };
  }

  #sweep(): void {
    const now = Date.now();
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

  async close(): Promise<void> {
    // The Redis connection is shared and closed by its owner.
  }
}
