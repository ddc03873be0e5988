import { createHash } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Config } from '../config/load-config.ts';
import { RateLimitedError } from '../shared/errors.ts';
import type { AppEnv } from './context.ts';

const WINDOW_MS = 60_000;

interface Policy {
  name: string;
  limit: number;
  /** `ip`: per client address; `caller`: per presented credential, falling back to the address. */
  by: 'ip' | 'caller';
}

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (e.g. app.request in a unit test)
  }
}

function callerKey(c: Context, ip: string): string {
  const credential =
    c.req.header('x-wearlink-api-key') ?? c.req.header('x-api-key') ?? c.req.header('authorization');
  // Hashed: raw credentials never become Redis keys.
  return credential ? `k:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}` : `ip:${ip}`;
}

/**
 * Every response carries X-RateLimit-*; registration and login have their own tight per-IP buckets,
 * everything else shares a generous per-caller bucket.
 */
export function rateLimit(config: Config) {
  const policies: Record<string, Policy> = {
    'POST /api/v1/auth/register': {
      name: 'register',
      limit: config.RATE_LIMIT_REGISTER_PER_MINUTE,
      by: 'ip',
    },
    'POST /api/v1/auth/login': { name: 'login', limit: config.RATE_LIMIT_LOGIN_PER_MINUTE, by: 'ip' },
  };
  const general: Policy = { name: 'api', limit: config.RATE_LIMIT_PER_MINUTE, by: 'caller' };

  return createMiddleware<AppEnv>(async (c, next) => {
    const policy = policies[`${c.req.method} ${c.req.path.replace(/\/+$/, '')}`] ?? general;
    const ip = clientIp(c, config.TRUST_PROXY);
    const key = `${policy.name}:${policy.by === 'ip' ? `ip:${ip}` : callerKey(c, ip)}`;
    let hit: Awaited<ReturnType<AppEnv['Variables']['deps']['rateLimiter']['hit']>> | undefined;
    try {
      hit = await c.var.deps.rateLimiter.hit(key, WINDOW_MS);
    } catch (error) {
      // A limiter outage must not take the API down with it: fail open, loudly.
      c.var.logger.warn({ err: error }, 'rate limiter unavailable; request not counted');
    }
    const setHeaders = () => {
      if (hit === undefined) return;
      c.header('X-RateLimit-Limit', String(policy.limit));
      c.header('X-RateLimit-Remaining', String(Math.max(0, policy.limit - hit.count)));
      c.header('X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
    };
    if (hit !== undefined && hit.count > policy.limit) {
      setHeaders();
      throw new RateLimitedError(Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000)));
    }
    await next();
    setHeaders();
  });
}
