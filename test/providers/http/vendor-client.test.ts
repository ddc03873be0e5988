import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter, type RateLimiter } from '../../../src/http/rate-limit.ts';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
} from '../../../src/providers/errors.ts';
import { budgetStatus } from '../../../src/providers/http/budget.ts';
import { retryAfterSeconds } from '../../../src/providers/http/retry-after.ts';
import { createVendorHttp, VendorUnavailableError } from '../../../src/providers/http/vendor-client.ts';
import { parseManifest } from '../../../src/providers/manifest.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { ProviderModule, TokenSource } from '../../../src/providers/types.ts';
import { createLogger } from '../../../src/shared/logger.ts';

/** A vendor API that answers what each test scripts, recording what it was sent. */
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end();
const seen: { url: string; authorization: string | undefined; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization, body });
    handler(req, body, res);
  });
});
let origin = '';

const manifest = (budgets = [{ limit: 1000, window_seconds: 60 }]) =>
  parseManifest({
    slug: 'acme',
    name: 'Acme',
    hosts: { api: 'https://api.acme.example', auth: 'https://auth.acme.example' },
    api: {
      host: 'api',
      budgets,
      rate_limit_headers: { reset: 'x-ratelimit-reset', reset_kind: 'epoch_seconds' },
      body_status_rate_limited: [601],
      body_status_auth: [401],
      pagination: 'none',
    },
    sync: {
      window_days: 1,
      historical_days: 30,
      lookback_hours: 0,
      resources: [{ name: 'things', families: ['samples'] }],
    },
    capabilities: { pull: true, webhook_ping: false, webhook_push: false },
  });

function runtime(limiter: RateLimiter = new MemoryRateLimiter()): ProviderRuntime {
  const config = loadConfig({
    WEARLINK_DATA_DIR: 'memory://',
    PROVIDER_URLS: `acme=${origin}`,
    PROVIDER_HTTP_ATTEMPTS: '3',
    PROVIDER_HTTP_TIMEOUT_MS: '500',
  });
  return { config, logger: createLogger('silent'), rateLimiter: limiter } as unknown as ProviderRuntime;
}

const app = {
  developerId: null,
  clientId: 'cid',
  clientSecret: 'csecret',
  webhookSecret: undefined,
  scopes: [],
};

function tokenSource() {
  const calls = { refresh: 0 };
  let token = 'old-token';
  const source: TokenSource = {
    current: async () => ({ access_token: token }),
    refresh: async (stale) => {
      calls.refresh++;
      expect(stale).toBe('old-token');
      token = 'new-token';
      return { access_token: token };
    },
  };
  return { source, calls };
}

const moduleOf = (m = manifest()) => ({ manifest: m }) as unknown as ProviderModule;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('vendor HTTP client', () => {
  it('retries 5xx with back-off and succeeds; the URL comes from PROVIDER_URLS', async () => {
    let n = 0;
    handler = (_req, _body, res) => {
      n++;
      if (n < 3) {
        res.statusCode = 503;
        res.end('busy');
      } else res.end(JSON.stringify({ ok: true }));
    };
    seen.length = 0;
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: tokenSource().source });
    expect(await http.json({ path: '/v1/things', query: { from: 1, skip: undefined } })).toEqual({
      ok: true,
    });
    expect(seen.map((s) => s.url)).toEqual(['/v1/things?from=1', '/v1/things?from=1', '/v1/things?from=1']);
    expect(seen[0]?.authorization).toBe('Bearer old-token');
  });

  it('gives up after the configured attempts with a retryable error', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 502;
      res.end();
    };
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: tokenSource().source });
    await expect(http.json({ path: '/v1/things' })).rejects.toBeInstanceOf(VendorUnavailableError);
  });

  it('refreshes once on 401 and retries with the new token; a second 401 is an auth error', async () => {
    handler = (req, _body, res) => {
      if (req.headers.authorization === 'Bearer new-token') res.end('{"fresh":1}');
      else {
        res.statusCode = 401;
        res.end();
      }
    };
    const { source, calls } = tokenSource();
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: source });
    expect(await http.json({ path: '/v1/things' })).toEqual({ fresh: 1 });
    expect(calls.refresh).toBe(1);

    handler = (_req, _body, res) => {
      res.statusCode = 401;
      res.end();
    };
    const again = tokenSource();
    const refused = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: again.source });
    await expect(refused.json({ path: '/v1/things' })).rejects.toBeInstanceOf(ProviderAuthError);
    expect(again.calls.refresh).toBe(1);
  });

  it('treats an in-body auth status (Withings) like a 401: one refresh, then an auth error', async () => {
    handler = (req, _body, res) =>
      res.end(req.headers.authorization === 'Bearer new-token' ? '{"status":0,"body":{}}' : '{"status":401}');
    const { source, calls } = tokenSource();
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: source });
    expect(await http.json({ path: '/measure' })).toEqual({ status: 0, body: {} });
    expect(calls.refresh).toBe(1);
    handler = (_req, _body, res) => res.end('{"status":401,"error":"invalid_token"}');
    const again = tokenSource();
    const refused = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: again.source });
    await expect(refused.json({ path: '/measure' })).rejects.toThrow(/refused the access token \(status 401/);
    expect(again.calls.refresh).toBe(1);
  });

  it('raises 429 and in-body rate-limit statuses as rate limits with the vendor reset', async () => {
    handler = (_req, _body, res) => {
      res.statusCode = 429;
      res.setHeader('x-ratelimit-reset', String(Math.floor(Date.now() / 1000) + 42));
      res.end();
    };
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: tokenSource().source });
    const error = await http.json({ path: '/v1/things' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(41);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeLessThanOrEqual(43);

    handler = (_req, _body, res) => res.end('{"status":601,"error":"Too many requests"}');
    await expect(http.json({ path: '/v1/things' })).rejects.toBeInstanceOf(ProviderRateLimitError);
  });

  it('raises malformed JSON and unexpected 4xx as response errors; accepted statuses pass', async () => {
    handler = (_req, _body, res) => res.end('{"data": [1, 2');
    const http = createVendorHttp(runtime(), { module: moduleOf(), app, tokens: tokenSource().source });
    await expect(http.json({ path: '/v1/things' })).rejects.toThrow(/malformed JSON/);
    handler = (_req, _body, res) => {
      res.statusCode = 409;
      res.end('{"error":"exists"}');
    };
    await expect(http.json({ path: '/v1/things' })).rejects.toBeInstanceOf(ProviderResponseError);
    const accepted = await http.request({ path: '/v1/things', accept: [409] });
    expect(accepted).toMatchObject({ status: 409, body: { error: 'exists' } });
  });

  it('authenticates the app with Basic or headers, sends forms, and follows only its own hosts', async () => {
    handler = (_req, _body, res) => res.end('{}');
    seen.length = 0;
    const http = createVendorHttp(runtime(), { module: moduleOf(), app });
    await http.json({
      method: 'POST',
      path: '/hooks',
      auth: 'client_basic',
      form: { a: 'b c', skip: undefined },
    });
    expect(seen[0]?.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    expect(seen[0]?.body).toBe('a=b+c');
    await http.json({ path: `${origin}/given/url`, auth: 'none' });
    expect(seen[1]?.url).toBe('/given/url');
    await expect(http.json({ path: 'http://169.254.169.254/latest', auth: 'none' })).rejects.toThrow(
      /outside its API hosts/,
    );
  });

  it("stops at the app's budget, shared by every client of the same app, and shows it", async () => {
    handler = (_req, _body, res) => res.end('{}');
    const limiter = new MemoryRateLimiter();
    const m = manifest([{ limit: 2, window_seconds: 60 }]);
    const a = createVendorHttp(runtime(limiter), { module: moduleOf(m), app, tokens: tokenSource().source });
    const b = createVendorHttp(runtime(limiter), { module: moduleOf(m), app, tokens: tokenSource().source });
    await a.json({ path: '/x' });
    await b.json({ path: '/x' });
    const error = await a.json({ path: '/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeGreaterThan(50);
    const [status] = await budgetStatus(limiter, m, 'cid');
    expect(status).toMatchObject({ limit: 2, window_seconds: 60, used: 2 });
    expect(Date.parse(status?.resets_at ?? '')).toBeGreaterThan(Date.now());
    await limiter.close();
  });
});

describe('retryAfterSeconds', () => {
  const m = manifest();
  it('reads Retry-After seconds and dates, epoch resets, and falls back to the default', () => {
    const now = Date.UTC(2026, 0, 1, 12, 7, 30);
    expect(retryAfterSeconds(m, new Headers({ 'retry-after': '30' }), now)).toBe(30);
    expect(
      retryAfterSeconds(m, new Headers({ 'retry-after': new Date(now + 90_000).toUTCString() }), now),
    ).toBe(90);
    expect(retryAfterSeconds(m, new Headers({ 'x-ratelimit-reset': String(now / 1000 + 12) }), now)).toBe(12);
    expect(retryAfterSeconds(m, new Headers(), now)).toBe(60);
    const strava = { ...m, api: { ...m.api, rate_limit_headers: { reset_kind: 'quarter_hour' as const } } };
    expect(retryAfterSeconds(strava, new Headers(), now)).toBe(450); // 12:07:30 → 12:15:00
    const daily = {
      ...m,
      api: {
        ...m.api,
        rate_limit_headers: { reset_kind: 'quarter_hour' as const, limit: 'x-limit', usage: 'x-usage' },
      },
    };
    const spent = new Headers({ 'x-limit': '100,1000', 'x-usage': '40,1000' });
    expect(retryAfterSeconds(daily, spent, now)).toBe(11 * 3600 + 52 * 60 + 30); // → midnight UTC
    const left = new Headers({ 'x-limit': '100,1000', 'x-usage': '100,400' });
    expect(retryAfterSeconds(daily, left, now)).toBe(450);
  });
});

describe.skipIf(process.env.TEST_REDIS_URL === undefined)('vendor budget on Redis', () => {
  it('is shared through Redis and read back without counting', async () => {
    const { Redis } = await import('ioredis');
    const { RedisRateLimiter } = await import('../../../src/http/rate-limit.ts');
    const redis = new Redis(process.env.TEST_REDIS_URL as string);
    const limiter = new RedisRateLimiter(redis, `test-budget-${Date.now()}:`);
    const m = manifest([{ limit: 1, window_seconds: 30 }]);
    handler = (_req, _body, res) => res.end('{}');
    const http = createVendorHttp(runtime(limiter), { module: moduleOf(m), app });
    await http.json({ path: '/x', auth: 'none' });
    await expect(http.json({ path: '/x', auth: 'none' })).rejects.toBeInstanceOf(ProviderRateLimitError);
    const [status] = await budgetStatus(limiter, m, 'cid');
    expect(status).toMatchObject({ limit: 1, used: 1 });
    expect((await budgetStatus(limiter, m, 'cid'))[0]?.used).toBe(1);
    redis.disconnect();
  });
});
