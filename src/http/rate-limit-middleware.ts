import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import ipaddr from 'ipaddr.js';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config/load-config.ts';
import { RateLimitedError } from '../shared/errors.ts';
import { presentedCredential, resolvePrincipalOnce } from './auth.ts';
import type { AppEnv, Principal } from './context.ts';

const WINDOW_MS = 60_000;

interface Policy {
  name: string;
  limit: number;
  /** `ip`: per client address; `caller`: per verified credential, else per client address. */
  by: 'ip' | 'caller';
}

/**
 * The client's address as a rate-limit subject. Without TRUST_PROXY it is the socket's peer. Behind
 * TRUST_PROXY_HOPS proxies of yours, each of which appends the address it saw to X-Forwarded-For, the
 * client is that many entries from the right (the last proxy is the socket's peer): entries further left
 * were written by the client and are ignored, so forging the header moves nothing. A shorter chain than
 * configured gives its left-most entry, which a trusted proxy still wrote.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: boolean,
  trustedHops = 1,
): string {
  let address = socketAddress;
  if (trustProxy && forwardedFor !== undefined) {
    const hops = forwardedFor
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const chosen = hops[Math.max(0, hops.length - trustedHops)];
    if (chosen !== undefined && ipaddr.isValid(chosen)) address = chosen;
  }
  return subjectOf(address);
}

/**
 * One subject per client: an IPv4-mapped address counts as its IPv4 address, and IPv6 per /64, since
 * a single host usually has a whole /64 to pick addresses from.
 */
function subjectOf(address: string | undefined): string {
  if (address === undefined || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}

export function clientIp(c: Context, config: Pick<Config, 'TRUST_PROXY' | 'TRUST_PROXY_HOPS'>): string {
  let socket: string | undefined;
  try {
    socket = getConnInfo(c).remote.address;
  } catch {
    // not served by @hono/node-server (e.g. app.request in a unit test)
  }
  return clientAddress(socket, c.req.header('x-forwarded-for'), config.TRUST_PROXY, config.TRUST_PROXY_HOPS);
}

function principalSubject(principal: Principal): string {
  if (principal.kind === 'sdk') return `sdk:${principal.userId}`;
  return principal.via === 'api_key' ? `key:${principal.apiKeyId}` : `dev:${principal.developerId}`;
}

/**
 * Who a `caller` request counts against. Only a credential that verifies has a bucket of its own (per
 * API key, per developer session, per SDK user); a missing, malformed, unknown or expired one counts
 * against the client's address, so inventing keys buys no requests. The credential is resolved once,
 * here, and `authenticate()` reuses the outcome (see `resolvePrincipalOnce`): no extra database work.
 */
async function callerSubject(c: Context<AppEnv>, tokens: TokenService, ip: string): Promise<string> {
  try {
    // The query token too (EventSource clients): a route that does not accept it refuses it anyway.
    const credential = presentedCredential(
      (name) => c.req.header(name),
      (name) => c.req.query(name),
    );
    if (credential === undefined) return `ip:${ip}`;
    return principalSubject(await resolvePrincipalOnce(c, tokens, credential));
  } catch {
    // Refused (or the database is away): authenticate() throws the same error where the route needs it.
    return `ip:${ip}`;
  }
}

/**
 * Every response carries X-RateLimit-*; registration and login have their own tight per-IP buckets,
 * everything else shares a generous per-caller bucket.
 */
export function rateLimit(config: Config, tokens: TokenService) {
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
    const ip = clientIp(c, config);
    const subject = policy.by === 'ip' ? `ip:${ip}` : await callerSubject(c, tokens, ip);
    const key = `${policy.name}:${subject}`;
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
