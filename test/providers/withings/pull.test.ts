import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
} from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { PullContext, TokenSet, TokenSource } from '../../../src/providers/types.ts';
import { withingsCall } from '../../../src/providers/withings/common.ts';
import { withingsProvider } from '../../../src/providers/withings/index.ts';
import { rangeOf } from '../../../src/providers/withings/pull.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { type RunningWithingsMock, startWithingsMock } from '../../support/vendor-mocks/withings.ts';

/**
 * Withings' pull through WearLink's real vendor HTTP client against the local mock: `more`/`offset`
 * paging to the end, `lastupdate` for the incremental tail (old-dated data changed since the cursor),
 * intraday cut at 24 h per call, in-body statuses (401 → auth error, 601 → rate limit, others → a clear
 * error), per-appli subscriptions through the HEAD probe, and the signed revoke.
 */
const USER = 4242;
const DAY = 86_400_000;
const s = (ms: number) => Math.floor(ms / 1000);
const app = {
  developerId: null,
  clientId: 'w-cid',
  clientSecret: 'w-secret',
  webhookSecret: undefined,
  scopes: [],
};
let running: RunningWithingsMock;
let runtime: ProviderRuntime;
let tokens: TokenSet;
let callback: Server;
let callbackUrl = '';
const now = Date.now();

const tokenSource: TokenSource = { current: async () => tokens, refresh: async () => tokens };
const context = (over: Partial<PullContext> = {}): PullContext => ({
  userId: 'u1',
  providerUserId: String(USER),
  settings: {},
  windowIndex: 0,
  attempt: 1,
  cursorMs: undefined,
  http: createVendorHttp(runtime, { module: withingsProvider, app, tokens: tokenSource }),
  ...over,
});

beforeAll(async () => {
  running = await startWithingsMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  runtime = {
    config: loadConfig({ PROVIDER_URLS: `withings=${running.url}`, PROVIDER_HTTP_ATTEMPTS: '1' }),
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
  const data = running.mock.user(USER);
  for (let i = 0; i < 5; i++)
    data.measuregrps.push({
      grpid: i,
      date: s(now - (i + 1) * DAY),
      modified: s(now - (i + 1) * DAY),
      category: 1,
      measures: [{ type: 1, value: 70000 + i, unit: -3 }],
    });
  // Measured 200 days ago, synced (modified) an hour ago: only `lastupdate` finds it incrementally.
  data.measuregrps.push({
    grpid: 99,
    date: s(now - 200 * DAY),
    modified: s(now - 3_600_000),
    category: 1,
    measures: [{ type: 1, value: 71000, unit: -3 }],
  });
  for (let d = 0; d < 3; d++) data.intraday[String(s(now - (d + 1) * DAY))] = { steps: 10 + d, duration: 60 };
  // A token straight from the mock's grant (the token store is exercised in e2e.test.ts).
  running.mock.oauth.approveNextAs(String(USER));
  const authorize = await fetch(
    `${running.url}/oauth2_user/authorize2?response_type=code&client_id=${app.clientId}&state=x&redirect_uri=http://127.0.0.1:9/cb`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const answer = (await (
    await fetch(`${running.url}/v2/oauth2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        action: 'requesttoken',
        grant_type: 'authorization_code',
        code,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: 'http://127.0.0.1:9/cb',
      }),
    })
  ).json()) as { status: number; body: { access_token: string; userid: number } };
  expect(answer.status).toBe(0);
  expect(answer.body.userid).toBe(USER);
  tokens = { access_token: answer.body.access_token, extra: { userid: answer.body.userid } };
  callback = createServer((req, res) => res.writeHead(req.method === 'HEAD' ? 200 : 405).end());
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/api/v1/webhooks/withings`;
});
afterAll(async () => {
  await running?.close();
  callback?.close();
});

describe('Withings pull through the vendor client', () => {
  it('identify reads the userid of the token answer', async () => {
    expect(await withingsProvider.identify?.({ http: context().http, tokens, userId: 'u1' })).toEqual({
      providerUserId: String(USER),
    });
  });

  it('pages getmeas to the end (more/offset), a date range for a historical window', async () => {
    running.mock.pageSize = 2;
    const before = running.mock.callCount('/measure getmeas');
    const payload = (await withingsProvider.pull.fetch(context(), 'measures', {
      fromMs: now - 10 * DAY,
      toMs: now,
      label: 'w',
    })) as { measuregrps: unknown[] };
    expect(payload.measuregrps).toHaveLength(5);
    expect(running.mock.callCount('/measure getmeas') - before).toBe(3);
  });

  it('an incremental window asks lastupdate (finds old-dated data synced late); later windows ask nothing', async () => {
    const cursorMs = now - 3_600_000 * 2;
    const window = { fromMs: now - 3 * DAY, toMs: now, label: 'w' };
    expect(rangeOf({ cursorMs, windowIndex: 0 }, window)).toEqual({
      kind: 'lastupdate',
      since: s(cursorMs - 48 * 3_600_000),
    });
    const payload = (await withingsProvider.pull.fetch(context({ cursorMs }), 'measures', window)) as {
      measuregrps: { grpid: number }[];
    };
    expect(payload.measuregrps.map((g) => g.grpid).sort((a, b) => a - b)).toEqual([0, 1, 99]);
    expect(running.mock.requests.at(-1)?.form.lastupdate).toBe(String(s(cursorMs - 48 * 3_600_000)));
    const before = running.mock.requests.length;
    const later = { fromMs: now, toMs: now + DAY, label: 'later' };
    expect(rangeOf({ cursorMs, windowIndex: 1 }, later)).toEqual({ kind: 'covered' });
    expect(
      await withingsProvider.pull.fetch(context({ cursorMs, windowIndex: 1 }), 'workouts', later),
    ).toEqual({ series: [] });
    expect(running.mock.requests.length).toBe(before);
    // A window wholly before the cursor is a plain date range.
    expect(rangeOf({ cursorMs, windowIndex: 0 }, { fromMs: 0, toMs: DAY, label: 'old' })).toEqual({
      kind: 'range',
    });
  });

  it('reads intraday a day per call (Withings returns only the first 24 h)', async () => {
    const before = running.mock.callCount('/v2/measure getintradayactivity');
    const payload = (await withingsProvider.pull.fetch(context(), 'intraday', {
      fromMs: now - 3 * DAY,
      toMs: now,
      label: 'w',
    })) as { series: Record<string, unknown> };
    expect(Object.keys(payload.series)).toHaveLength(3);
    expect(running.mock.callCount('/v2/measure getintradayactivity') - before).toBe(3);
  });

  it('in-body statuses: 601 is a rate limit, another non-zero status a clear response error', async () => {
    running.mock.rateLimitNext(1);
    await expect(
      withingsProvider.pull.fetch(context(), 'workouts', { fromMs: now - DAY, toMs: now, label: 'w' }),
    ).rejects.toBeInstanceOf(ProviderRateLimitError);
    // HTTP 200 with a non-zero status: the vendor client passes it on, withingsCall names it.
    const answer = await context().http.json<{ status: number }>({
      method: 'POST',
      path: '/v2/measure',
      form: { action: 'nope' },
    });
    expect(answer.status).toBe(2555);
    const unknown = withingsCall(context().http, {
      method: 'POST',
      path: '/v2/measure',
      form: { action: 'nope' },
    });
    await expect(unknown).rejects.toBeInstanceOf(ProviderResponseError);
    await expect(
      withingsCall(context().http, { method: 'POST', path: '/v2/measure', form: { action: 'nope' } }),
    ).rejects.toThrow(/Withings \/v2\/measure action=nope failed with status 2555/);
  });

  it('subscribes every appli after the HEAD probe; a callback refusing HEAD is an error', async () => {
    const http = context().http;
    const made = await withingsProvider.subscriptions?.ensure({
      http,
      app,
      callbackUrl,
      existing: undefined,
    });
    expect(made?.details).toEqual({ applis: [1, 2, 4, 16, 44], callbackurl: callbackUrl });
    expect(running.mock.subscriptions.size).toBe(5);
    expect(
      await withingsProvider.subscriptions?.ensure({
        http,
        app,
        callbackUrl,
        existing: { vendorSubscriptionId: null, expiresAt: null, details: made?.details ?? {} },
      }),
    ).toBeUndefined();
    await expect(
      withingsProvider.subscriptions?.ensure({
        http,
        app,
        callbackUrl: `${callbackUrl.replace(/:\d+\//, ':9/')}`,
        existing: undefined,
      }),
    ).rejects.toThrow(/answered nothing to HEAD/);
  });

  it('revoke signs a fresh nonce; a wrong secret is refused; a revoked token then gets an auth error', async () => {
    const http = context().http;
    await expect(
      withingsProvider.revoke?.({
        http,
        tokens,
        providerUserId: String(USER),
        app: { ...app, clientSecret: 'wrong' },
      }),
    ).rejects.toThrow(/Invalid signature/);
    await withingsProvider.revoke?.({ http, tokens, providerUserId: String(USER), app });
    expect(running.mock.counts.revoked).toBe(1);
    expect(running.mock.subscriptions.size).toBe(0);
    await expect(
      withingsProvider.pull.fetch(context(), 'workouts', { fromMs: now - DAY, toMs: now, label: 'w' }),
    ).rejects.toBeInstanceOf(ProviderAuthError);
  });
});
